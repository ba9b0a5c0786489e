"""Pilot helpers the lesson-screen tests share: the app `nnterm learn [LESSON]` opens, and its
lesson screen skipped on to a step."""
from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp
from nnterm.tui.lessons.lesson_screen import LessonScreen

from .playground_pilot import settle, until


def learn_app(lesson: str = "") -> NntermApp:
    return NntermApp(load_preset("xor"), seed=0, learn=lesson)


async def open_lesson_at(pilot, app, step: int) -> LessonScreen:
    """The lesson screen, skipped on to `step` (from 1)."""
    await until(pilot, lambda: isinstance(app.screen, LessonScreen))
    await settle(pilot)
    for _ in range(step - 1):
        await pilot.press("s", "n")
        await settle(pilot)
    assert app.screen.run.index == step - 1
    return app.screen
