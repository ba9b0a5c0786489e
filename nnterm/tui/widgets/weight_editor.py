"""A small dialog to type a weight's new value; a bad value is refused with a sentence."""
import math

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from nnterm.runtime.language import N_, _
from nnterm.runtime.numbers import read_number, short

LIMIT = 1e6      # beyond this a weight saturates every unit it feeds; float32 would lose the digits


def parse_weight(text: str) -> float:
    """'-0.25', '−0.25' (a real minus sign), '2e-3', '1,5' (a decimal comma: a weight is never in
    the thousands) → float; anything else is a ValueError sentence: a weight's own, since it also
    says what range a weight may take."""
    if not text.strip():
        raise ValueError(_("type a number such as 0.25, -1.5 or 2e-3 (escape leaves the weight as it is)"))
    value = read_number(text, decimal_comma=True)
    if value is None:
        raise ValueError(_("“{text}” is not a number; type one such as 0.25, -1.5 or 2e-3").format(text=text.strip()))
    if not math.isfinite(value):
        raise ValueError(_("“{text}” is not a finite number; a weight must be a finite number such as -1.5").format(
            text=text.strip()))
    if abs(value) > LIMIT:
        raise ValueError(_("{value} is too large: a weight must lie within ±{limit}").format(
            value=short(value), limit=f"{LIMIT:,.0f}"))
    return value


class WeightEditor(ModalScreen[float | None]):
    """Dismisses with the typed value, or None on escape."""

    DEFAULT_CSS = """
    WeightEditor { align: center middle; }
    WeightEditor > Vertical {
        width: 60; max-width: 100%; height: auto; padding: 0 1;
        border: round $primary; background: $surface;
    }
    WeightEditor #weight-error { color: $error; height: auto; }
    WeightEditor .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, current: float) -> None:
        super().__init__()
        self.title_text = title
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text)
            yield Input(value=f"{self.current:.4f}", id="weight-input")
            yield Label("", id="weight-error")
            yield Label(_("enter: set · escape: cancel"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            value = parse_weight(event.value)
        except ValueError as error:
            self.query_one("#weight-error", Label).update(str(error))
            return
        self.dismiss(value)

    def action_cancel(self) -> None:
        self.dismiss(None)
