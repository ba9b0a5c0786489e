"""The lesson track in the TUI: `nnterm learn` → pick a lesson → a wrong answer, then the right one
(the live value) → the next step unlocks → quit, and a new app resumes at the same step; a task
checked on the way back from its screen; ? says where you are; the playground's L; snapshots of
the track and a lesson step at 80×24 and 160×48."""
import html
import re
import threading

import pytest

from nnterm.lessons.runner import LessonRun
from nnterm.lessons.track import bundled_lessons
from nnterm.presets.loader import load_preset
from nnterm.runtime.numbers import num
from nnterm.tui.app import NntermApp
from nnterm.tui.lessons.desk import desk_of
from nnterm.tui.lessons.lesson_screen import LessonScreen
from nnterm.tui.lessons.track_screen import TrackScreen

from .playground_pilot import settle, until


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)


def learn_app(lesson: str = "") -> NntermApp:
    return NntermApp(load_preset("xor"), seed=0, learn=lesson)


async def type_answer(pilot, text: str) -> None:
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


async def test_learn_pick_answer_wrong_then_right_unlock_and_resume():
    app = learn_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TrackScreen))
        await pilot.press("1")                                  # the first lesson, one key from the track
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)                                     # its setups, in their worker
        screen = app.screen
        run = screen.run
        assert run.lesson.key == "neuron" and run.index == 0
        truth = run.neuron.weighted_sum()                       # what the live neuron says
        await type_answer(pilot, f"{truth + 1:.2f}")
        assert screen.verdict.plain.startswith("not yet:") and not run.unlocked
        await pilot.press("n")
        assert run.index == 0 and "unlocks once this one is done" in screen.verdict.plain
        await type_answer(pilot, "five")
        assert '"five" is not a number' in screen.verdict.plain and not run.unlocked
        await type_answer(pilot, f"{truth:.3f}")
        assert screen.verdict.plain.startswith("right: the neuron says") and run.unlocked
        await pilot.press("n")
        await settle(pilot)                                     # the next step's setup, in its worker
        assert run.index == 1
        await pilot.press("question_mark")
        assert screen.verdict.plain == f"you are at {run.where()}"
        assert f"lesson 1 of {len(bundled_lessons())}, step 2 of 4" in screen.verdict.plain
    again = learn_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(again.screen, TrackScreen))
        desk = desk_of(again)
        assert desk.state(desk.track.find("neuron")) == "step 2 of 4" and again.screen.selected == 0
        await pilot.press("enter")                              # the lesson it stopped in is selected
        await until(pilot, lambda: isinstance(again.screen, LessonScreen))
        await settle(pilot)                                     # its setups, in their worker
        assert again.screen.run.lesson.key == "neuron" and again.screen.run.index == 1


async def test_a_task_is_done_on_its_screen_and_checked_on_the_way_back():
    app = learn_app("learning-rate")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)                                     # its setups, in their worker
        screen = app.screen
        run = screen.run
        for _ in range(3):                                      # skip to the "make it diverge" step
            await pilot.press("s", "n")
            await settle(pilot)
        assert run.index == 3 and run.step.check.name == "price_diverged"
        await pilot.press("c")
        assert screen.verdict.plain.startswith("not yet")
        await pilot.press("o")
        await until(pilot, lambda: type(app.screen).__name__ == "PriceScreen")
        game = app.screen.game
        assert game is run.price                                # the lesson's own round, handed over
        game.set_learning_rate(2.0)
        for _ in range(40):
            game.gd.step()
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert run.unlocked and screen.verdict.plain.startswith("done:")


async def test_the_playground_step_and_L_coming_back():
    app = learn_app("optimizers")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)                                     # its setups, in their worker
        run = app.screen.run
        for _ in range(3):
            await pilot.press("s", "n")
            await settle(pilot)
        assert run.index == 3 and run.step.screen == "playground"
        await pilot.press("o")
        await until(pilot, lambda: app.screen is app.playground)
        await pilot.press("L")                                  # back with the task not done: "not yet"
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.verdict.plain.startswith("not yet") and not run.unlocked
        await pilot.press("o")
        await until(pilot, lambda: app.screen is app.playground)
        assert app.session.set_optimizer("adam").said.startswith("optimizer adam")
        await pilot.press("L")
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)                                     # its setups, in their worker
        assert app.screen.run is run                            # checked on the way back, no key needed
        assert run.unlocked and app.screen.verdict.plain.startswith("done:")


async def test_the_screen_answers_keys_while_a_step_sets_up_in_its_worker(monkeypatch):
    """A setup that trains runs off the UI thread: held here on an Event, the screen says "setting
    up…", ? answers and a lesson key says it waits; let go, the step is there with its numbers."""
    app = learn_app("learning-rate")
    gate, arrived = threading.Event(), threading.Event()
    apply = LessonRun.apply

    def held(run, setup):                                       # the real setup, once the test lets go
        if gate_armed:
            arrived.set()
            assert gate.wait(30)
        return apply(run, setup)
    gate_armed = False
    monkeypatch.setattr(LessonRun, "apply", held)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)
        screen = app.screen
        run = screen.run
        await pilot.press("s")
        gate_armed = True
        await pilot.press("n")                                  # step 2's setup starts in the worker…
        await until(pilot, arrived.is_set)
        body = screen.query_one("#lesson-body").render()
        assert screen.busy == "setting up the step…" and "setting up the step…" in str(body)
        assert not screen.answer_box.display
        await pilot.press("question_mark")                      # …and the screen answers keys meanwhile
        await pilot.press("h")
        assert screen.hint_text == "" and screen.busy           # h waits for the setup (said in a notice)
        assert any("setting up the step… a moment" in n.message for n in app._notifications)
        gate.set()
        await settle(pilot)
        assert not screen.busy and run.index == 1 and screen.answer_box.display
        assert "setting up" not in str(screen.query_one("#lesson-body").render())


def screen_text(app) -> str:
    """What the terminal shows, as text (the screenshot's characters)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_the_activation_asked_for_is_on_the_neuron_lab_the_step_opens():
    """tanh and leaky ReLU are asked of the lab's own neuron: its f(z) table shows the answer."""
    app = learn_app("activations")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)
        screen = app.screen
        run = screen.run
        for number in (2, 3):
            await pilot.press("s", "n")
            await settle(pilot)
            assert run.index == number - 1
            truth = run.value(run.step.question.quantity, run.step.question.args)
            await pilot.press("o")
            await until(pilot, lambda: type(app.screen).__name__ == "NeuronLabScreen")
            await settle(pilot)
            assert num(truth) in screen_text(app), f"step {number}: {num(truth)} is not on the lab"
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is screen)


@pytest.mark.parametrize("lesson, screen_name", [("forward", "InspectorScreen"), ("batches", "PlaygroundScreen")])
async def test_X_opens_the_steps_screen_with_its_explanations(lesson, screen_name):
    """X, as on every screen: here the step's screen opens with its explanation picker over it,
    even with an answer half typed (X is never part of a number)."""
    from nnterm.tui.dialogs.explain_screen import ExplainPicker
    app = learn_app(lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)
        ask = app.screen.run.step.question.ask
        await pilot.press("1", "X")
        await until(pilot, lambda: isinstance(app.screen, ExplainPicker))
        assert type(app.screen_stack[-2]).__name__ == screen_name
        if screen_name != "PlaygroundScreen":                  # a short notice says what to look for
            assert [n.message for n in app._notifications] == [ask]


async def test_the_whole_track_fits_at_80x24_without_scrolling():
    app = learn_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TrackScreen))
        await settle(pilot)
        scroll = app.screen.query_one("#track-scroll")
        assert scroll.max_scroll_y == 0 and len(desk_of(app).track.lessons) == len(bundled_lessons())


async def test_the_steps_list_tells_a_skipped_step_from_one_answered():
    app = learn_app("neuron")
    async with app.run_test(size=(160, 48)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)
        screen = app.screen
        await type_answer(pilot, repr(screen.run.neuron.weighted_sum()))
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("s", "n")
        await settle(pilot)
        marks = [line.split()[0] for line in screen.steps_list().plain.splitlines()[1:] if line.strip()]
        assert marks == ["✓", "↷", "▶", "·"]


async def test_hints_pile_up_one_under_the_other():
    app = learn_app("forward")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)
        screen = app.screen
        await pilot.press("h", "h", "h")                        # two hints: the third press adds nothing
        assert screen.hint_text.split("\n") == [f"hint {i} of 2: {hint}" for i, hint in
                                                 enumerate(screen.run.step.hints, 1)]


async def show_track(pilot) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, TrackScreen))
    await settle(pilot)


async def show_lesson_step(pilot) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, LessonScreen))
    await settle(pilot)                                         # the lesson's setups, in their worker
    await pilot.press("h")
    await pilot.press(*"1")
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_the_track(snap_compare, size):
    assert snap_compare(learn_app(), terminal_size=size, run_before=show_track)


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
def test_a_lesson_step(snap_compare, size):
    assert snap_compare(learn_app("forward"), terminal_size=size, run_before=show_lesson_step)


async def test_a_lesson_picked_before_its_kernels_waits_behind_compiling():
    """Its setups and numbers call every teaching group's kernels: until the warm-up has them, the
    "compiling…" screen answers keys; then the lesson takes its place."""
    import threading

    from nnterm.warmup.kernel_warm_up import GROUPS, KernelWarmUp
    from nnterm.tui.teaching.compiling import CompilingScreen
    preset = load_preset("xor")
    warm_up = KernelWarmUp(preset, helper=False)           # not started: the test says when groups are ready
    warm_up.finish("playground", "")
    app = NntermApp(preset, seed=0, warm_up=warm_up, learn="")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TrackScreen))
        await pilot.press("2")
        assert isinstance(app.screen, CompilingScreen)

        def finish_all():
            for group in GROUPS[1:]:
                warm_up.finish(group, "")
        threading.Thread(target=finish_all).start()
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await settle(pilot)                                     # its setups, in their worker
        assert app.screen.run.lesson.key == "bias"


async def test_a_broken_lesson_file_is_one_sentence_on_the_track_and_the_rest_loads(tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "mine.toml").write_text('title = "Mine"\n[[step]]\nscreen = "casino"\ntext = "t"\n')
    app = learn_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, TrackScreen))
        await pilot.pause()
        assert app.screen.message.startswith(f'lesson {folder / "mine.toml"}, step 1: "screen" must be one of')
        assert len(desk_of(app).track.lessons) == len(bundled_lessons())
