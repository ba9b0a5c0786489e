"""SVG snapshots of the main screen at the smallest supported size and a large one (fixed seed,
before training, so no timing is on screen). Update with `pytest --snapshot-update` after
checking the new picture by eye."""
import pytest

from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp

from .playground_pilot import settle


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_main_screen(snap_compare, size):
    app = NntermApp(load_preset("spiral"), seed=0)
    assert snap_compare(app, terminal_size=size, run_before=settle)


def test_too_small_terminal_says_so(snap_compare):
    app = NntermApp(load_preset("xor"), seed=0)
    assert snap_compare(app, terminal_size=(60, 20), run_before=settle)


async def two_runs(pilot) -> None:
    """xor trained 60 epochs at lr 0.03, then again at 0.3: the first run stays on the chart,
    dimmed. Trained on the test's own thread, so no timing reaches the screen."""
    await settle(pilot)
    session, screen = pilot.app.session, pilot.app.screen
    session.trainer.run(60)
    screen.show_trainer(session.trainer)
    screen.show_change(session.set_training(learning_rate=0.3))
    screen.show_change(session.reset())
    session.trainer.run(60)
    screen.show_trainer(session.trainer)
    session.snapshot()
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_compared_runs_on_the_loss_chart(snap_compare, size):
    app = NntermApp(load_preset("xor", ["data.test_fraction=0.2"]), seed=0)
    assert snap_compare(app, terminal_size=size, run_before=two_runs)


async def metrics_after_training(pilot) -> None:
    await settle(pilot)
    pilot.app.session.trainer.run(100)             # on the test's thread: no timing on screen
    await pilot.press("v")
    await settle(pilot)
    await pilot.pause(0.2)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_the_metrics_panel(snap_compare, size):
    app = NntermApp(load_preset("xor", ["data.test_fraction=0.2", "data.noise=0.3"]), seed=0)
    assert snap_compare(app, terminal_size=size, run_before=metrics_after_training)
