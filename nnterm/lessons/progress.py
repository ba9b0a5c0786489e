"""The learner's progress through the track, per user, in $NNTERM_HOME/lessons-progress.json:

    {"format": "nnterm-lessons/1", "current": "neuron",
     "lessons": {"neuron": {"step": 2, "done": [0, 1], "finished": false, "skipped": [1]}}}

`step` is where the lesson resumes (from 0); `done` the steps unlocked; `skipped` those of them
skipped rather than answered (absent in older files). Written atomically
(nnterm/runtime/fileio.py), so a crash leaves the old file or the new one. A damaged or unreadable
file (or a FIFO, a folder) is renamed aside — lessons-progress.json.damaged, then .damaged-2, …,
never over an earlier one — with a one-line notice, and progress starts afresh; never a crash, and
never a save over a file that could not be read.
"""
import json
import os
from dataclasses import dataclass, field

from nnterm.errors import NntermError
from nnterm.runtime.home import nnterm_home
from nnterm.runtime.fileio import atomic_write_text
from nnterm.runtime.reading import read_regular
from nnterm.runtime.visible import visible

FORMAT = "nnterm-lessons/1"
FILE_NAME = "lessons-progress.json"
MAX_BYTES = 256 * 1024
MAX_STEP = 64
MAX_ASIDE = 100                # .damaged … .damaged-100: past that, the file stays where it is, unsaved over


@dataclass
class LessonProgress:
    step: int = 0
    done: set = field(default_factory=set)
    finished: bool = False
    skipped: set = field(default_factory=set)      # of `done`, the steps skipped rather than answered


@dataclass
class Progress:
    lessons: dict = field(default_factory=dict)     # key → LessonProgress
    current: str = ""
    notice: str = ""                                # said once: the file was damaged and set aside
    kept_from: str = ""                             # a file that could be neither read nor set aside: never saved over

    def of(self, key: str) -> LessonProgress:
        return self.lessons.setdefault(key, LessonProgress())

    def as_json(self) -> str:
        return json.dumps({"format": FORMAT, "current": self.current,
                           "lessons": {k: {"step": p.step, "done": sorted(p.done), "finished": p.finished,
                                           "skipped": sorted(p.skipped)}
                                       for k, p in sorted(self.lessons.items())}}, indent=1)


def progress_path():
    return nnterm_home() / FILE_NAME


def parsed(text: str) -> Progress:
    """The file's contents, checked field by field; ValueError for anything else."""
    raw = json.loads(text)
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or not isinstance(raw.get("lessons"), dict):
        raise ValueError("not a progress file")
    current = raw.get("current", "")
    if not isinstance(current, str):
        raise ValueError("current")
    lessons = {}
    for key, entry in raw["lessons"].items():
        if not isinstance(entry, dict):
            raise ValueError(key)
        step, done, finished = entry.get("step", 0), entry.get("done", []), entry.get("finished", False)
        skipped = entry.get("skipped", [])           # absent in files written before it was kept
        ok = (isinstance(step, int) and not isinstance(step, bool) and 0 <= step < MAX_STEP
              and all(steps_list(steps) for steps in (done, skipped)) and isinstance(finished, bool))
        if not ok:
            raise ValueError(key)
        lessons[key] = LessonProgress(step, set(done), finished, set(skipped) & set(done))
    return Progress(lessons, current)


def steps_list(value) -> bool:
    """A list of step numbers, each a whole number 0 … MAX_STEP − 1."""
    return isinstance(value, list) and all(isinstance(d, int) and not isinstance(d, bool) and 0 <= d < MAX_STEP
                                           for d in value)


def load_progress() -> Progress:
    path = progress_path()
    try:
        data = read_regular(path, MAX_BYTES)     # a FIFO there is refused, never waited on
    except FileNotFoundError:
        return Progress()
    except OSError as err:                       # unreadable, or not a file: set aside, never saved over
        return set_aside(path, f"cannot be read ({err.strerror or err.__class__.__name__})")
    try:
        if len(data) > MAX_BYTES:
            raise ValueError("too large")
        return parsed(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return set_aside(path, "was damaged")


def set_aside(path, what: str) -> Progress:
    """Renames the file to the first free `.damaged`, `.damaged-2`, … beside it — an earlier
    copy is never replaced — and starts afresh. Where it cannot be moved, the fresh progress is
    never saved over it (`kept_from`), and the learner is told both times."""
    for number in range(1, MAX_ASIDE + 1):
        aside = path.with_name(FILE_NAME + ".damaged" + (f"-{number}" if number > 1 else ""))
        if os.path.lexists(aside):
            continue
        try:
            os.rename(path, aside)
        except OSError:
            break
        return Progress(notice=f"lesson progress: {visible(path)} {what} and is set aside as {visible(aside)}; "
                               "progress starts afresh")
    return Progress(notice=f"lesson progress: {visible(path)} {what} and could not be set aside; progress starts "
                           "afresh and is not saved over it until you move it", kept_from=str(path))


def save_progress(progress: Progress) -> str:
    """Writes the file atomically; returns "" or the sentence of why it could not be written."""
    path = progress_path()
    if progress.kept_from and os.path.lexists(progress.kept_from):
        return f"lesson progress: {visible(path)} is still the old file that could not be read; move it away to save"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, progress.as_json() + "\n")
    except OSError as err:
        return f"lesson progress: {visible(path)} cannot be written ({err.strerror or err}); it is kept until you quit"
    except NntermError as err:                     # nnterm.runtime.paths refuses a folder or a device there
        return f"lesson progress: {err}"
    return ""


def record(progress: Progress, run) -> None:
    """Where `run` (a LessonRun) stands, into `progress`."""
    mine = progress.of(run.lesson.key)
    progress.current = run.lesson.key
    if run.unlocked:
        mine.done.add(run.index)
        (mine.skipped.add if run.skipped else mine.skipped.discard)(run.index)
    mine.step = run.index
    if run.unlocked and run.last:
        mine.finished = True
