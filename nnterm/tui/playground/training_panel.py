"""The Training panel: optimizer, loss, learning rate, regularisation and its rate, epoch budget,
early stopping with its patience and minimum improvement."""
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Select

from nnterm.presets.kinds import loss_formula
from nnterm.presets.controls import CONTROLS
from nnterm.presets.edits import REGULARIZATIONS, regularization
from nnterm.kernels.codes import LOSSES, OPTIMIZERS
from nnterm.presets.spec import Preset
from nnterm.runtime.language import N_, _
from nnterm.tui.widgets.fields import NumberSelect, Row, quiet_set

DEFAULT_REGULARIZATION_RATE = 0.001
STOP_CHOICES = ((N_("never"), False), (N_("early"), True))    # "stop early" reads as the row says


def choices(names) -> list:
    return [(name, name) for name in names]


class TrainingPanel(Vertical):
    def __init__(self, preset: Preset, **kwargs) -> None:
        super().__init__(**kwargs)
        self.preset = preset
        self.border_title = _("Training")

    async def retranslate(self) -> None:
        """After a switch of language: the rows again in the new words, showing the same values."""
        self.border_title = _("Training")
        await self.recompose()
        self.show(self.preset)

    def compose(self) -> ComposeResult:
        t = self.preset.training
        kind, rate = regularization(self.preset)
        rate = rate if kind != "none" else DEFAULT_REGULARIZATION_RATE
        yield Row(N_("optimizer"), Select(choices(OPTIMIZERS), value=t.optimizer, allow_blank=False, compact=True,
                                      type_to_search=False, id="optimizer"))
        yield Row(N_("loss"), Select(self.loss_choices(self.preset), value=t.loss, allow_blank=False, compact=True,
                                 type_to_search=False, id="loss", tooltip=loss_formula(self.preset.loss)))
        yield self.number_row("learning-rate", t.learning_rate)
        yield Row(N_("regular."), Select(self.regularization_choices(kind), value=kind, allow_blank=False,
                                     compact=True, type_to_search=False, id="regularization"))
        yield self.number_row("regularization-rate", rate)
        yield self.number_row("epochs", t.epochs)
        yield Row(N_("stop"), Select([(_(words), value) for words, value in STOP_CHOICES], value=t.early_stopping, allow_blank=False, compact=True,
                                       type_to_search=False, id="early-stopping",
                                       tooltip=_("stop when the validation loss stops improving, and keep the best epoch")))
        yield self.number_row("patience", t.patience)
        yield self.number_row("min-delta", t.min_delta)

    @staticmethod
    def number_row(name: str, value) -> Row:
        control = CONTROLS[name]
        return Row(control.row, NumberSelect.declared(control, value))

    @staticmethod
    def loss_choices(preset: Preset) -> list:
        """auto first, labelled with the loss it means for this output layer: "auto (bce)"."""
        return [(f"auto ({preset.loss})" if preset.training.loss == "auto" else "auto", "auto")] + choices(LOSSES)

    @staticmethod
    def regularization_choices(kind: str) -> list:
        return choices(REGULARIZATIONS + ((kind,) if kind not in REGULARIZATIONS else ()))

    def show(self, preset: Preset) -> None:
        self.preset = preset
        t = preset.training
        kind, rate = regularization(preset)
        quiet_set(self.query_one("#optimizer", Select), t.optimizer)
        loss = self.query_one("#loss", Select)
        options = self.loss_choices(preset)
        with loss.prevent(Select.Changed):
            loss.set_options(options)
        # Select redraws its label only when its value changes; "auto" stays "auto" while what it
        # means ("auto (bce)" → "auto (mse)") changes, so pass by another value on the way.
        quiet_set(loss, next(value for _label, value in options if value != t.loss))
        quiet_set(loss, t.loss)
        loss.tooltip = loss_formula(preset.loss)
        self.query_one("#learning-rate", NumberSelect).set_number(t.learning_rate)
        reg = self.query_one("#regularization", Select)
        with reg.prevent(Select.Changed):
            reg.set_options(self.regularization_choices(kind))
        quiet_set(reg, kind)
        rate_select = self.query_one("#regularization-rate", NumberSelect)
        if kind != "none":                      # with none, the rate shown is the one "l1"/"l2" will take
            rate_select.set_number(rate)
        rate_select.disabled = kind == "none"
        self.query_one("#epochs", NumberSelect).set_number(t.epochs)
        quiet_set(self.query_one("#early-stopping", Select), t.early_stopping)
        for name, value in (("#patience", t.patience), ("#min-delta", t.min_delta)):
            field = self.query_one(name, NumberSelect)
            field.set_number(value)
            field.disabled = not t.early_stopping

    def on_mount(self) -> None:
        self.show(self.preset)
