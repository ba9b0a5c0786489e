"""The model summary (key m): Keras's summary() table, then the data and training in words."""
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from nnterm.presets.edits import regularization
from nnterm.runtime.cells import pad
from nnterm.runtime.language import N_, _
from nnterm.runtime.numbers import short


LABEL_CELLS = 11          # the labels' column, in cells (a Hanzi takes two)


def describe(trainer) -> str:
    p, d = trainer.preset, trainer.data
    t = p.training
    kind, rate = regularization(p)
    split = _("{train} train · {validation} validation · {test} test").format(
        train=len(d.x_train), validation=len(d.x_val), test=len(d.x_test))
    reg = _("none") if kind == "none" else f"{kind} {short(rate)}"
    inputs = ", ".join(d.feature_names[:10]) + (" …" if len(d.feature_names) > 10 else "")
    rows = [
        (_("Preset"), _("{name} (seed {seed})").format(name=p.name, seed=p.seed)),
        (_("Data"), f"{p.data.kind}: {_(d.task)}, {split}"),
        (_("Inputs"), inputs),
        (_("Training"), _("{optimizer}, loss {loss}, learning rate {rate}, batch {batch}, regularisation {regularisation}")
         .format(optimizer=t.optimizer, loss=t.loss, rate=short(t.learning_rate), batch=trainer.batch_size,
                 regularisation=reg)),
        (_("Progress"), _("epoch {epoch} of {epochs} · backend {backend} · {dtype}").format(
            epoch=trainer.epoch, epochs=t.epochs, backend=trainer.backend.name, dtype=p.network.dtype)),
    ]
    return "\n".join([trainer.network.summary(), ""] + [pad(label, LABEL_CELLS) + value for label, value in rows])


# The tasks a data set can have, as words to show (the summary's Data row).
TASK_WORDS = (N_("binary"), N_("multiclass"), N_("regression"))


class SummaryScreen(ModalScreen):
    BINDINGS = [("escape", "dismiss", N_("Back")), ("m", "dismiss", N_("Back")), ("q", "dismiss", N_("Back")),
                ("X", "explain", N_("Explain"))]
    TERMS = ("parameter", "fan_in", "layer", "frozen layer", "training split", "validation split", "test split",
             "optimizer", "learning rate", "batch size", "L1", "L2", "epoch", "backend")

    def __init__(self, trainer) -> None:
        super().__init__()
        self.trainer = trainer

    def retranslate(self) -> None:
        self.refresh(recompose=True)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary", classes="dialog") as box:
            box.border_title = _("Model summary")
            box.border_subtitle = _("escape closes")
            yield Static(Text(describe(self.trainer), no_wrap=True))

    def action_explain(self) -> None:
        from nnterm.tui.dialogs.explain_screen import open_picker
        open_picker(self)

    def explainables(self) -> list:
        from nnterm.teach import explain
        from nnterm.tui.dialogs.explain_screen import Explainable
        net = self.trainer.network
        items = [Explainable(_("parameters of the network"), f"{net.n_params:,}", lambda: explain.network_parameters(net))]
        items += [Explainable(_("parameters of layer {number}").format(number=i + 1), f"{layer.n_params:,}",
                              lambda i=i: explain.parameters(net, i)) for i, layer in enumerate(net.layers)]
        return items

    def explained_terms(self) -> tuple:
        t = self.trainer.preset.training
        return (*self.TERMS, self.trainer.preset.loss, t.optimizer)
