"""The paint budget: the UI thread's share of a core, kept near TARGET_SHARE by stretching repaints."""
import pytest

from nnterm.tui.playground.paint_budget import GAP, MAX_STEP, MAX_STRETCH, RELAX, TARGET_SHARE, WINDOW, PaintBudget


class Clocks:
    def __init__(self) -> None:
        self.wall = 100.0
        self.cpu = 5.0

    def spend(self, wall: float, share: float) -> None:
        self.wall += wall
        self.cpu += wall * share


def budget_with(clocks: Clocks) -> PaintBudget:
    """A budget past its first window (which is never judged: see the next test)."""
    budget = PaintBudget(clock=lambda: clocks.wall, cpu_clock=lambda: clocks.cpu)
    budget.observe()
    clocks.spend(WINDOW, 1.0)
    assert budget.observe() == 1.0 and budget.share is None
    return budget


def test_the_first_window_of_a_run_is_not_judged():
    clocks = Clocks()
    budget = PaintBudget(clock=lambda: clocks.wall, cpu_clock=lambda: clocks.cpu)
    budget.observe()
    clocks.spend(WINDOW, 1.0)                          # first paints, plotext's import: one-off
    assert budget.observe() == 1.0
    clocks.spend(WINDOW, 1.0)
    assert budget.observe() > 1.0


def test_a_busy_ui_stretches_every_interval_by_share_over_target():
    clocks = Clocks()
    budget = budget_with(clocks)
    clocks.spend(WINDOW, 1.25 * TARGET_SHARE)
    assert budget.observe() == pytest.approx(1.25)
    assert budget.share == pytest.approx(1.25 * TARGET_SHARE)


def test_no_look_before_a_whole_window_has_passed():
    clocks = Clocks()
    budget = budget_with(clocks)
    clocks.spend(WINDOW / 2, 1.0)
    assert budget.observe() == 1.0 and budget.share is None


def test_the_stretch_is_capped_and_relaxes_back_to_one_when_painting_is_cheap():
    clocks = Clocks()
    budget = budget_with(clocks)
    stretches = []
    for _ in range(6):
        clocks.spend(WINDOW, 1.0)                      # a whole core: at most MAX_STEP a window
        stretches.append(budget.observe())
    assert stretches[:2] == pytest.approx([MAX_STEP, MAX_STEP ** 2])
    assert stretches[-1] == MAX_STRETCH
    clocks.spend(WINDOW, 0.1 * TARGET_SHARE)
    assert budget.observe() == pytest.approx(MAX_STRETCH * RELAX)
    for _ in range(40):
        clocks.spend(WINDOW, 0.0)
        budget.observe()
    assert budget.stretch == 1.0


def test_a_share_between_the_bands_keeps_the_stretch():
    clocks = Clocks()
    budget = budget_with(clocks)
    clocks.spend(WINDOW, 3 * TARGET_SHARE)
    stretch = budget.observe()
    clocks.spend(WINDOW, 0.8 * TARGET_SHARE)
    assert budget.observe() == stretch


def test_a_pause_in_training_starts_a_fresh_window():
    clocks = Clocks()
    budget = budget_with(clocks)
    clocks.spend(GAP + 1, 1.0)                         # e.g. paused: a dialog's painting, not training's
    assert budget.observe() == 1.0 and budget.share is None
