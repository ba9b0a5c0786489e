"""Where the lesson screens are built, so the track and the lesson screen can open each other
without importing each other."""
from nnterm.tui.lessons.desk import desk_of
from nnterm.tui.lessons.lesson_screen import LessonScreen
from nnterm.tui.lessons.track_screen import TrackScreen


def track_screen() -> TrackScreen:
    return TrackScreen(open_lesson=lesson_screen)


def lesson_screen(run) -> LessonScreen:
    return LessonScreen(run, open_track=track_screen)


def open_lessons(app, key: str = "") -> None:
    """L on the playground, and `nnterm learn [LESSON]`: the lesson named, else the open lesson
    where it was, else the track."""
    desk = desk_of(app)
    lesson = desk.track.find(key) if key else None
    if lesson is not None:
        app.push_screen(lesson_screen(desk.open(lesson)))
    elif desk.run is not None:
        app.push_screen(lesson_screen(desk.run))
    else:
        app.push_screen(track_screen())
