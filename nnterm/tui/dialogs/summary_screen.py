"""The model summary (key m): Keras's summary() table, then the data and training in words."""
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from nnterm.presets.edits import regularization
from nnterm.runtime.numbers import short


def describe(trainer) -> str:
    p, d = trainer.preset, trainer.data
    t = p.training
    kind, rate = regularization(p)
    split = f"{len(d.x_train)} train · {len(d.x_val)} validation · {len(d.x_test)} test"
    reg = "none" if kind == "none" else f"{kind} {short(rate)}"
    lines = [
        trainer.network.summary(),
        "",
        f"Preset     {p.name} (seed {p.seed})",
        f"Data       {p.data.kind}: {d.task}, {split}",
        f"Inputs     {', '.join(d.feature_names[:10])}{' …' if len(d.feature_names) > 10 else ''}",
        f"Training   {t.optimizer}, loss {t.loss}, learning rate {short(t.learning_rate)}, batch {trainer.batch_size}, "
        f"regularisation {reg}",
        f"Progress   epoch {trainer.epoch} of {t.epochs} · backend {trainer.backend.name} · {p.network.dtype}",
    ]
    return "\n".join(lines)


class SummaryScreen(ModalScreen):
    BINDINGS = [("escape", "dismiss", "Back"), ("m", "dismiss", "Back"), ("q", "dismiss", "Back"),
                ("X", "explain", "Explain")]
    TERMS = ("parameter", "fan_in", "layer", "frozen layer", "training split", "validation split", "test split",
             "optimizer", "learning rate", "batch size", "L1", "L2", "epoch", "backend")

    def __init__(self, trainer) -> None:
        super().__init__()
        self.trainer = trainer

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary", classes="dialog") as box:
            box.border_title = "Model summary"
            box.border_subtitle = "escape closes"
            yield Static(Text(describe(self.trainer), no_wrap=True))

    def action_explain(self) -> None:
        from nnterm.tui.dialogs.explain_screen import open_picker
        open_picker(self)

    def explainables(self) -> list:
        from nnterm.teach import explain
        from nnterm.tui.dialogs.explain_screen import Explainable
        net = self.trainer.network
        items = [Explainable("parameters of the network", f"{net.n_params:,}", lambda: explain.network_parameters(net))]
        items += [Explainable(f"parameters of layer {i + 1}", f"{layer.n_params:,}", lambda i=i: explain.parameters(net, i))
                  for i, layer in enumerate(net.layers)]
        return items

    def explained_terms(self) -> tuple:
        t = self.trainer.preset.training
        return (*self.TERMS, self.trainer.preset.loss, t.optimizer)
