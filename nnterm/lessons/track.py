"""The track: the bundled lessons (nnterm/lessons/bundled/*.toml, package data) and the user's
own ($NNTERM_HOME/lessons/*.toml), in the order their files say.

A file that does not load is reported in one sentence and left out; the rest of the track
loads. The bundled lessons come first, in their order, so each keeps its place (and its key on
the track screen) whatever the user adds; the user's own follow, in theirs. A user's lesson with
a bundled lesson's name takes that lesson's place (it is the user's file).

A lesson's translations sit beside it, NAME.zh.toml (nnterm/lessons/translation.py); one in the
user's folder translates the user's NAME.toml, or the bundled one where the user has none (a
teacher's own translation of a bundled lesson). A translation that does not load is one sentence
too, and its lesson stays in the language it was written in.
"""
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from nnterm.lessons.format import Lesson, LessonError, lesson_from_text, load_lesson_file, read_lesson_text, NAME
from nnterm.lessons.translation import overlay_from_text, overlay_name, translated
from nnterm.runtime.home import nnterm_home

MAX_USER_LESSONS = 100         # a folder of more is read up to this many files


@dataclass(frozen=True)
class Track:
    lessons: tuple             # Lesson, in order
    problems: tuple            # one sentence per file that did not load

    def find(self, key: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.key == key), None)

    def position(self, lesson: Lesson) -> tuple[int, int]:
        """(its place from 1, lessons in the track), found by its key: any language's version of it."""
        return [each.key for each in self.lessons].index(lesson.key) + 1, len(self.lessons)


def user_lesson_dir() -> Path:
    return nnterm_home() / "lessons"


def bundled_lessons() -> list[Lesson]:
    folder = resources.files("nnterm.lessons.bundled")
    items = sorted((item for item in folder.iterdir() if item.name.endswith(".toml")), key=lambda p: p.name)
    beside = {}                                  # key → [(language, its translation's file)]
    for item in items:
        if (named := overlay_name(item.name)) is not None:
            beside.setdefault(named[0], []).append((named[1], item))
    out = []
    for item in items:
        if overlay_name(item.name) is None:
            key = item.name[:-5]
            lesson = lesson_from_text(item.read_text(encoding="utf-8"), key, f"{key}.toml (bundled)", "bundled")
            out.append(translated(lesson, *(overlay_from_text(other.read_text(encoding="utf-8"), lesson, code,
                                                              f"{other.name} (bundled)")
                                            for code, other in beside.get(key, []))))
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
    files = user_files()
    for path in files:
        if overlay_name(path.name) is not None:
            continue                                        # a translation: joined to its lesson below
        try:
            lesson = load_lesson_file(path, origin="yours", label=str(path))
        except LessonError as err:
            problems.append(str(err))
            continue
        if lesson.key in places:
            bundled[places[lesson.key]] = lesson            # in the bundled one's place: its key stays
        else:
            yours[lesson.key] = lesson
    for path in files:
        named = overlay_name(path.name)
        if named is None:
            continue
        key, code = named
        lesson = yours.get(key) or (bundled[places[key]] if key in places else None)
        if lesson is None:
            problems.append(f"lesson {path}: translates {key}.toml, which is not in the track")
            continue
        try:
            words = overlay_from_text(read_lesson_text(path, str(path)), lesson, code, str(path))
        except LessonError as err:
            problems.append(str(err))
            continue
        lesson = translated(lesson, *(w for c, w in lesson.translations[1:] if c != code), words)
        if key in yours:
            yours[key] = lesson
        else:
            bundled[places[key]] = lesson
    return Track(tuple(bundled + by_order(yours.values())), tuple(problems))
