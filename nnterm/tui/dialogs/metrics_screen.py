"""The metrics panel (key v): the network's figures on one split, with the words `nnterm eval`
prints — accuracy as right/total, precision, recall and F1 per class and their macro means, the
confusion matrix, and for two classes the ROC curve with its area; for regression RMSE, MAE and
R², and predictions against targets. One implementation: nnterm/engine/evaluation.py computes
them and nnterm/commands/eval.py writes them; this screen shows what they give.

The predictions are a kernel call, made in a worker thread; t walks the splits the data keeps.
"""
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from nnterm.engine.evaluation import report_lines
from nnterm.engine.evaluation import evaluate_outputs, positive_scores, roc_curve
from nnterm.engine.metrics import predicted_classes
from nnterm.runtime.language import N_, _
from nnterm.tui.widgets.palette import BLUE, ORANGE

SPLITS = (("val", N_("validation")), ("test", N_("test")), ("train", N_("training")))      # the names are msgids


class Curve(Widget):
    """A line (the ROC curve) or points (predictions against targets), drawn by plotext."""

    DEFAULT_CSS = "Curve { width: 1fr; height: 22; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.xs = self.ys = None
        self.scatter, self.labels = False, ("", "")

    def show(self, xs, ys, scatter: bool, labels: tuple[str, str]) -> None:
        self.xs, self.ys, self.scatter, self.labels = xs, ys, scatter, labels
        self.refresh()

    def render(self) -> Text:
        width, height = self.content_size
        if self.xs is None or width < 16 or height < 6:
            return Text("")
        import plotext                       # here, not at load: only a screen that draws needs it
        fig = plotext.figure
        fig.clear()
        fig.plot_size(width, height)
        fig.theme("simple")
        fig.legend(False)
        marker = plotext.marker("hd", plotext.pixel(ORANGE if self.scatter else BLUE))
        signal = fig.signal(list(map(float, self.xs)), list(map(float, self.ys)), marker=marker)
        fig.draw(signal if self.scatter else signal.lines())
        if not self.scatter:                 # the diagonal: a classifier that guesses
            fig.draw(fig.signal([0.0, 1.0], [0.0, 1.0], marker=plotext.marker("hd", plotext.pixel((130, 136, 145)))).lines())
        return Text.from_ansi(fig.build().string(), no_wrap=True)


class MetricsScreen(ModalScreen):
    BINDINGS = [("escape", "dismiss", N_("Back")), ("v", "dismiss", N_("Back")), ("t", "next_split", N_("Split")),
                ("X", "explain", N_("Explain"))]

    class Computed(Message):
        def __init__(self, split: str, lines: list[str], curve, explanations=()) -> None:
            super().__init__()
            self.split, self.lines, self.curve = split, lines, curve
            self.explanations = explanations       # what X explains: accuracy, precision, recall, F1

    def __init__(self, trainer) -> None:
        super().__init__()
        self.trainer = trainer
        data = trainer.data
        sizes = {"val": data.x_val.shape[0], "test": data.x_test.shape[0], "train": data.x_train.shape[0]}
        self.splits = [(key, name) for key, name in SPLITS if sizes[key]]
        self.index = 0
        self.explanations = ()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="metrics", classes="dialog") as box:
            box.border_title = _("Metrics")
            box.border_subtitle = _("t another split · escape closes")
            with Horizontal(id="metrics-body"):
                yield Static(Text(_("computing …"), style="dim"), id="metrics-text")
                yield Curve(id="metrics-curve")

    def on_mount(self) -> None:
        self.compute(*self.splits[self.index])

    def on_resize(self) -> None:
        # beside the figures where there is room, below them (scrolled to) where there is not
        # (query(): a resize can reach the screen while it is taken down, its widgets already gone)
        for body in self.query("#metrics-body"):
            body.styles.layout = "horizontal" if self.size.width >= 120 else "vertical"

    def action_next_split(self) -> None:
        self.index = (self.index + 1) % len(self.splits)
        self.compute(*self.splits[self.index])

    @work(thread=True, exclusive=True, exit_on_error=False, group="metrics")
    def compute(self, key: str, name: str) -> None:
        trainer, data = self.trainer, self.trainer.data
        x, y = {"val": (data.x_val, data.y_val), "test": (data.x_test, data.y_test), "train": (data.x_train, data.y_train)}[key]
        outputs = trainer.backend.predict(trainer.network, x)
        loss = trainer.backend.evaluate_loss(trainer.network, x, y)
        values, targets = data.in_target_units(outputs), data.in_target_units(y)
        metrics = evaluate_outputs(data.task, values, targets, data.n_classes)
        title = _("{split} split · {count} samples · epoch {epoch}").format(split=_(name), count=x.shape[0], epoch=trainer.epoch)
        lines = report_lines(title, loss, metrics, data.class_names)
        if data.task != "regression":
            right = int((predicted_classes(outputs) == predicted_classes(y)).sum())
            lines.insert(1, _("accuracy = right / total = {right} / {total} = {accuracy}").format(
                right=right, total=x.shape[0], accuracy=f"{right / x.shape[0]:.4f}"))
        curve = None
        if data.task == "regression":
            curve = (targets[:, 0], values[:, 0], True, (_("target"), _("prediction")))
            lines += ["", *_("right: each prediction (up) against its\ntarget (across); on the diagonal, exact").split("\n")]
        elif data.n_classes == 2:
            fpr, tpr = roc_curve(positive_scores(outputs), predicted_classes(y) == 1)
            lines += ["", *_("ROC curve, right: the true-positive rate\nagainst the false-positive rate as the\n"
                             "threshold falls; its area {area}\n(0.5: guessing, 1: perfect)").format(
                area=f"{metrics['roc_auc']:.4f}").split("\n")]
            curve = (fpr, tpr, False, (_("false-positive rate"), _("true-positive rate")))
        self.post_message(self.Computed(name, lines, curve, explained(data, outputs, y, metrics, name)))

    def on_metrics_screen_computed(self, message: Computed) -> None:
        self.query_one("#metrics-text", Static).update(Text("\n".join(message.lines), no_wrap=True))
        self.explanations = message.explanations
        curve = self.query_one(Curve)
        curve.display = message.curve is not None
        if message.curve is not None:
            curve.show(*message.curve)

    # --- what X explains --------------------------------------------------------------------
    def action_explain(self) -> None:
        from nnterm.tui.dialogs.explain_screen import open_picker
        open_picker(self)

    def explainables(self) -> list:
        from nnterm.runtime.numbers import num
        from nnterm.tui.dialogs.explain_screen import Explainable
        return [Explainable(e.title, num(e.result), lambda e=e: e) for e in self.explanations]

    def explained_terms(self) -> tuple:
        return ("accuracy", "precision", "recall", "F1", "ROC-AUC", "confusion matrix", "rmse", "r²",
                "validation split", "test split", "training split", "validation vs test")


def explained(data, outputs, y, metrics: dict, split: str) -> tuple:
    """Accuracy as right/total, and each class's precision, recall and F1 from the confusion counts."""
    if data.task == "regression":
        return ()
    from nnterm.teach import explain
    out = [explain.accuracy(outputs, y, split)]
    counts = metrics["confusion_matrix"]
    classes = range(1, 2) if counts.shape[0] == 2 else range(counts.shape[0])
    for cls in classes:
        name = data.class_names[cls] if cls < len(data.class_names) else ""
        out += explain.classification_scores(counts, cls, name)
    return tuple(out)
