"""Presets: every bundled one loads, load → save → load is identical, and mistakes are sentences."""
from dataclasses import replace

import pytest

from nnterm.errors import PresetError
from nnterm.presets.loader import bundled_names, load_preset
from nnterm.presets.writer import preset_to_toml, save_preset
from nnterm.presets.spec import LayerSpec

REQUIRED = {"xor", "circle", "gauss", "spiral", "moons", "plane", "keras-binary"}


def test_required_presets_are_bundled_with_descriptions():
    names = set(bundled_names())
    assert REQUIRED <= names
    for name in names:
        preset = load_preset(name)
        assert preset.description and "\n" not in preset.description


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_round_trip_is_identical(name, tmp_path):
    preset = load_preset(name)
    path = tmp_path / f"{name}.toml"
    save_preset(preset, path)
    again = load_preset(str(path))
    assert again == preset
    assert preset_to_toml(again) == path.read_text()


def test_round_trip_keeps_edits(tmp_path):
    preset = load_preset("xor")
    edited = replace(preset, name="mine", network=replace(preset.network, layers=(LayerSpec(3, "relu", False), LayerSpec(1, "sigmoid"))),
                     training=replace(preset.training, learning_rate=0.1 + 0.2))   # 0.30000000000000004 survives
    save_preset(edited, tmp_path / "mine.toml")
    assert load_preset(str(tmp_path / "mine.toml")) == edited


def test_three_line_preset_works(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text('name = "tiny"\n[data]\nkind = "circle"\n')
    preset = load_preset(str(path))
    assert preset.data.kind == "circle" and preset.training.loss == "auto" and preset.loss == "bce"
    assert preset.training.eps == 1e-8 and preset.training.momentum == 0.0


def test_defaults_follow_the_optimizer(tmp_path):
    assert load_preset("xor", ["training.optimizer=momentum"]).training.momentum == 0.9
    assert load_preset("xor", ["training.optimizer=adagrad"]).training.eps == 1e-10
    assert load_preset("xor", ["training.optimizer=adamw"]).training.weight_decay == 0.01


def test_overrides_take_toml_values_and_bare_words():
    preset = load_preset("xor", ["training.learning_rate=0.3", "training.optimizer=adam",
                                 'network.layers=[{units=4, activation="relu"}, {units=1, activation="sigmoid"}]'])
    assert preset.training.learning_rate == 0.3 and preset.training.optimizer == "adam"
    assert [layer.units for layer in preset.network.layers] == [4, 1]


def write(tmp_path, text):
    path = tmp_path / "my.toml"
    path.write_text(text)
    return str(path)


BAD_FILES = [
    ('[training]\noptimizer = "adamm"\n', 'training.optimizer = "adamm" is not one of gd, sgd, momentum, rmsprop, adagrad, adam, adamw'),
    ("[training]\nlearning_rate = -1\n", "training.learning_rate = -1 must be > 0"),
    ('[training]\nlearning_rate = "fast"\n', 'training.learning_rate = "fast" must be a number'),
    ("[training]\noptimiser = \"sgd\"\n", "unknown key training.optimiser"),
    ("colour = 1\n", "unknown key colour"),
    ('[network]\nlayers = [{units = 0, activation = "relu"}, {units = 1, activation = "sigmoid"}]\n',
     "network.layers[0].units = 0 must be ≥ 1"),
    ('[network]\nlayers = [{units = 4, activation = "softmax"}, {units = 1, activation = "sigmoid"}]\n',
     'network.layers[0].activation = "softmax" is only allowed on the output layer'),
    ('[network]\nlayers = [{units = 1, activation = "softmax"}]\n[training]\nloss = "cce"\n',
     'training.loss = "cce" needs at least 2 output units; the output layer has 1'),
    ('[network]\nlayers = [{units = 1, activation = "linear"}]\n[training]\nloss = "bce"\n',
     'training.loss = "bce" needs a sigmoid output layer'),
    ("[data]\nsamples = 2.5\n", "data.samples = 2.5 must be a whole number"),
    ("[data]\nnoise = 3\n", "data.noise = 3 must be ≥ 0 and ≤ 1"),
    ('[data]\nfeatures = ["x1", "x3"]\n', 'data.features has "x3", which is not one of x1, x2'),
    ("[training]\nnesterov = 1\n", "training.nesterov = 1 must be true or false"),
    ("[training]\nbatch_size = 0\n", "training.batch_size = 0 must be ≥ 1"),
    ("this is [not toml\n", "not valid TOML"),
]


@pytest.mark.parametrize("text,message", BAD_FILES)
def test_bad_preset_is_one_sentence_naming_file_key_and_rule(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(PresetError) as err:
        load_preset(path)
    assert str(err.value).startswith(path + ": ")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_file_and_unknown_name():
    with pytest.raises(PresetError, match=r"nope\.toml: no such preset file"):
        load_preset("nope.toml")
    with pytest.raises(PresetError) as err:
        load_preset("xorr")
    assert 'unknown preset "xorr"' in str(err.value) and "spiral" in str(err.value)


@pytest.mark.parametrize("item,message", [
    ("training.learning_rate", "expected KEY=VALUE"),
    ("training.learning_rate=-2", "--set: training.learning_rate = -2 must be > 0"),
    ("training.speed=3", "--set: unknown key training.speed"),
    ("a.b.c=1", "the key must be"),
])
def test_bad_set_is_a_sentence(item, message):
    with pytest.raises(PresetError) as err:
        load_preset("xor", [item])
    assert message in str(err.value)


def test_every_loss_has_its_formula_written_out():
    from nnterm.kernels.codes import LOSSES
    from nnterm.presets.kinds import LOSS_FORMULAS, loss_formula
    assert set(LOSS_FORMULAS) == set(LOSSES)
    assert all(loss_formula(name).startswith(f"{name} = ") for name in LOSSES)
    assert loss_formula("bce") == "bce = −(1/N)·Σ [y·ln a + (1 − y)·ln(1 − a)]"
