"""A one-line file-name prompt (keys w and W: save and load the trained weights).

Dismisses with what was typed (stripped), or None on escape; the session's verb checks the
path and says in one sentence what is wrong with it, so the dialog judges nothing itself.
"""
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from nnterm.runtime.language import N_, _


class PathPrompt(ModalScreen):
    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, what: str, path: str, note: str = "") -> None:
        """`title`, `what` and `note` are msgids: shown in the language in use."""
        super().__init__()
        self.title_text, self.what, self.path, self.note = title, what, path, note

    def compose(self) -> ComposeResult:
        with Vertical(id="path-prompt", classes="dialog") as box:
            box.border_title = _(self.title_text)
            yield Label(_(self.what), id="path-what")
            yield Input(self.path, id="path-input")
            yield Static(_(self.note) if self.note else "", classes="note")
            with Horizontal(classes="buttons"):
                yield Button(_("OK"), variant="primary", id="path-ok")
                yield Button(_("Cancel"), id="path-cancel")

    def retranslate(self) -> None:
        """After a live language switch: every word again; what was typed stays."""
        self.query_one("#path-prompt").border_title = _(self.title_text)
        self.query_one("#path-what", Label).update(_(self.what))
        self.query_one(".note", Static).update(_(self.note) if self.note else "")
        self.query_one("#path-ok", Button).label = _("OK")
        self.query_one("#path-cancel", Button).label = _("Cancel")

    def on_mount(self) -> None:
        self.query_one("#path-input", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#path-ok")
    def done(self) -> None:
        text = self.query_one("#path-input", Input).value.strip()
        self.dismiss(text or None)

    @on(Button.Pressed, "#path-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
