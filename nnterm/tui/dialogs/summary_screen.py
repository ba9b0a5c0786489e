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
    BINDINGS = [("escape", "dismiss", "Back"), ("m", "dismiss", "Back"), ("q", "dismiss", "Back")]

    def __init__(self, trainer) -> None:
        super().__init__()
        self.trainer = trainer

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="summary", classes="dialog") as box:
            box.border_title = "Model summary"
            box.border_subtitle = "escape closes"
            yield Static(Text(describe(self.trainer), no_wrap=True))
