"""Never a blank screen while a big CSV is read: a box that draws at once, over whatever is
behind it, and says what is read, how far it is and that Esc cancels:

    reading fashion.csv — 31,200 rows, 68 / 131 MB
    esc cancels

`ReadingScreen(reading)` shows a read in a thread (nnterm/session/background_read.py, started
here if it was not before) and dismisses with its outcome: the Trainer, or a sentence — the
error, or that the reading was stopped. Three places push it. `nnterm tui` on a big CSV opens
the playground at once on a trainer over the header's stand-in and pushes this box once the
playground is drawn, the network in view behind it; the box starts the read, and the read
trainer takes over when it comes (nnterm/tui/app.py). A file whose header gives no stand-in is read by `read_first(preset)`, a
small app of its own, before the playground opens on that trainer (nnterm/commands/tui.py). And
the playground's `p` adopts the trainer when it comes and, on a sentence, says it and keeps
everything it had.
"""
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from nnterm.runtime.language import N_, _, ngettext
from nnterm.session.background_read import BackgroundRead


class ReadingScreen(ModalScreen):
    """A modal box: what is behind it (the playground's network, drawn meanwhile) stays in view,
    dimmed, and takes no key until the read ends."""
    DEFAULT_CSS = """
    ReadingScreen { align: center middle; }
    ReadingScreen #reading { width: auto; height: auto; max-width: 100%; padding: 0 2; border: round $primary;
                             background: $panel; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]
    WITHOUT_PALETTE = True         # the palette's verbs would act on a trainer about to be replaced

    def __init__(self, reading: BackgroundRead) -> None:
        super().__init__()
        self.reading = reading
        self.name_shown = reading.preset.data.path

    def compose(self) -> ComposeResult:
        # the box alone: in Middle(Center(…)) the screen behind is not drawn (Textual 8.2)
        yield Static(_("reading {name}…\nesc cancels").format(name=self.name_shown), id="reading")

    def on_mount(self) -> None:
        last, outcome = self.reading.start().attach(
            lambda rows, done, total: self.app.call_from_thread(self.show, rows, done, total),
            lambda outcome: self.app.call_from_thread(self.dismiss, outcome))
        if outcome is not None:                  # read before this screen came
            self.call_later(self.dismiss, outcome)
        elif last is not None:
            self.show(*last)

    def show(self, rows: int, done: int, total: int) -> None:
        read = ngettext("reading {name} — {rows} row, {done} / {total} MB",
                        "reading {name} — {rows} rows, {done} / {total} MB", rows).format(
            name=self.name_shown, rows=f"{rows:,}", done=f"{done / 1e6:.0f}", total=f"{total / 1e6:.0f}")
        stopping = self.reading.stop.is_set()
        self.query_one("#reading", Static).update(_("{read} (stopping…)").format(read=read) if stopping
                                                  else _("{read}\nesc cancels").format(read=read))

    def action_cancel(self) -> None:
        self.reading.stop.set()
        self.query_one("#reading", Static).update(_("stopping the reading of {name}…").format(name=self.name_shown))


class ReadingApp(App):
    """The reading screen alone, before the playground's app starts."""

    def __init__(self, preset) -> None:
        super().__init__()
        self.preset = preset

    def on_mount(self) -> None:
        self.push_screen(ReadingScreen(BackgroundRead(self.preset)), self.exit)


def read_first(preset):
    """The Trainer on the preset, read behind a screen that says how far it is; or a sentence."""
    app = ReadingApp(preset)
    app.run()
    return app.return_value if app.return_value is not None else f"{preset.data.path}: reading stopped"
