"""A big CSV read in a thread, the Trainer built on it, while a screen shows how far it is (the
reading box, nnterm/tui/reading_screen.py, which starts it).

    reading = BackgroundRead(preset).start()
    reading.attach(show, done)     # show(rows, done, total) and done(outcome) from the thread

`outcome` is the Trainer, or a sentence: the error, that the reading was stopped, or that
memory ran out. Whatever was shown before `attach` is handed back by it: the last progress,
or the outcome when the read is already over.
"""
import threading

from nnterm.data.csv_fast import Watch, watch_readings
from nnterm.errors import NntermError
from nnterm.runtime.language import _

_current: list = []        # the read whose watch a CSV read should use: one at a time


def watch_of_the_read(path: str, size: int) -> Watch | None:
    return _current[0].watch if _current else None


class ReadingWatch(Watch):
    def __init__(self, reading: "BackgroundRead") -> None:
        self.reading = reading

    def progress(self, rows: int, done: int, total: int) -> None:
        self.reading.progress(rows, done, total)

    def cancelled(self) -> bool:
        return self.reading.stop.is_set()


class BackgroundRead:
    """`finished`: an Event set the moment the read ends (the kernel warm-up waits for it)."""

    def __init__(self, preset, finished: threading.Event | None = None) -> None:
        self.preset, self.finished = preset, finished
        self.watch, self.stop = ReadingWatch(self), threading.Event()
        self.started = False
        self.lock = threading.Lock()            # between the reading thread and the one attaching
        self.last: tuple[int, int, int] | None = None
        self.outcome = None
        self.shown_by = None                    # (show, done), once attached

    def start(self) -> "BackgroundRead":
        if not self.started:
            self.started = True
            watch_readings(watch_of_the_read)
            threading.Thread(target=self.read, name="nnterm-reading", daemon=True).start()
        return self

    def attach(self, show, done) -> tuple:
        """From now on the thread calls show(rows, done, total) and done(outcome). Returns
        (the last progress or None, the outcome or None) as they stood: what the caller shows
        at once, since the thread will not call again for it."""
        with self.lock:
            self.shown_by = (show, done)
            return self.last, self.outcome

    def progress(self, rows: int, done: int, total: int) -> None:
        with self.lock:
            self.last, shown_by = (rows, done, total), self.shown_by
        if shown_by is not None:
            shown_by[0](rows, done, total)

    def read(self) -> None:
        from nnterm.engine.trainer import Trainer
        _current[:] = [self]
        try:
            outcome = Trainer(self.preset)
        except NntermError as err:
            outcome = str(err)
        except MemoryError:
            outcome = _("{path}: not enough memory to read the file").format(path=self.preset.data.path)
        finally:
            _current.clear()
            if self.finished is not None:
                self.finished.set()
        with self.lock:
            self.outcome, shown_by = outcome, self.shown_by
        if shown_by is not None:
            shown_by[1](outcome)
