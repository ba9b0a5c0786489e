"""The status line: what the trainer is doing, and its numbers in fixed columns; then the last event.

Timing fields read "—" until the first epoch of a run, so a screenshot of a fresh app is the
same every time. A click on a field of the numbers asks for its explanation (ExplainField).
"""

from rich.text import Text
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from nnterm.presets.kinds import loss_formula
from nnterm.runtime.cells import pad, width
from nnterm.runtime.language import N_, _
from nnterm.runtime.numbers import fixed

STATES = {"compiling": (N_("◌ compiling"), "status-compiling"), "training": (N_("▶ training"), "status-training"),
          "paused": (N_("⏸ paused"), "status-paused"), "diverged": (N_("✖ diverged"), "status-diverged")}
STATE_CELLS = 11        # the state's column: "◌ compiling" in English, fewer cells in Chinese
GAP = "  "
# The loss figure's label when the line has room for it, else plain "loss" (the tooltip says the rest):
# the mean over the epoch's minibatches as training went, not the loss on the training set afterwards.
LOSS_LABEL = N_("loss (epoch mean)")
# Field keys that are words, shown translated (val_loss, val_acc, rmse, ep/s are Keras's identifiers).
WORDS = {"epoch": N_("epoch"), "loss": N_("loss"), LOSS_LABEL: LOSS_LABEL}


def shown(name: str) -> str:
    """A field's label as shown: a word translated, an identifier as it is."""
    return _(WORDS[name]) if name in WORDS else name


def metric_fields(task: str, metrics: dict) -> list[tuple[str, str]]:
    """Accuracy for classification; RMSE and R² for regression — with Keras's val_ prefix when
    they are computed on the validation split (as the report names them)."""
    split = "val_" if any(name.startswith("val_") for name in metrics) or not metrics else ""
    if task == "regression":
        return [(split + "rmse", fixed(metrics.get(split + "rmse"))), (split + "r²", fixed(metrics.get(split + "r2"), 3, 6))]
    acc = metrics.get(split + "accuracy")
    return [(split + "acc", fixed(None if acc is None else acc * 100, 1, 5) + "%")]


class StatusLine(Widget):
    """Two lines: the numbers; then the state and the last thing that happened, in words."""

    class ExplainField(Message):
        """A click on a field of the numbers line: `field` is its name as shown (loss, val_acc, ep/s, …)."""

        def __init__(self, field: str) -> None:
            super().__init__()
            self.field = field

    state = reactive("compiling")
    message = reactive("")
    error = reactive(False)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.epoch = 0
        self.budget = 0
        self.report = None              # the latest EpochReport, or None before the first epoch
        self.epochs_per_second = None
        self.backend = "cpu"
        self.data_task = "binary"
        self.field_spans: list[tuple[int, int, str]] = []    # (first cell, end, name) of each field, as drawn
        self.loss_name = "mse"

    def describe_loss(self, loss_name: str) -> None:
        """The loss in force, which the tooltip writes out."""
        self.loss_name = loss_name
        self.tooltip = _("loss: {formula}, averaged over this epoch's minibatches as the weights moved "
                         "(Keras's loss); val_loss: the same loss on the validation split after the epoch").format(
            formula=loss_formula(loss_name))

    def show(self, epoch: int, budget: int, report, epochs_per_second, backend: str, task: str) -> None:
        self.epoch, self.budget, self.report = epoch, budget, report
        self.epochs_per_second, self.backend, self.data_task = epochs_per_second, backend, task
        self.refresh()

    def say(self, text: str, error: bool = False) -> None:
        self.message, self.error = text, error

    # Component styles are taken whole (on the line's own background), not partial: the theme's
    # $text and $text-muted are "auto" colours, which only resolve against a background; a
    # partial style resolved them to white, unreadable on the light theme's panel.
    def render(self) -> Text:
        """ epoch 12/400  loss 0.1234  val_loss 0.1300  val_acc  95.0%    812 ep/s  cpu
         ▶ training   the last thing that happened

        loss is the epoch's mean over its minibatches (Keras's `loss`); val_ figures are on the
        validation split, after the epoch. Fields are placed by cells (a Hanzi takes two), so a
        click finds its field in Chinese too."""
        dim = self.get_component_rich_style("status-label")
        out = Text(no_wrap=True, overflow="ellipsis")
        r = self.report
        digits = len(str(self.budget))
        fields = [("epoch", f"{self.epoch:>{digits}}/{self.budget}"),
                  (LOSS_LABEL, fixed(r.train_loss if r else None)), ("val_loss", fixed(r.val_loss if r else None))]
        fields += metric_fields(self.data_task, r.metrics if r is not None else {})
        room = self.size.width - width(" ep/s" + GAP + self.backend) - 5
        cells = lambda gap: sum(width(shown(name)) + width(value) + 2 + width(gap) for name, value in fields)  # noqa: E731
        if cells(GAP) > room:
            fields[1] = ("loss", fields[1][1])
        gap = GAP if cells(GAP) <= room else " "       # Chinese labels are wider: closer fields before a cut
        spans = []
        for name, value in fields:
            start = width(out.plain)
            out.append(" " + shown(name) + " ", style=dim)
            out.append(value + gap)
            spans.append((start, width(out.plain), "loss" if name == LOSS_LABEL else name))   # the field's key, however labelled
        eps = self.epochs_per_second
        start = width(out.plain)
        out.append(fixed(eps, 0, 5) if eps else "    —")
        out.append(" ep/s" + GAP, style=dim)
        spans.append((start, width(out.plain), "ep/s"))
        start = width(out.plain)
        out.append(self.backend)
        spans.append((start, width(out.plain), "backend"))
        self.field_spans = spans
        label, style_class = STATES[self.state]
        out.append("\n")
        out.append(" " + pad(_(label), STATE_CELLS) + " ", style=self.get_component_rich_style(style_class))
        out.append(self.message, style=self.get_component_rich_style(
            "status-error" if self.error else "status-message"))
        return out

    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y != 0:
            return
        for start, end, name in self.field_spans:
            if start <= offset.x < end:
                self.post_message(self.ExplainField(name))
                return

    COMPONENT_CLASSES = {"status-compiling", "status-training", "status-paused", "status-diverged",
                         "status-label", "status-message", "status-error"}
