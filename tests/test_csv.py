"""Your own data: CSV files written here, trained on, and every kind of bad file as one sentence."""
import subprocess
import sys

import numpy as np
import pytest

from nnterm.data.csv_table import column_names, read_csv
from nnterm.errors import NntermError
from nnterm.presets.loader import preset_from_dict
from nnterm.engine.trainer import Trainer


def write(path, rows):
    path.write_text("\n".join(",".join(str(c) for c in row) for row in rows) + "\n")
    return path


def blobs_csv(path, n=160, labels=("cat", "dog"), seed=0):
    """Two well-separated blobs with text labels, a header, and a useless id column."""
    rng = np.random.default_rng(seed)
    rows = [["id", "weight", "height", "animal"]]
    for i in range(n):
        k = i % 2
        w, h = rng.normal([2.0 * k, -1.0 + 3.0 * k], 0.4)
        rows.append([i, f"{w:.4f}", f"{h:.4f}", labels[k]])
    return write(path, rows)


def csv_preset(path, layers, **data):
    body = {"kind": "csv", "path": str(path), "test_fraction": 0.2, **data}
    return preset_from_dict({"name": "mine", "data": body,
                             "network": {"layers": layers},
                             "training": {"optimizer": "adam", "learning_rate": 0.02, "batch_size": 16, "epochs": 40}})


def test_classification_round_trip_with_text_labels(tmp_path):
    path = blobs_csv(tmp_path / "animals.csv")
    preset = csv_preset(path, [{"units": 4, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}],
                        target="animal", columns="weight, height")
    trainer = Trainer(preset)
    data = trainer.data
    assert data.task == "binary" and data.class_names == ("cat", "dog") and data.feature_names == ("weight", "height")
    assert data.x_train.shape[1] == 2 and data.x_test.shape[0] == 32
    trainer.run(40)
    assert trainer.history[-1].metrics["val_accuracy"] >= 0.95
    assert trainer.data.scaler_mean.shape == (2,)


def test_multiclass_from_numbers_without_a_header(tmp_path):
    rng = np.random.default_rng(1)
    centres = np.array([[0, 0], [4, 0], [0, 4]])
    rows = [[*np.round(centres[i % 3] + rng.normal(0, 0.5, 2), 3), i % 3] for i in range(150)]
    path = write(tmp_path / "three.csv", rows)
    preset = csv_preset(path, [{"units": 8, "activation": "relu"}, {"units": 3, "activation": "softmax"}], target="3")
    trainer = Trainer(preset)
    assert trainer.data.task == "multiclass" and trainer.data.class_names == ("0", "1", "2")
    assert trainer.data.feature_names == ("1", "2")
    trainer.run(40)
    assert trainer.history[-1].metrics["val_accuracy"] >= 0.95


def test_regression_round_trip_with_semicolons(tmp_path):
    rng = np.random.default_rng(2)
    x = rng.uniform(-1, 1, (200, 3))
    y = 0.8 * x[:, 0] - 0.5 * x[:, 1] + 0.3 * x[:, 2] ** 2
    lines = ["a;b;c;y"] + [";".join(f"{v:.5f}" for v in (*row, t)) for row, t in zip(x, y)]
    path = tmp_path / "values.csv"
    path.write_text("\n".join(lines) + "\n\n")              # a trailing blank line is fine
    preset = csv_preset(path, [{"units": 16, "activation": "tanh"}, {"units": 1, "activation": "linear"}], target="y")
    trainer = Trainer(preset)
    assert trainer.data.task == "regression" and trainer.data.n_classes == 0
    trainer.run(40)
    assert trainer.history[-1].metrics["val_r2"] > 0.9


def test_regression_in_big_units_trains_on_z_scores_and_reports_in_the_files_units(tmp_path):
    from nnterm.engine.checkpoint import read_weights, save_weights
    rng = np.random.default_rng(4)
    rooms, area = rng.integers(1, 8, 300), rng.uniform(30, 250, 300)
    price = 50_000 + 20_000 * rooms + 1_500 * area + rng.normal(0, 10_000, 300)
    path = write(tmp_path / "houses.csv", [["rooms", "area", "price"]] + [[r, f"{a:.1f}", f"{p:.0f}"]
                                                                         for r, a, p in zip(rooms, area, price)])
    preset = csv_preset(path, [{"units": 16, "activation": "relu"}, {"units": 1, "activation": "linear"}], target="price")
    trainer = Trainer(preset)
    data = trainer.data
    assert abs(float(data.y_train.mean())) < 1e-4 and data.target_mean[0] > 100_000
    dollars = data.in_target_units(data.y_test)[:, 0]                        # back in the file's units
    assert np.abs(dollars - np.round(dollars)).max() < 0.1 and set(np.round(dollars)) <= set(np.round(price))
    trainer.run(40)
    last = trainer.history[-1].metrics
    assert last["val_r2"] > 0.9 and 1_000 < last["val_rmse"] < 30_000                 # dollars, not z-scores
    save_weights(tmp_path / "h.safetensors", trainer)
    again = Trainer(preset, weights=read_weights(str(tmp_path / "h.safetensors")))
    assert np.array_equal(again.data.target_mean, data.target_mean) and np.array_equal(again.data.y_test, data.y_test)


def test_a_file_without_header_may_still_have_text_labels(tmp_path):
    path = write(tmp_path / "iris.csv", [[5.1, 3.5, "setosa"], [7.0, 3.2, "versicolor"], [6.3, 3.3, "virginica"],
                                         [4.9, 3.0, "setosa"]])
    table = read_csv(str(path))
    assert table.feature_names == ("1", "2") and table.inputs.shape == (4, 2)     # no row taken for a header
    assert table.class_names == ("setosa", "versicolor", "virginica") and table.task == "multiclass"
    with_header = write(tmp_path / "named.csv", [["length", "width", "species"], [5.1, 3.5, "setosa"], [7.0, 3.2, "x"]])
    assert read_csv(str(with_header)).feature_names == ("length", "width")
    assert column_names(str(with_header)) == ("length", "width", "species")
    assert column_names(str(path)) == ("1", "2", "3")


def test_whole_number_targets_are_classes_unless_told(tmp_path):
    path = write(tmp_path / "t.csv", [["x", "y"]] + [[i, i % 2] for i in range(10)])
    assert read_csv(str(path), "y").task == "binary"
    regression = read_csv(str(path), "y", task="regression")
    assert regression.task == "regression" and regression.targets.shape == (10, 1)
    many = write(tmp_path / "many.csv", [["x", "y"]] + [[i, i * 3] for i in range(30)])
    assert read_csv(str(many), "y").task == "regression"       # more values than MAX_AUTO_CLASSES
    two_targets = read_csv(str(write(tmp_path / "two.csv", [["x", "a", "b"], [1, 2, 3], [4, 5, 6]])), "a,b")
    assert two_targets.task == "regression" and two_targets.targets.shape == (2, 2)


def bad_file(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


@pytest.mark.parametrize("name,text,target,expected", [
    ("cell.csv", "a,b,y\n1,2,0\n3,oops,1\n", "y", 'row 3, column "b": "oops" is not a finite number'),
    ("hole.csv", "a,b,y\n1,2,0\n3,,1\n5,6,0\n", "y", 'row 3, column "b": the value is missing'),
    ("na.csv", "a,b,y\n1,2,0\n3,4,1\nNA,6,0\n", "y", 'row 4, column "a": the value is missing'),
    ("ragged.csv", "a,b,y\n1,2,0\n3,4\n", "y", 'row 3 has 2 cells but the header has 3 columns (it ends after column 2, "b")'),
    ("long.csv", "a,b,y\n1,2,0\n3,4,1,9\n", "y", "row 3 has 4 cells but the header has 3 columns"),
    ("target.csv", "a,b,y\n1,2,0\n3,4,1\n", "label", 'row 1 (the header) has no column "label" (data.target); the columns are a, b, y'),
    ("one.csv", "a,b,y\n1,2,7\n3,4,7\n5,6,7\n", "y", 'column "y" has only one class ("7") in rows 2 … 4'),
    ("empty.csv", "", "y", "the file is empty"),
    ("header.csv", "a,b,y\n", "y", "the file has a header but no data rows"),
])
def test_bad_csv_is_one_sentence_naming_file_row_and_column(tmp_path, name, text, target, expected):
    path = bad_file(tmp_path, name, text)
    with pytest.raises(NntermError) as err:
        read_csv(path, target)
    message = str(err.value)
    assert message.startswith(path + ": ") and expected in message and "\n" not in message


def test_missing_file_and_missing_path(tmp_path):
    with pytest.raises(NntermError, match="nope.csv: no such CSV file"):
        read_csv(str(tmp_path / "nope.csv"))
    with pytest.raises(NntermError, match='data.kind = "csv" needs data.path'):
        read_csv("")


def test_stated_task_must_fit_the_column(tmp_path):
    three = bad_file(tmp_path, "three.csv", "a,y\n1,x\n2,y\n3,z\n")
    with pytest.raises(NntermError, match=r'data.task = "binary" but column "y" has 3 classes \(x, y, z\)'):
        read_csv(three, "y", task="binary")
    with pytest.raises(NntermError, match=r'row 2, column "y": "x" is not a finite number; regression targets must be numeric'):
        read_csv(three, "y", task="regression")
    with pytest.raises(NntermError, match=r'column "y" is both an input \(data.columns\) and a target'):
        read_csv(three, "y", columns="a,y")


def test_output_layer_must_fit_the_classes(tmp_path):
    path = write(tmp_path / "three.csv", [["a", "y"]] + [[i, i % 3] for i in range(12)])
    preset = csv_preset(path, [{"units": 2, "activation": "softmax"}], target="y")
    with pytest.raises(NntermError, match="the output layer has 2 units but the data has 3 classes; use 3"):
        Trainer(preset)


def test_cli_reports_a_bad_csv_in_one_line_and_exit_2(tmp_path):
    data = bad_file(tmp_path, "bad.csv", "a,b,y\n1,2,0\n3,x,1\n")
    preset = tmp_path / "mine.toml"
    preset.write_text(f'[data]\nkind = "csv"\npath = "{data}"\ntarget = "y"\n')
    run = subprocess.run([sys.executable, "-m", "nnterm", "train", str(preset), "--epochs", "1"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert run.stderr.strip() == f'nnterm: {data}: row 3, column "b": "x" is not a finite number; input columns must be numeric'


def test_a_two_column_csv_is_a_plane_with_its_decision_boundary_in_the_files_units(tmp_path):
    from nnterm.engine.snapshot import take_snapshot
    path = blobs_csv(tmp_path / "animals.csv")
    preset = csv_preset(path, [{"units": 6, "activation": "tanh"}, {"units": 1, "activation": "sigmoid"}],
                        target="animal", columns="weight, height")
    trainer = Trainer(preset)
    trainer.run(20)
    data = trainer.data
    assert data.raw_2d and data.feature_names == ("weight", "height") and data.points_train.shape[1] == 2
    raw = np.loadtxt(path, delimiter=",", skiprows=1, usecols=(1, 2))
    x_min, x_max, y_min, y_max = take_snapshot(trainer).extent
    assert x_min < raw[:, 0].min() and raw[:, 0].max() < x_max and y_min < raw[:, 1].min() and raw[:, 1].max() < y_max
    # a point of the plane reaches the network scaled exactly as the rows it trained on
    np.testing.assert_allclose(data.inputs_for_points(data.points_train), data.x_train, rtol=1e-6, atol=1e-6)
