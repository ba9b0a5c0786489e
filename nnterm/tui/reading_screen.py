"""Never a blank screen while a big CSV is read: a screen that draws at once, reads the data
(building the trainer) in a thread and says what it reads, how far it is and that Esc cancels:

    reading fashion.csv — 31,200 rows, 68 / 131 MB
    esc cancels

`ReadingScreen(preset)` dismisses with the Trainer, or a sentence: the error, or that the reading
was stopped. Two places push it: `read_first(preset)`, a small app of its own before the
playground opens on that trainer (nnterm/commands/tui.py), so the file is read once; and the
playground's `p`, which adopts the trainer when it comes and, on a sentence, says it and keeps
everything it had.
"""
import threading

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Static

from nnterm.data.csv_fast import Watch, watch_readings
from nnterm.errors import NntermError
from nnterm.runtime.language import N_, _, ngettext

_current: list = []        # the reading screen whose watch a read should use: one at a time


def watch_of_the_screen(path: str, size: int) -> Watch | None:
    return _current[0].watch if _current else None


class ReadingWatch(Watch):
    def __init__(self, screen: "ReadingScreen") -> None:
        self.screen, self.stop = screen, threading.Event()

    def progress(self, rows: int, done: int, total: int) -> None:
        self.screen.app.call_from_thread(self.screen.show, rows, done, total)

    def cancelled(self) -> bool:
        return self.stop.is_set()


class ReadingScreen(Screen):
    DEFAULT_CSS = """
    ReadingScreen { align: center middle; }
    ReadingScreen #reading { width: auto; max-width: 100%; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, preset) -> None:
        super().__init__()
        self.preset, self.watch = preset, ReadingWatch(self)
        self.name_shown = preset.data.path

    def compose(self) -> ComposeResult:
        yield Middle(Center(Static(_("reading {name}…\nesc cancels").format(name=self.name_shown), id="reading")))

    def on_mount(self) -> None:
        watch_readings(watch_of_the_screen)
        threading.Thread(target=self.read, name="nnterm-reading", daemon=True).start()

    def show(self, rows: int, done: int, total: int) -> None:
        read = ngettext("reading {name} — {rows} row, {done} / {total} MB",
                        "reading {name} — {rows} rows, {done} / {total} MB", rows).format(
            name=self.name_shown, rows=f"{rows:,}", done=f"{done / 1e6:.0f}", total=f"{total / 1e6:.0f}")
        stopping = self.watch.stop.is_set()
        self.query_one("#reading", Static).update(_("{read} (stopping…)").format(read=read) if stopping
                                                  else _("{read}\nesc cancels").format(read=read))

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
        self.app.call_from_thread(self.dismiss, outcome)

    def action_cancel(self) -> None:
        self.watch.stop.set()
        self.query_one("#reading", Static).update(_("stopping the reading of {name}…").format(name=self.name_shown))


class ReadingApp(App):
    """The reading screen alone, before the playground's app starts."""

    def __init__(self, preset) -> None:
        super().__init__()
        self.preset = preset

    def on_mount(self) -> None:
        self.push_screen(ReadingScreen(self.preset), self.exit)


def read_first(preset):
    """The Trainer on the preset, read behind a screen that says how far it is; or a sentence."""
    app = ReadingApp(preset)
    app.run()
    return app.return_value if app.return_value is not None else f"{preset.data.path}: reading stopped"
