"""Images as inputs: which data are images (the digits, the IDX sets, a CSV of 784 or 64 pixel
columns), `nnterm summary` saying so, and what each first-layer unit looks for — its weights
as an image, and the inputs that excite it most — from the live network."""
import json

import numpy as np

from idx_files import write_set
from nnterm.cli import main
from nnterm.data.image_inputs import image_shape
from nnterm.engine.trainer import Trainer
from nnterm.presets.loader import load_preset
from nnterm.teach.unit_images import first_layer_outputs, full_colour, still_pixels, strongest_inputs, unit_images


def pixel_csv(path, side: int, rows: int = 60) -> None:
    """label, then side² pixel columns, as learners download MNIST."""
    rng = np.random.default_rng(1)
    header = "label," + ",".join(f"pixel{i}" for i in range(side * side))
    body = [",".join([str(k % 10)] + [str(v) for v in rng.integers(0, 256, side * side)]) for k in range(rows)]
    path.write_text(header + "\n" + "\n".join(body) + "\n")


def csv_preset(tmp_path, side: int):
    pixel_csv(tmp_path / "pixels.csv", side)
    toml = tmp_path / "pixels.toml"
    toml.write_text(f'name = "pixels"\n[data]\nkind = "csv"\npath = "{tmp_path / "pixels.csv"}"\ntarget = "label"\n'
                    '[network]\nlayers = [{units = 16, activation = "relu"}, {units = 10, activation = "softmax"}]\n')
    return str(toml)


def test_which_inputs_are_images():
    assert image_shape("digits", 64) == (8, 8) and image_shape("mnist", 784) == (28, 28)
    assert image_shape("csv", 784) == (28, 28) and image_shape("csv", 64) == (8, 8)
    assert image_shape("csv", 63) is None and image_shape("teacher", 64) is None and image_shape("xor", 2) is None


def test_a_csv_of_pixel_columns_is_images_and_summary_says_so(tmp_path, capsys):
    for side in (8, 28):
        path = csv_preset(tmp_path, side)
        assert Trainer(load_preset(path)).data.image_shape == (side, side)
        assert main(["summary", path]) == 0
        assert f"Inputs: {side * side} pixels, read as {side} × {side} images" in capsys.readouterr().out
        assert main(["summary", path, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["image_shape"] == [side, side]
    assert main(["summary", "xor"]) == 0 and "pixels" not in capsys.readouterr().out


def test_each_unit_is_its_incoming_weights_laid_out_as_the_image():
    trainer = Trainer(load_preset("digits"))
    images = unit_images(trainer.network, (8, 8))
    weight = trainer.network.layers[0].weight
    assert images.weights.shape == (64, 8, 8) and images.hidden and images.activation == "relu"
    # pixel (r, c) is input r·8 + c: unit j's image at (r, c) is W[r·8 + c, j]
    assert images.weights[5, 2, 3] == np.float64(weight[2 * 8 + 3, 5])
    weight[2 * 8 + 3, 5] += 1.0                                    # a copy: the trainer goes on alone
    assert images.weights[5, 2, 3] != np.float64(weight[2 * 8 + 3, 5])


def test_without_a_hidden_layer_the_units_are_the_class_templates(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    write_set(tmp_path / "data" / "mnist", 40, 10)
    images = unit_images(Trainer(load_preset("mnist-linear")).network, (28, 28))
    assert images.units == 10 and not images.hidden and images.activation == "softmax"


def test_the_strongest_inputs_are_those_with_the_largest_output():
    trainer = Trainer(load_preset("digits", ["training.epochs=2"]))
    trainer.run(2)
    network, x = trainer.network, trainer.data.x_train
    layer = network.layers[0]
    by_hand = np.maximum(x.astype(np.float64) @ layer.weight.astype(np.float64) + layer.bias, 0.0)   # relu(x·W + b)
    np.testing.assert_allclose(first_layer_outputs(network, x), by_hand, rtol=1e-4, atol=1e-4)
    rows, outputs = strongest_inputs(network, x, 7, 5)
    assert list(outputs) == sorted(outputs, reverse=True) and len(rows) == 5
    assert outputs[0] == by_hand[:, 7].max() or abs(outputs[0] - by_hand[:, 7].max()) < 1e-4
    assert set(rows) <= set(np.argsort(-by_hand[:, 7])[:8])


def test_the_change_since_the_start_is_what_training_added():
    """w − w₀: zero before any training, the weights minus the random start after; the still
    pixels (no ink in any training image) show nothing; units sort by how far they moved."""
    trainer = Trainer(load_preset("digits"))
    still = np.zeros((8, 8), dtype=bool)
    still[0, 0] = True
    before = unit_images(trainer.network, (8, 8), still, trainer.start_params)
    assert not before.change.any()
    start = before.weights.copy()
    trainer.run(2)
    after = unit_images(trainer.network, (8, 8), still, trainer.start_params)
    np.testing.assert_array_equal(after.change, after.weights - start)
    assert after.change.any()
    assert after.values(3, change=True)[0, 0] == 0.0 and after.values(3, change=False)[0, 0] == 0.0
    assert after.values(3, change=True)[2, 3] == after.weights[3, 2, 3] - start[3, 2, 3]
    sizes = np.linalg.norm(after.change.reshape(after.units, -1), axis=1)
    order = after.by_change()
    assert sorted(order) == list(range(after.units)) and list(sizes[order]) == sorted(sizes, reverse=True)
    assert full_colour(after.values(order[0], change=True)) == np.abs(after.change[order[0]][~still]).max()


def neighbour_agreement(images: np.ndarray, still: np.ndarray) -> float:
    """Mean over units of the correlation between each pixel and the one to its right (pairs
    with a still pixel left out): about 0 for noise, well above it for strokes."""
    keep = ~(still[:, :-1] | still[:, 1:])
    left, right = images[:, :, :-1][:, keep], images[:, :, 1:][:, keep]
    left, right = left - left.mean(axis=1, keepdims=True), right - right.mean(axis=1, keepdims=True)
    return float(np.mean((left * right).sum(1) / np.sqrt((left ** 2).sum(1) * (right ** 2).sum(1))))


def test_after_an_epoch_the_change_shows_strokes_where_the_weights_show_noise():
    """Why the view opens on w − w₀: after one epoch of the digits w is still mostly its random
    start, neighbouring pixels unrelated; the change has the strokes' shape, neighbours agreeing."""
    trainer = Trainer(load_preset("digits"))
    still = still_pixels(trainer.data.x_train, (8, 8))
    trainer.run(1)
    images = unit_images(trainer.network, (8, 8), still, trainer.start_params)
    assert neighbour_agreement(images.weights, still) < 0.1
    assert neighbour_agreement(images.change, still) > 0.3
