"""The one-line number entry of the extra screens (price game, descent race, neuron lab).

Hidden and disabled until a key opens it, so it is never focused by accident and every other
key reaches the screen's bindings. Enter submits it as any Input does (`Input.Submitted`, which
nnterm/tui/teaching/base.py reads with the TUI's one parser); the screen's escape closes it.
"""
from textual.widgets import Input


class InlineEditor(Input):
    DEFAULT_CSS = """
    InlineEditor { display: none; }
    InlineEditor.editing { display: block; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(disabled=True, select_on_focus=False, **kwargs)
        self.what: str | None = None          # what is being typed, while open

    @property
    def is_open(self) -> bool:
        return self.what is not None

    def open(self, what: str, placeholder: str, text: str = "", password: bool = False) -> None:
        self.what = what
        self.placeholder, self.password, self.value = placeholder, password, text
        self.add_class("editing")
        self.disabled = False
        self.focus()
        self.cursor_position = len(text)

    def close(self) -> str | None:
        """Hides it and gives the keys back to the screen; returns what was being typed."""
        what, self.what = self.what, None
        self.remove_class("editing")
        self.disabled = True
        self.screen.set_focus(None)
        return what

    async def take(self, key: str, character: str | None) -> bool:
        """A key the screen got while this editor was open — one queued before the editor took the
        focus, as the rest of "1500⏎" typed fast or pasted is — typed here as if it had come here.
        Whether it was one an editor types (a character, backspace, enter)."""
        if character and character.isprintable():
            self.insert_text_at_cursor(character)
        elif key == "backspace":
            self.action_delete_left()
        elif key == "enter":
            await self.action_submit()
        else:
            return False
        return True
