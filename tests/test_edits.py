"""Preset edits the playground makes (nnterm.presets.edits): each returns a new preset that passed
the preset file's own validation, or refuses with a sentence — and never touches textual."""
import tomllib

import pytest

from nnterm.presets import edits as arch
from nnterm.errors import NntermError
from nnterm.runtime.numbers import parse_number
from nnterm.presets.loader import load_preset, preset_from_dict
from nnterm.presets.writer import preset_to_toml


def units(preset):
    return [(layer.units, layer.activation) for layer in preset.network.layers]


@pytest.fixture
def xor():
    return load_preset("xor")          # 8 tanh, 8 tanh, 1 sigmoid


def test_add_a_layer_before_the_output_shaped_like_its_neighbour(xor):
    assert units(arch.add_layer(xor)) == [(8, "tanh")] * 3 + [(1, "sigmoid")]
    assert units(arch.add_layer(xor, 0, 3)) == [(3, "tanh"), (8, "tanh"), (8, "tanh"), (1, "sigmoid")]
    with pytest.raises(NntermError, match="position 5: allowed are 1 … 3"):
        arch.add_layer(xor, 4)
    with pytest.raises(NntermError, match="0 neurons"):
        arch.add_layer(xor, None, 0)


def test_remove_layers_down_to_a_single_output_layer_and_no_further(xor):
    one = arch.remove_layer(arch.remove_layer(xor))
    assert units(one) == [(1, "sigmoid")]
    with pytest.raises(NntermError, match="no hidden layer"):
        arch.remove_layer(one)
    assert units(arch.add_layer(one)) == [(4, "tanh"), (1, "sigmoid")]   # from nothing: 4 tanh units


def test_neurons_come_and_go_in_hidden_layers_only(xor):
    assert units(arch.add_neuron(xor, 1))[1] == (9, "tanh")
    assert units(arch.remove_neuron(xor, 0))[0] == (7, "tanh")
    with pytest.raises(NntermError, match="hidden layer 3 does not exist"):
        arch.add_neuron(xor, 2)
    single = arch.add_layer(arch.remove_layer(arch.remove_layer(xor)), None, 1)
    with pytest.raises(NntermError, match="has only one"):
        arch.remove_neuron(single, 0)


def test_output_activation_brings_a_loss_that_fits(xor):
    linear = arch.set_activation(xor, -1, "linear")
    assert linear.output_activation == "linear" and linear.loss == "mse"
    back = arch.set_activation(linear, 2, "sigmoid")
    assert back.training.loss == "auto" and back.loss == "bce"          # auto follows the output layer
    picked = arch.set_activation(arch.set_loss(xor, "mse"), 2, "linear")
    assert picked.training.loss == "mse"                                 # a picked loss that still fits: kept
    refit = arch.set_activation(arch.set_loss(xor, "bce"), 2, "linear")
    assert refit.training.loss == "auto" and refit.loss == "mse"         # one that no longer fits: auto again
    with pytest.raises(NntermError, match="only allowed on the output layer"):
        arch.set_activation(xor, 0, "softmax")


def test_data_kind_sets_the_output_layer_for_its_task(xor):
    plane = arch.set_data_kind(xor, "plane")
    assert units(plane)[-1] == (1, "linear") and plane.loss == "mse"
    digits = arch.set_data_kind(plane, "digits")
    assert units(digits)[-1] == (10, "softmax") and digits.loss == "cce"
    spiral = arch.set_data_kind(digits, "spiral")
    assert units(spiral)[-1] == (1, "sigmoid") and spiral.loss == "bce"
    assert units(spiral)[:-1] == units(xor)[:-1]            # hidden layers stay as they were


def test_features_toggle_in_the_panel_order_and_one_always_stays(xor):
    more = arch.toggle_feature(arch.toggle_feature(xor, "sin(x2)"), "x1*x2")
    assert more.data.features == ("x1", "x2", "x1*x2", "sin(x2)")
    only_x2 = arch.toggle_feature(xor, "x1")
    with pytest.raises(NntermError, match="at least one input feature"):
        arch.toggle_feature(only_x2, "x2")


def test_optimizer_brings_its_own_defaults(xor):
    adamw = arch.set_optimizer(xor, "adamw")
    assert adamw.training.weight_decay == 0.01 and adamw.training.eps == 1e-8
    momentum = arch.set_optimizer(adamw, "momentum")
    assert momentum.training.momentum == 0.9 and momentum.training.weight_decay == 0.0
    assert arch.set_optimizer(momentum, "adagrad").training.eps == 1e-10


def test_regularisation_is_one_kind_and_a_rate(xor):
    l2 = arch.set_regularization(xor, "l2", 0.03)
    assert (l2.training.l1, l2.training.l2) == (0.0, 0.03) and arch.regularization(l2) == ("l2", 0.03)
    l1 = arch.set_regularization(l2, "l1", 0.1)
    assert (l1.training.l1, l1.training.l2) == (0.1, 0.0)
    assert arch.regularization(arch.set_regularization(l1, "none", 0.1)) == ("none", 0.0)
    with pytest.raises(NntermError, match='"l3" is not one of none, l1, l2'):
        arch.set_regularization(xor, "l3", 0.1)


def test_bad_values_are_refused_with_the_key_and_the_rule(xor):
    with pytest.raises(NntermError, match=r"training.learning_rate = -0.1 must be > 0"):
        arch.set_training(xor, learning_rate=-0.1)
    with pytest.raises(NntermError, match=r"data.noise = 2.0 must be ≥ 0 and ≤ 1"):
        arch.set_data(xor, noise=2.0)
    with pytest.raises(NntermError, match='"fast" is not a number'):
        parse_number("fast", "learning rate")
    assert parse_number(" 1e-3 ", "learning rate") == 0.001
    assert parse_number("32", "batch size", whole=True) == 32


def test_every_edit_survives_save_and_load(xor):
    edited = xor
    for edit in (arch.add_layer, lambda p: arch.add_neuron(p, 0), lambda p: arch.set_activation(p, 1, "relu"),
                 lambda p: arch.set_data_kind(p, "moons"), lambda p: arch.set_data(p, noise=0.25),
                 lambda p: arch.toggle_feature(p, "x1^2"), lambda p: arch.set_optimizer(p, "rmsprop"),
                 lambda p: arch.set_training(p, learning_rate=0.0042, epochs=77, batch_size=5),
                 lambda p: arch.set_regularization(p, "l1", 0.001), arch.regenerate):
        edited = edit(edited)
        assert preset_from_dict(tomllib.loads(preset_to_toml(edited))) == edited
    assert edited.seed == xor.seed + 1 and edited.data.kind == "moons"
