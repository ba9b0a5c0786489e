"""Share (key c): the one command line that rebuilds this setup, shown whole and copied.

The line comes from nnterm/presets/share.py (the nearest bundled preset and a --set for each
difference). It is sent to the clipboard over OSC 52 (Textual's copy_to_clipboard): most
terminals take it, some (macOS Terminal, tmux without set-clipboard) ignore it, so it is also
shown here, to select and copy by hand.
"""
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ShareDialog(ModalScreen):
    BINDINGS = [("escape", "dismiss", "Close"), ("c", "dismiss", "Close"), ("q", "dismiss", "Close")]

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line

    def compose(self) -> ComposeResult:
        with Vertical(id="share", classes="dialog") as box:
            box.border_title = "Share this setup"
            box.border_subtitle = "escape closes"
            if self.app.is_web:                # a browser tab of `nnterm serve`: no terminal in sight
                yield Static("In a terminal where nnterm is installed, this line opens the same playground:")
            else:
                yield Static("Pasted into a terminal, this line opens the same playground:")
            yield Static(Text(self.line, style="bold"), id="share-line")
            where = "this browser" if self.app.is_web else "the terminal"
            yield Static(f"Copied to the clipboard where {where} allows it (OSC 52); "
                         "otherwise select it here. `nnterm train` takes the same --set options.",
                         classes="muted")
