"""Each number control is declared once (nnterm/presets/controls.py): the panels build it, the
screen dispatches it, and a pick reaches the very preset field it names, saying so."""
import dataclasses

import pytest

from nnterm.presets.controls import DATA, NUMBER_CONTROLS, REGULARIZATION, TRAINING
from nnterm.presets.loader import load_preset
from nnterm.presets.spec import DataSpec, TrainingSpec
from nnterm.tui.app import NntermApp
from nnterm.tui.widgets.fields import NumberSelect

from .playground_pilot import settle, status_text


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))


def test_every_control_names_a_preset_field_and_offers_values_of_its_kind():
    fields = {DATA: {f.name for f in dataclasses.fields(DataSpec)}, TRAINING: {f.name for f in dataclasses.fields(TrainingSpec)}}
    assert len({c.id for c in NUMBER_CONTROLS}) == len(NUMBER_CONTROLS)
    for control in NUMBER_CONTROLS:
        if control.section == REGULARIZATION:
            assert control.field == ""
        else:
            assert control.field in fields[control.section], control.id
        assert control.choices == tuple(sorted(control.choices)) and control.row and control.words
        assert not control.whole or all(isinstance(v, int) for v in control.choices)


async def test_every_control_is_on_screen_and_a_pick_sets_its_field():
    app = NntermApp(load_preset("xor", ["training.early_stopping=true"]), seed=0)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        for control in NUMBER_CONTROLS:
            select = app.screen.query_one(f"#{control.id}", NumberSelect)
            assert set(control.choices) <= {value for _, value in select._options}, control.id
            if control.section == REGULARIZATION:
                continue
            section = getattr(app.session.preset, control.section)
            value = next(v for v in control.choices if v != getattr(section, control.field))
            select.value = value                               # what picking it in the list does
            await settle(pilot)
            assert getattr(getattr(app.session.preset, control.section), control.field) == value, control.id
            assert f"{control.words} {control.fmt(value)}" in status_text(app), control.id
