"""Where the lesson screens are built, so the track and the lesson screen can open each other
without importing each other.

A lesson's setups and numbers call the kernels of every teaching group (a trace, the neuron lab,
the price game, the race), so a lesson opened before the kernel warm-up has loaded them waits
behind the "compiling…" screen, as a teaching screen does: no kernel compiles on the UI thread.
"""
from nnterm.lessons.translation import in_language
from nnterm.runtime.language import _, current
from nnterm.tui.lessons.desk import desk_of
from nnterm.tui.lessons.lesson_screen import LessonScreen
from nnterm.tui.lessons.track_screen import TrackScreen
from nnterm.tui.teaching.compiling import CompilingScreen

LESSON_GROUP = "descent"        # the last warm-up group a lesson calls (nnterm/warmup/kernel_warm_up.py)


def track_screen() -> TrackScreen:
    return TrackScreen(open_lesson=lesson_opener)


def lesson_screen(run) -> LessonScreen:
    return LessonScreen(run, open_track=track_screen)


def lesson_opener(app, lesson):
    """The screen that opens `lesson`: the lesson screen at once, or "compiling…" until it can."""
    desk = desk_of(app)

    def build() -> LessonScreen:
        return lesson_screen(desk.open(lesson))        # its setups run off the UI thread once it is up
    warm_up = app.session.warm_up
    if warm_up is not None and not warm_up.ready(LESSON_GROUP):
        title = in_language(lesson, current()).title
        return CompilingScreen(_("lesson {title}").format(title=title), LESSON_GROUP, warm_up, build)
    return build()


def open_lessons(app, key: str = "") -> None:
    """L on the playground, and `nnterm learn [LESSON]`: the lesson named, else the open lesson
    where it was, else the track."""
    desk = desk_of(app)
    lesson = desk.track.find(key) if key else None
    if lesson is not None:
        app.push_screen(lesson_opener(app, lesson))
    elif desk.run is not None:
        desk.speak()                                   # the language may have switched on the playground
        app.push_screen(lesson_screen(desk.run))
    else:
        app.push_screen(track_screen())
