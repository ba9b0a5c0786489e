"""The screen shown while a teaching screen's kernels compile in the background (the first
time, with an empty cache): it says so, answers escape, and swaps itself for the real screen
the moment the warm-up has loaded its group (nnterm/warmup/kernel_warm_up.py)."""
import time

from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from nnterm.runtime.language import N_, _
from nnterm.tui.guard import on_top


class CompilingScreen(Screen):
    BINDINGS = [Binding("escape", "back", N_("back"))]
    DEFAULT_CSS = """
    CompilingScreen { align: center middle; }
    CompilingScreen #compiling { width: auto; max-width: 80; height: auto; padding: 1 2; border: round $primary; }
    """

    class Ready(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, title: str, group: str, warm_up, open_screen) -> None:
        """`title` is a msgid (a screen's title). `open_screen()` builds the real screen (or None: nothing to open); it runs on the UI thread
        once `group` is ready."""
        super().__init__()
        self.title_text, self.group, self.warm_up, self.open_screen = title, group, warm_up, open_screen
        self.started = time.monotonic()

    def compose(self):
        yield Static(self.text(), id="compiling")

    def text(self) -> str:
        seconds = time.monotonic() - self.started
        return (_("{screen}: compiling its kernels… {seconds} s").format(screen=_(self.title_text), seconds=f"{seconds:.0f}")
                + "\n" + _("The first time only: they are cached for every later start. Escape goes back."))

    def on_mount(self) -> None:
        self.ticker = self.set_interval(1.0, lambda: self.query_one("#compiling", Static).update(self.text()))
        self.warm_up.when_ready(self.group, lambda error: self.post_message(self.Ready(error)))

    def on_compiling_screen_ready(self, message: Ready) -> None:
        self.ticker.stop()
        if message.error:
            self.query_one("#compiling", Static).update(
                _("{screen}: its kernels could not be prepared: {error}").format(screen=_(self.title_text), error=message.error)
                + "\n" + _("Escape goes back."))
            return
        if self.app.screen is self:                       # still waiting on top: open the real one in its place
            screen = self.open_screen()
            if screen is None:                            # nothing to open after all (it said why)
                self.app.pop_screen()
            else:
                self.app.switch_screen(screen)

    def action_back(self) -> None:
        if on_top(self):                           # never the screen under it: a key typed after it was replaced
            self.app.pop_screen()
