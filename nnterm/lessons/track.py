"""The track: the bundled lessons (nnterm/lessons/bundled/*.toml, package data) and the user's
own ($NNTERM_HOME/lessons/*.toml), in the order their files say.

A file that does not load is reported in one sentence and left out; the rest of the track
loads. The bundled lessons come first, in their order, so each keeps its place (and its key on
the track screen) whatever the user adds; the user's own follow, in theirs. A user's lesson with
a bundled lesson's name takes that lesson's place (it is the user's file).
"""
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from nnterm.lessons.format import Lesson, LessonError, lesson_from_text, load_lesson_file, NAME
from nnterm.runtime.home import nnterm_home

MAX_USER_LESSONS = 100         # a folder of more is read up to this many files


@dataclass(frozen=True)
class Track:
    lessons: tuple             # Lesson, in order
    problems: tuple            # one sentence per file that did not load

    def find(self, key: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.key == key), None)

    def position(self, lesson: Lesson) -> tuple[int, int]:
        return self.lessons.index(lesson) + 1, len(self.lessons)


def user_lesson_dir() -> Path:
    return nnterm_home() / "lessons"


def bundled_lessons() -> list[Lesson]:
    folder = resources.files("nnterm.lessons.bundled")
    out = []
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".toml"):
            key = item.name[:-5]
            out.append(lesson_from_text(item.read_text(encoding="utf-8"), key, f"{key}.toml (bundled)", "bundled"))
    return out


def user_files() -> list[Path]:
    folder = user_lesson_dir()
    try:
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.glob("*.toml") if p.is_file())[:MAX_USER_LESSONS]
    except OSError:
        return []


def by_order(lessons) -> list[Lesson]:
    return sorted(lessons, key=lambda lesson: (lesson.order, lesson.key))


def load_track() -> Track:
    bundled = by_order(bundled_lessons())
    places = {lesson.key: i for i, lesson in enumerate(bundled)}
    yours, problems = {}, []
    for path in user_files():
        try:
            lesson = load_lesson_file(path, origin="yours", label=str(path))
        except LessonError as err:
            problems.append(str(err))
            continue
        if lesson.key in places:
            bundled[places[lesson.key]] = lesson            # in the bundled one's place: its key stays
        else:
            yours[lesson.key] = lesson
    return Track(tuple(bundled + by_order(yours.values())), tuple(problems))
