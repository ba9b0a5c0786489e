"""The controls of the side panels: a labelled one-line row, and a pick-or-type number select.

`NumberSelect` offers a list (TensorFlow Playground's learning rates, say) plus "other…", which
asks for any typed value in a small dialog. It reports a choice as `NumberSelect.Picked`; a value
set by the app (a preset was loaded) is shown without being reported back.
"""
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from nnterm.errors import NntermError
from nnterm.runtime.language import N_, _
from nnterm.runtime.numbers import parse_number, short

OTHER = "other"


class Row(Horizontal):
    """`label  [control]` on one line; `label` is an English msgid, shown translated."""

    def __init__(self, label: str, control, **kwargs) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.control = control

    def compose(self) -> ComposeResult:
        yield Label(_(self.label), classes="row-label")
        yield self.control


def quiet_set(select: Select, value) -> None:
    """Shows `value` without posting Changed: the app set it, the user did not choose it."""
    with select.prevent(Select.Changed):
        select.value = value


class NumberSelect(Select):
    """A compact select of numbers, with "other…" to type any value."""

    class Picked(Message):
        def __init__(self, select: "NumberSelect", value: float | int) -> None:
            super().__init__()
            self.select = select
            self.value = value

        @property
        def control(self) -> "NumberSelect":
            return self.select

    def __init__(self, choices, value, what: str, whole: bool = False, fmt=short, **kwargs) -> None:
        self.choices = tuple(choices)
        self.what = what                  # "learning rate" (a msgid): names the value in the dialog and in errors
        self.whole = whole
        self.fmt = fmt
        self.number = value
        super().__init__(self.options_for(value), value=value, allow_blank=False, compact=True,
                         type_to_search=False, **kwargs)

    @classmethod
    def declared(cls, control, value) -> "NumberSelect":
        """The select of a control declared in nnterm/presets/controls.py, showing `value`."""
        return cls(control.choices, value, control.prompt, whole=control.whole, fmt=control.fmt, id=control.id)

    def options_for(self, value) -> list:
        values = sorted(set(self.choices) | {value})
        self.listed = set(values)
        return [(self.fmt(v), v) for v in values] + [(_("other…"), OTHER)]

    def set_number(self, value) -> None:
        """Shows `value` (adding it to the list if it is not there) without reporting it."""
        self.number = value
        with self.prevent(Select.Changed):
            if value not in self.listed:
                self.set_options(self.options_for(value))
            self.value = value

    @on(Select.Changed)
    def chosen(self, event: Select.Changed) -> None:
        if event.select is not self:
            return
        event.stop()
        if event.value == OTHER:
            quiet_set(self, self.number)
            self.app.push_screen(NumberPrompt(self.what, self.number, self.whole), self.typed)
        elif event.value != self.number:
            self.number = event.value
            self.post_message(self.Picked(self, event.value))

    def typed(self, value) -> None:
        if value is not None:
            self.set_number(value)
            self.post_message(self.Picked(self, value))


class NumberPrompt(ModalScreen):
    """Asks for one number; dismisses with it, or with None on escape."""

    BINDINGS = [("escape", "cancel", N_("Cancel"))]

    def __init__(self, what: str, current, whole: bool = False) -> None:
        """`what` is a msgid: shown in the language in use."""
        super().__init__()
        self.what = what
        self.current = current
        self.whole = whole

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt", classes="dialog"):
            yield Label(id="prompt-what")
            yield Input(short(self.current), id="number")
            yield Static("", id="prompt-error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(id="ok", variant="primary")
                yield Button(id="cancel")

    def on_mount(self) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        """The prompt's words in the language in use (again after a live switch); what was typed stays."""
        what = _(self.what)
        self.query_one("#prompt").border_title = what[:1].upper() + what[1:]
        self.query_one("#prompt-what", Label).update(
            _("Type a whole number and press enter (escape cancels).") if self.whole
            else _("Type a number and press enter (escape cancels)."))
        self.query_one("#ok", Button).label = _("OK")
        self.query_one("#cancel", Button).label = _("Cancel")

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def accept(self) -> None:
        text = self.query_one("#number", Input).value
        try:
            value = parse_number(text, _(self.what), self.whole)
        except NntermError as err:
            self.query_one("#prompt-error", Static).update(str(err))
            return
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
