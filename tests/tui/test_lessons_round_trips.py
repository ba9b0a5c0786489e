"""Round trips between a lesson step and the screen it opens, as a learner met them: escape comes
back from every screen a step opened (the playground too) and what is typed after it is the
lesson's answer; the game's own words ("diverges") are what the task accepts; a new lesson starts
its loss chart clean; runs trained side by side are drawn side by side; the notice says how to
come back and the playground's own verdict stays on its status line."""
import numpy as np
import pytest

from nnterm.tui.lessons.lesson_screen import LessonScreen

from .lesson_pilot import learn_app, open_lesson_at
from .playground_pilot import settle, until


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)


async def test_escape_from_playground_returns_to_step_and_does_not_edit_bias():
    app = learn_app("activations")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson_at(pilot, app, 5)
        assert screen.run.step.screen == "playground"
        await pilot.press("o")
        await until(pilot, lambda: app.screen is app.playground)
        weights = app.session.trainer.network.params.copy()
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.run is screen.run and screen.run.index == 4             # the same step
        await pilot.press(*"0.9", "enter", *"0.5", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.verdict is not None
        assert np.array_equal(app.session.trainer.network.params, weights)      # no bias edited on the way


async def test_price_game_saying_diverges_is_what_the_divergence_task_accepts():
    app = learn_app("learning-rate")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson_at(pilot, app, 4)
        await pilot.press("o")
        await until(pilot, lambda: type(app.screen).__name__ == "PriceScreen")
        await pilot.press(*"]]]]]", *"ssssss")                  # lr 0.05 → 1.6, six guesses: the game says "diverges"
        await pilot.pause()
        game = app.screen.game
        assert game.lr > 1 and "diverges" in game.story() and not game.gd.diverged
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert screen.run.unlocked and screen.verdict.plain.startswith("done:")


async def test_lesson_13s_long_run_is_not_on_lesson_14s_loss_chart():
    app = learn_app("overfitting")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson_at(pilot, app, 2)             # 300 epochs trained
        assert len(app.playground.loss_chart.epochs) == 300
        await pilot.press("escape")                              # the track
        await until(pilot, lambda: type(app.screen).__name__ == "TrackScreen")
        await pilot.press("d")                                   # early stopping, lesson 14, the next one
        await until(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen is not screen)
        await settle(pilot)
        chart = app.playground.loss_chart
        assert app.screen.run.lesson.key == "early-stopping"
        assert chart.runs == [] and chart.epochs == [r.epoch for r in app.session.trainer.history]


async def test_full_batch_minibatch_and_sgd_curves_side_by_side():
    app = learn_app("batches")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson_at(pilot, app, 3)
        chart = app.playground.loss_chart
        assert [label for label, *_ in chart.runs] == ["full batch", "batch 10"]       # the live run is SGD's
        assert "earlier: full batch · batch 10" in chart.border_title
        assert all(len(epochs) == 30 for _label, epochs, *_ in chart.runs) and len(chart.epochs) == 30


async def test_the_notice_says_escape_comes_back_and_the_playgrounds_verdict_stays():
    app = learn_app("optimizers")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_lesson_at(pilot, app, 4)
        app.playground.say("stopped early, best epoch 12")                # a verdict of the playground's own
        await pilot.press("o")
        # The notice is a message to the app, which may be handled after the screen has gone.
        await until(pilot, lambda: app.screen is app.playground
                    and any("escape comes back" in (n.title or "") for n in app._notifications))
        assert app.playground.status.message == "stopped early, best epoch 12"   # not covered by the lesson


async def test_a_key_pressed_before_the_track_appears_opens_its_lesson():
    app = learn_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")                                   # at once, as a learner who knows the track types it
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.run.lesson.key == "activations"


def first_step_of_each_screen() -> list:
    """(lesson key, step from 1, screen) for the first bundled step that opens each kind of screen."""
    from nnterm.lessons.track import bundled_lessons
    found = {}
    for lesson in bundled_lessons():
        for number, step in enumerate(lesson.steps, 1):
            if step.screen != "playground":
                found.setdefault(step.screen, (lesson.key, number, step.screen))
    return sorted(found.values(), key=lambda entry: entry[2])


@pytest.mark.parametrize("lesson, step, screen", first_step_of_each_screen())
async def test_every_kind_of_screen_a_step_opens_opens_without_an_error_and_escape_comes_back(lesson, step, screen):
    app = learn_app(lesson)
    async with app.run_test(size=(80, 24)) as pilot:
        lesson_screen = await open_lesson_at(pilot, app, step)
        await pilot.press("o")
        await until(pilot, lambda: not isinstance(app.screen, LessonScreen))
        await settle(pilot)
        assert not app.survived_errors, app.survived_errors
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.run is lesson_screen.run and not app.survived_errors
