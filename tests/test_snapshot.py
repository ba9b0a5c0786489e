"""The playground's snapshot: every number it holds is the engine's own, and it is a copy."""
import numpy as np
import pytest

from nnterm.engine.evaluation import confusion_matrix
from nnterm.engine.metrics import predicted_classes
from nnterm.presets.loader import load_preset
from nnterm.engine.snapshot import plane_grid, take_snapshot
from nnterm.engine.trainer import Trainer


@pytest.fixture(scope="module")
def xor():
    trainer = Trainer(load_preset("xor", ["data.samples=80", "data.features=['x1','x2','x1*x2']"]))
    trainer.train_epoch()
    return trainer


def test_boundary_is_the_networks_prediction_on_the_grid(xor):
    snap = take_snapshot(xor, resolution=20, neuron_resolution=6)
    assert snap.is_2d and snap.boundary.shape == (20, 20)
    points = plane_grid(snap.extent, 20)
    expected = xor.network.predict(xor.data.inputs_for_points(points))[:, 0].reshape(20, 20)
    np.testing.assert_array_equal(snap.boundary, expected)
    np.testing.assert_array_equal(snap.boundary_discrete, (expected >= 0.5).astype(float))


def test_grid_is_an_image_top_row_is_the_top_of_the_plane():
    grid = plane_grid((-6.0, 6.0, -6.0, 6.0), 4).reshape(4, 4, 2)
    assert grid[0, 0].tolist() == [-4.5, 4.5]        # top-left pixel centre
    assert grid[3, 3].tolist() == [4.5, -4.5]        # bottom-right


def test_neuron_maps_are_the_layer_activations(xor):
    snap = take_snapshot(xor, resolution=8, neuron_resolution=5)
    net = xor.network
    x = xor.data.inputs_for_points(plane_grid(snap.extent, 5))
    assert [m.shape for m in snap.neuron_maps] == [(3, 5, 5)] + [(u, 5, 5) for u in net.sizes[1:]]
    np.testing.assert_allclose(snap.neuron_maps[0][2], x[:, 2].reshape(5, 5))     # the x1*x2 feature
    # layer by layer with numpy: a_l = f(a_{l-1} W + b), tanh hidden, sigmoid output
    a = x.astype(np.float64)
    for layer, maps in zip(net.layers, snap.neuron_maps[1:]):
        z = a @ layer.weight.astype(np.float64) + layer.bias
        a = np.tanh(z) if layer.activation == "tanh" else 1 / (1 + np.exp(-z))
        np.testing.assert_allclose(maps, a.T.reshape(-1, 5, 5), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(snap.neuron_maps[-1][0], net.predict(x)[:, 0].reshape(5, 5), rtol=1e-6)


def test_snapshot_is_a_read_only_copy(xor):
    snap = take_snapshot(xor, resolution=4, neuron_resolution=2)
    assert snap.epoch == xor.epoch and snap.sizes == tuple(xor.network.sizes)
    np.testing.assert_array_equal(snap.weights[0], xor.network.layers[0].weight)
    with pytest.raises(ValueError):
        snap.weights[0][0, 0] = 1.0
    before = snap.weights[0].copy()
    xor.network.layers[0].weight[0, 0] += 1.0
    np.testing.assert_array_equal(snap.weights[0], before)
    xor.network.layers[0].weight[0, 0] -= 1.0


def test_points_carry_their_labels(xor):
    snap = take_snapshot(xor, resolution=4, neuron_resolution=2)
    np.testing.assert_array_equal(snap.points_train, xor.data.points_train)
    np.testing.assert_array_equal(snap.labels_train, xor.data.y_train[:, 0])
    assert len(snap.points_val) == len(snap.labels_val) == xor.data.x_val.shape[0]
    lo, hi, _, _ = snap.extent
    assert lo <= snap.points_train.min() and snap.points_train.max() <= hi


def test_regression_plane_has_a_symmetric_scale_and_sign_discretisation():
    trainer = Trainer(load_preset("plane", ["data.samples=60"]))
    snap = take_snapshot(trainer, resolution=6, neuron_resolution=3)
    low, high = snap.output_range
    assert low == -high and high == pytest.approx(np.abs(trainer.data.y_train).max())
    expected = trainer.network.predict(trainer.data.inputs_for_points(plane_grid(snap.extent, 6)))[:, 0]
    np.testing.assert_array_equal(snap.boundary.ravel(), expected)
    assert set(np.unique(snap.boundary_discrete)) <= {low, high}


def test_confusion_matrix_counts_the_validation_split():
    trainer = Trainer(load_preset("digits"))
    snap = take_snapshot(trainer)
    assert not snap.is_2d and snap.neuron_maps is None and snap.split == "validation"
    n_val = trainer.data.x_val.shape[0]
    assert snap.confusion.shape == (10, 10) and snap.confusion.sum() == n_val
    predicted = predicted_classes(trainer.network.predict(trainer.data.x_val))
    np.testing.assert_array_equal(snap.confusion, confusion_matrix(predicted_classes(trainer.data.y_val), predicted, 10))


def test_regression_without_a_plane_gives_predictions_against_targets():
    trainer = Trainer(load_preset("plane", ["data.samples=60"]))
    trainer.data.raw_2d = False            # the same numbers, seen as a table of features
    snap = take_snapshot(trainer)
    assert snap.boundary is None and snap.split == "validation"
    np.testing.assert_array_equal(snap.targets, trainer.data.y_val.ravel())
    np.testing.assert_allclose(snap.predictions, trainer.network.predict(trainer.data.x_val).ravel())
