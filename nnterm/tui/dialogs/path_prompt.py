"""A one-line file-name prompt (keys w and W: save and load the trained weights).

Dismisses with what was typed (stripped), or None on escape; the session's verb checks the
path and says in one sentence what is wrong with it, so the dialog judges nothing itself.
"""
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class PathPrompt(ModalScreen):
    BINDINGS = [("escape", "cancel", "Cancel")]

    def __init__(self, title: str, what: str, path: str, note: str = "") -> None:
        super().__init__()
        self.title_text, self.what, self.path, self.note = title, what, path, note

    def compose(self) -> ComposeResult:
        with Vertical(id="path-prompt", classes="dialog") as box:
            box.border_title = self.title_text
            yield Label(self.what)
            yield Input(self.path, id="path-input")
            yield Static(self.note, classes="note")
            with Horizontal(classes="buttons"):
                yield Button("OK", variant="primary", id="path-ok")
                yield Button("Cancel", id="path-cancel")

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
