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
from nnterm.runtime.numbers import fixed

STATES = {"compiling": ("◌ compiling", "status-compiling"), "training": ("▶ training", "status-training"),
          "paused": ("⏸ paused", "status-paused"), "diverged": ("✖ diverged", "status-diverged")}
GAP = "  "
# The loss figure's label when the line has room for it, else plain "loss" (the tooltip says the rest):
# the mean over the epoch's minibatches as training went, not the loss on the training set afterwards.
LOSS_LABEL = "loss (epoch mean)"


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
        self.tooltip = (f"loss: {loss_formula(loss_name)}, averaged over this epoch's minibatches as the weights moved "
                        "(Keras's loss); val_loss: the same loss on the validation split after the epoch")

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
        validation split, after the epoch."""
        dim = self.get_component_rich_style("status-label")
        out = Text(no_wrap=True, overflow="ellipsis")
        r = self.report
        width = len(str(self.budget))
        fields = [("epoch", f"{self.epoch:>{width}}/{self.budget}"),
                  (LOSS_LABEL, fixed(r.train_loss if r else None)), ("val_loss", fixed(r.val_loss if r else None))]
        fields += metric_fields(self.data_task, r.metrics if r is not None else {})
        room = self.size.width - len(" ep/s" + GAP + self.backend) - 5
        if sum(len(name) + len(value) + 2 + len(GAP) for name, value in fields) > room:
            fields[1] = ("loss", fields[1][1])
        spans = []
        for name, value in fields:
            start = len(out)
            out.append(" " + name + " ", style=dim)
            out.append(value + GAP)
            spans.append((start, len(out), "loss" if name == LOSS_LABEL else name))   # the field's key, however labelled
        eps = self.epochs_per_second
        start = len(out)
        out.append(fixed(eps, 0, 5) if eps else "    —")
        out.append(" ep/s" + GAP, style=dim)
        spans.append((start, len(out), "ep/s"))
        start = len(out)
        out.append(self.backend)
        spans.append((start, len(out), "backend"))
        self.field_spans = spans
        label, style_class = STATES[self.state]
        out.append("\n")
        out.append(f" {label:<11} ", style=self.get_component_rich_style(style_class))
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
