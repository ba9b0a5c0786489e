"""The command line's progress line while a big CSV is read (on a terminal only):

    nnterm: reading fashion.csv: 31,200 rows, 68 / 131 MB (Ctrl+C stops)

redrawn in place at most every REDRAW_SECONDS, and wiped when the reading ends however it ends
(read, refused, Ctrl+C), so what is printed next starts on a clean line. Files under PROGRESS_FROM_BYTES read too fast to need it.
"""
import os
import sys
import time

from nnterm.data.csv_fast import Watch, watch_readings
from nnterm.runtime.cells import pad, width as cells
from nnterm.runtime.language import _

PROGRESS_FROM_BYTES = 4 << 20
REDRAW_SECONDS = 0.2


class TerminalProgress(Watch):
    def __init__(self, path: str, stream):
        self.path, self.stream, self.drawn_at, self.width = path, stream, 0.0, 0

    def progress(self, rows: int, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.drawn_at >= REDRAW_SECONDS and done < total:
            line = _("nnterm: reading {path}: {rows:,} rows, {done:.0f} / {total:.0f} MB (Ctrl+C stops)").format(
                path=self.path, rows=rows, done=done / 1e6, total=total / 1e6)
            self.stream.write("\r" + pad(line, self.width))          # by cells: a Chinese line wipes the last one too
            self.width, self.drawn_at = max(self.width, cells(line)), now
            self.stream.flush()

    def finish(self) -> None:
        """Wiped, so that what comes next — the command's output, an error, "interrupted" — starts clean."""
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def make_watch(path: str, size: int) -> TerminalProgress | None:
    stream = sys.stderr
    return TerminalProgress(path, stream) if size >= PROGRESS_FROM_BYTES and stream.isatty() else None


def show_reading_progress() -> None:
    """From now on, every CSV over PROGRESS_FROM_BYTES read without a watch of its own says how far it
    is on stderr, when stderr is a terminal (once per process, however often it is called)."""
    watch_readings(make_watch)


def reads_a_big_file(preset) -> bool:
    """A CSV long enough to read for a while: the app reads it behind its reading screen
    (nnterm/tui/reading_screen.py), at launch and when the playground loads it."""
    if preset.data.kind != "csv" or not preset.data.path:
        return False
    try:
        return os.stat(preset.data.path).st_size >= PROGRESS_FROM_BYTES
    except OSError:
        return False                              # the reader says what is wrong, in its sentence
