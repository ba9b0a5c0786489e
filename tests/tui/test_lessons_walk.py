"""What a learner walking the track in tmux saw beside a step, each a test named after it: the
screen a step opens shows the numbers its text works with, and its words agree with the screen."""
import html
import re

import pytest

from nnterm.runtime.numbers import num
from nnterm.tui.lessons.lesson_screen import LessonScreen

from .lesson_pilot import learn_app, open_lesson_at
from .playground_pilot import settle, until


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)


def screen_text(app) -> str:
    """What the terminal shows, as text (the screenshot's characters)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def test_the_softmax_step_opens_the_lab_on_the_layer_2_1_and_0_1_its_text_works_with():
    app = learn_app("activations")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson_at(pilot, app, 4)
        assert "z₁ is this neuron's z = 2, and the others say 1 and 0.1" in screen.run.text()
        await pilot.press("o")
        await until(pilot, lambda: type(app.screen).__name__ == "NeuronLabScreen")
        await settle(pilot)
        shown = screen_text(app)
        truth = screen.run.value("neuron_softmax", {"unit": 1})
        assert "z₂ = 1, z₃ = 0.1" in shown and f"p₁ = {num(truth)}" in shown
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        await pilot.press(*f"{truth:.3f}", "enter")
        await pilot.pause()
        assert screen.run.unlocked


async def test_the_full_batch_step_says_why_the_data_panel_shows_another_batch_size():
    app = learn_app("batches")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_lesson_at(pilot, app, 2)
        await pilot.press("o")
        await until(pilot, lambda: app.screen is app.playground)
        await settle(pilot)
        batch = app.playground.query_one("#batch-size")
        assert batch.disabled and int(batch.value) != app.session.trainer.batch_size    # the preset's 10, not gd's 350
        assert f"one minibatch of {app.session.trainer.batch_size}" in screen.run.text()
        assert "batch size is greyed out: gd does not use it" in screen.run.text()


def rack(screen):
    from textual.widgets._toast import ToastRack
    return screen.get_child_by_type(ToastRack)


async def test_the_steps_notice_sits_at_the_top_leaving_the_status_lines_val_figures_readable():
    app = learn_app("activations")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_lesson_at(pilot, app, 5)
        await pilot.press("o")
        await until(pilot, lambda: app.screen is app.playground)
        await pilot.pause()
        assert any("escape comes back" in (n.title or "") for n in app._notifications)
        assert rack(app.playground).styles.dock == "top"                   # not over the status line
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        await pilot.pause()
        assert rack(app.playground).styles.dock == "bottom"                # the playground's own notices as before
        assert not any("escape comes back" in (n.title or "") for n in app._notifications)


async def test_the_notice_over_a_teaching_screen_leaves_its_footer_readable_at_80x24():
    app = learn_app("neuron")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await open_lesson_at(pilot, app, 1)
        await pilot.press("o")
        await until(pilot, lambda: type(app.screen).__name__ == "NeuronLabScreen")
        await pilot.pause()
        await pilot.pause()
        assert rack(app.screen).styles.dock == "top"


async def test_a_new_steps_status_line_does_not_keep_the_previous_networks_verdict():
    app = learn_app("hidden")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson_at(pilot, app, 1)
        assert "overfitting since" in app.playground.status.message          # the single neuron's, step 1
        await open_lesson_at(pilot, app, 2)
        assert "overfitting since" not in app.playground.status.message
        assert app.playground.status.message == "lesson 5, step 2 set this network up"


async def test_the_race_keeps_each_racers_name_on_one_line_at_80x24():
    app = learn_app("optimizers")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson_at(pilot, app, 2)
        await pilot.press("o")
        await until(pilot, lambda: type(app.screen).__name__ == "DescentScreen")
        await pilot.press("e")                                              # to the end: the losses are tiny
        await settle(pilot)
        rows = screen_text(app).splitlines()
        for name in ("momentum", "nesterov", "rmsprop", "adagrad", "adam"):
            assert any(f"● {name}" in row for row in rows), name


async def test_the_races_reached_column_is_not_cut_to_reach_at_80x24_when_gd_races_at_0_045():
    app = learn_app("optimizers")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson_at(pilot, app, 3)                                      # gd at its own rate, 0.045
        await pilot.press("o")
        await until(pilot, lambda: type(app.screen).__name__ == "DescentScreen")
        await pilot.press("e")
        await settle(pilot)
        header = next(row for row in screen_text(app).splitlines() if "optimizer" in row and "loss" in row)
        assert "reached" in header and "reach…" not in header
        assert "0.045" in screen_text(app)


async def test_a_task_step_footer_names_no_answer_to_enter_and_a_question_step_does():
    """A task step has no answer box, so its footer begins with what the task needs (o, c, m)."""
    app = learn_app("regularisation")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson_at(pilot, app, 1)
        assert screen.run.step.question is not None
        assert "enter answer" in screen_text(app)
        screen = await open_lesson_at(pilot, app, 3)
        assert screen.run.step.question is None and screen.run.step.check is not None
        shown = screen_text(app)
        assert "enter answer" not in shown and "o open the screen · c check · m show me" in shown


async def test_the_backprop_step_opens_the_inspector_on_the_weight_its_question_names():
    app = learn_app("backprop")
    async with app.run_test(size=(160, 48)) as pilot:
        screen = await open_lesson_at(pilot, app, 1)
        asked = screen.run.step.question.args
        await pilot.press("o")
        await until(pilot, lambda: type(app.screen).__name__ == "InspectorScreen")
        await settle(pilot)
        assert f"Follow one weight: w{'₁₁'}, layer {asked['layer']}" in screen_text(app)
