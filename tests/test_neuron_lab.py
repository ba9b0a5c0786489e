"""The neuron lab's engine: the weighted sum, every activation, a dead ReLU, and learning by steps."""
import math

import numpy as np
import pytest

from nnterm.errors import NntermError
from nnterm.teach.neuron_lab import NEURON_ACTIVATIONS, SCORE, SETUPS, SHAPE_MARGIN, TWO_INPUTS, Neuron
from nnterm.presets.loader import load_preset


def test_score_neuron_adds_weighted_inputs_into_a_0_to_10_score():
    neuron = Neuron(SCORE)
    assert len(neuron.names) == 8
    expected = float(np.dot(SCORE.weights, SCORE.inputs) + SCORE.bias)
    assert neuron.weighted_sum() == pytest.approx(expected) == pytest.approx(sum(t[3] for t in neuron.terms()) + SCORE.bias)
    assert neuron.output() == pytest.approx(expected)                        # linear: a = z
    good = np.array([w > 0 for w in SCORE.weights], dtype=float)
    neuron.inputs[:] = good                                                 # the best flat
    assert neuron.weighted_sum() == pytest.approx(10.0)
    neuron.inputs[:] = 1 - good                                             # the worst flat
    assert neuron.weighted_sum() == pytest.approx(0.0)


def test_every_activation_at_the_current_sum():
    neuron = Neuron(TWO_INPUTS)
    neuron.set_bias(-1.0)                                                    # z = 0.5 + 0.25 − 1 = −0.25
    z = neuron.weighted_sum()
    assert z == pytest.approx(-0.25)
    out = neuron.outputs_by_activation()
    assert set(out) == set(NEURON_ACTIVATIONS) and "softmax" not in out
    assert out["linear"] == pytest.approx(z) and out["relu"] == 0.0
    assert out["sigmoid"] == pytest.approx(1 / (1 + math.exp(0.25)))
    assert out["tanh"] == pytest.approx(math.tanh(z)) and out["leaky_relu"] == pytest.approx(0.01 * z)
    neuron.set_activation("tanh")
    assert neuron.output() == pytest.approx(math.tanh(z))
    with pytest.raises(NntermError, match='activation "softmax" is not one of'):
        neuron.set_activation("softmax")


def test_a_low_bias_kills_a_relu_and_training_cannot_revive_it():
    neuron = Neuron(TWO_INPUTS)
    neuron.set_activation("relu")
    assert not neuron.is_dead()
    neuron.set_bias(-0.5)                     # z = 0.5·x₁ + 0.5·x₂ − 0.5: example D still fires
    assert not neuron.is_dead() and neuron.example_outputs()[1].max() > 0
    neuron.set_bias(-2.0)                     # now z < 0 for every example and the current input
    assert (neuron.example_outputs()[0] < 0).all() and neuron.weighted_sum() < 0
    assert neuron.is_dead() and neuron.output() == 0.0
    weights, bias = neuron.weights.copy(), neuron.bias
    step = neuron.train_step()
    assert not step.update_weights.any() and step.update_bias == 0.0
    np.testing.assert_array_equal(neuron.weights, weights)
    assert neuron.bias == bias


def test_training_steps_walk_to_the_line():
    neuron = Neuron(TWO_INPUTS)
    first = neuron.train_step()
    x, y = neuron.example_matrix()
    # one gradient-descent step on the mean squared error, by hand
    w0, b0 = np.array(TWO_INPUTS.weights), TWO_INPUTS.bias
    err = x @ w0 + b0 - y[:, 0]
    grad_w, grad_b = 2 * x.T @ err / len(err), 2 * err.mean()
    np.testing.assert_allclose(first.grad_weights, grad_w, rtol=1e-12)
    assert first.grad_bias == pytest.approx(grad_b)
    np.testing.assert_allclose(neuron.weights, w0 - 0.1 * grad_w, rtol=1e-12)
    assert first.loss_before == pytest.approx(np.mean(err ** 2)) and first.loss_after < first.loss_before
    for _ in range(200):
        neuron.train_step()
    np.testing.assert_allclose(neuron.weights, [2.0, -1.0], atol=1e-2)
    assert neuron.bias == pytest.approx(0.5, abs=1e-2)
    assert neuron.history[0] > neuron.history[-1] and len(neuron.history) == 202
    neuron.reset()
    np.testing.assert_array_equal(neuron.weights, TWO_INPUTS.weights)


def test_setups_and_the_neuron_preset():
    assert set(SETUPS) == {"score", "line"}
    preset = load_preset("neuron")
    assert [layer.units for layer in preset.network.layers] == [1]
    assert preset.training.loss == "mse" and preset.data.kind == "plane"
    with pytest.raises(NntermError, match="learning rate 0 must be > 0"):
        Neuron().set_learning_rate(0.0)


@pytest.mark.parametrize("name, f, slope", [
    ("tanh", np.tanh, lambda z: 1 - np.tanh(z) ** 2),
    ("sigmoid", lambda z: 1 / (1 + np.exp(-z)), lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2),
    ("relu", lambda z: np.maximum(z, 0), lambda z: (z > 0).astype(float)),
    ("softplus", lambda z: np.log1p(np.exp(z)), lambda z: 1 / (1 + np.exp(-z))),
])
def test_the_shape_of_an_activation_is_f_and_its_slope_over_z_with_the_neuron_marked(name, f, slope):
    neuron = Neuron(TWO_INPUTS)
    neuron.set_activation(name)
    shape = neuron.activation_shape(points=61)
    (f_label, fz), (slope_label, dz) = shape.curves
    assert (f_label, slope_label) == ("f(z)", "f′(z)") and len(shape.z) == 61
    assert shape.z[0] < 0 < shape.z[-1] and shape.z[0] <= shape.at <= shape.z[-1]
    np.testing.assert_allclose(fz, f(shape.z), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(dz, slope(shape.z), rtol=1e-12, atol=1e-15)
    assert shape.at == neuron.weighted_sum()
    assert shape.values[0][1] == pytest.approx(f(np.array(shape.at))) == neuron.output()
    assert shape.values[1][1] == pytest.approx(slope(np.array(shape.at)))


def test_the_grid_widens_to_keep_a_far_z_in_view():
    neuron = Neuron(TWO_INPUTS)
    neuron.set_bias(40.0)
    shape = neuron.activation_shape()
    z = neuron.weighted_sum()
    assert z > 40 and shape.z[-1] == pytest.approx(SHAPE_MARGIN * z) and shape.z[0] == -shape.z[-1]


def test_softmax_over_three_units_moves_every_probability_with_this_z():
    neuron = Neuron(TWO_INPUTS)                 # z = 0.75; the other two units' sums stay 0 and 1
    shape = neuron.softmax_shape(others=(0.0, 1.0), points=41)
    labels = [label for label, _ in shape.curves]
    assert labels == ["p₁", "p₂", "p₃", "∂p₁/∂z₁"]
    p = np.array([values for _, values in shape.curves[:3]])
    np.testing.assert_allclose(p.sum(axis=0), 1.0, rtol=1e-12)
    expected = np.exp(shape.z) / (np.exp(shape.z) + np.exp(0.0) + np.exp(1.0))
    np.testing.assert_allclose(p[0], expected, rtol=1e-12)
    np.testing.assert_allclose(shape.curves[3][1], expected * (1 - expected), rtol=1e-12)
    assert np.all(np.diff(p[0]) > 0) and np.all(np.diff(p[1]) < 0)      # raising z₁ takes from the others
    at = dict(shape.values)
    assert at["p₁"] == pytest.approx(math.exp(0.75) / (math.exp(0.75) + 1 + math.e))
