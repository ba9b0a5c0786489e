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

from nnterm.runtime.language import N_, _


class ShareDialog(ModalScreen):
    BINDINGS = [("escape", "dismiss", N_("Close")), ("c", "dismiss", N_("Close")), ("q", "dismiss", N_("Close"))]

    def __init__(self, line: str) -> None:
        super().__init__()
        self.line = line

    def retranslate(self) -> None:
        self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        with Vertical(id="share", classes="dialog") as box:
            box.border_title = _("Share this setup")
            box.border_subtitle = _("escape closes")
            if self.app.is_web:                # a browser tab of `nnterm serve`: no terminal in sight
                yield Static(_("In a terminal where nnterm is installed, this line opens the same playground:"))
            else:
                yield Static(_("Pasted into a terminal, this line opens the same playground:"))
            yield Static(Text(self.line, style="bold"), id="share-line")
            yield Static(_("Copied to the clipboard where this browser allows it (OSC 52); otherwise select it here. "
                           "`nnterm train` takes the same --set options.") if self.app.is_web else
                         _("Copied to the clipboard where the terminal allows it (OSC 52); otherwise select it here. "
                           "`nnterm train` takes the same --set options."), classes="muted")
