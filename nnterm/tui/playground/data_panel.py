"""The Data panel: which data set, its noise and split, the batch size, the input features."""
from textual.app import ComposeResult
from textual.content import Content
from textual.containers import Grid, Vertical
from textual.widgets import Button, Checkbox, Select, Static

from nnterm.data.features import LABELS as FEATURE_LABELS
from nnterm.presets.controls import CONTROLS
from nnterm.presets.kinds import KINDS, data_kind
from nnterm.presets.spec import FEATURES, Preset
from nnterm.runtime.language import N_, _
from nnterm.tui.widgets.fields import NumberSelect, Row, quiet_set

DATA_CHOICES = tuple((kind.label, kind.name) for kind in KINDS if kind.in_playground)
# The toggles fill a 3-column grid row by row; this order gives each column one width.
FEATURE_ORDER = ("x1", "x2", "sin(x1)", "x1^2", "x2^2", "sin(x2)", "x1*x2")


def feature_id(name: str) -> str:
    return "feature-" + "".join(c if c.isalnum() else "_" for c in name)


class FeatureToggle(Checkbox):
    """■ x1 when on, □ x1 when off: the state reads without colour."""

    BUTTON_LEFT = ""
    BUTTON_RIGHT = ""

    @property
    def _button(self) -> Content:
        return Content.styled("■" if self.value else "□", self.get_visual_style("toggle--button"))


class DataPanel(Vertical):
    def __init__(self, preset: Preset, **kwargs) -> None:
        super().__init__(**kwargs)
        self.preset = preset
        self.border_title = _("Data")

    async def retranslate(self) -> None:
        """After a switch of language: the rows again in the new words, showing the same values."""
        self.border_title = _("Data")
        await self.recompose()
        self.show(self.preset)

    def compose(self) -> ComposeResult:
        d = self.preset.data
        yield Row(N_("data"), Select(self.kind_choices(d.kind), value=d.kind, allow_blank=False, compact=True,
                                 type_to_search=False, id="data-kind"))
        for name in ("noise", "train-fraction", "test-fraction", "batch-size"):
            control = CONTROLS[name]
            yield Row(control.row, NumberSelect.declared(control, getattr(getattr(self.preset, control.section),
                                                                          control.field)))
        with Grid(id="features"):
            for name in FEATURE_ORDER:
                yield FeatureToggle(FEATURE_LABELS[name], name in d.features, compact=True, id=feature_id(name))
        yield Static("", id="features-note", classes="note")
        yield Button(_("regenerate"), compact=True, id="regenerate", tooltip=_("new random data (the next seed)"))

    def kind_choices(self, kind: str) -> list:
        extra = [(kind, kind)] if kind not in {name for _label, name in DATA_CHOICES} else []
        return [(_(label), name) for label, name in DATA_CHOICES] + extra

    def show(self, preset: Preset) -> None:
        """Shows the preset's values (the app changed them: a preset was loaded, or a choice was refused)."""
        self.preset = preset
        d = preset.data
        kind_select = self.query_one("#data-kind", Select)
        with kind_select.prevent(Select.Changed):
            kind_select.set_options(self.kind_choices(d.kind))
        quiet_set(kind_select, d.kind)
        self.query_one("#noise", NumberSelect).set_number(d.noise)
        self.query_one("#train-fraction", NumberSelect).set_number(d.train_fraction)
        self.query_one("#test-fraction", NumberSelect).set_number(d.test_fraction)
        batch = self.query_one("#batch-size", NumberSelect)
        batch.set_number(preset.training.batch_size)
        batch.disabled = preset.training.optimizer == "gd"
        batch.tooltip = _("gd trains on the full batch") if batch.disabled else None
        kind = data_kind(d.kind)
        planar = kind.planar
        for name in FEATURES:
            box = self.query_one("#" + feature_id(name), Checkbox)
            with box.prevent(Checkbox.Changed):
                box.value = name in d.features
        self.query_one("#features").display = planar
        self.query_one("#noise").disabled = not kind.synthetic
        note = self.query_one("#features-note", Static)
        note.display = not planar
        note.update("" if planar else _("inputs: {what}").format(what=self.inputs_note(preset)))
        self.query_one("#regenerate").disabled = not kind.synthetic

    @staticmethod
    def inputs_note(preset: Preset) -> str:
        d = preset.data
        return _(data_kind(d.kind).inputs).format(dims=d.dims, path=d.path or _("the CSV file"))

    def on_mount(self) -> None:
        self.show(self.preset)
