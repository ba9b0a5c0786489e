"""`nnterm predict`: a weight file on new rows gives the numbers `nnterm eval`'s network gives,
in the file's units; bad rows are one sentence naming file, row and column, and exit 2."""
import json
import subprocess
import sys

import numpy as np
import pytest
import safetensors.numpy

from nnterm.engine.checkpoint import read_weights, save_weights
from nnterm.cli import main
from nnterm.data.dataset import standardise
from nnterm.data.digits import PIXEL_NAMES, load_digits
from nnterm.presets.loader import load_preset, preset_from_dict
from nnterm.engine.trainer import Trainer


def write_rows(path, header, rows):
    path.write_text(",".join(header) + "\n" + "".join(",".join(repr(float(v)) for v in row) + "\n" for row in rows))
    return path


def trained(tmp_path, preset, epochs, name="model.safetensors"):
    trainer = Trainer(preset)
    trainer.run(epochs)
    path = tmp_path / name
    save_weights(str(path), trainer)
    return str(path)


def eval_network(path):
    """What `nnterm eval --load path` builds: the stored preset, the file's weights, split and scalers."""
    weights = read_weights(path)
    return Trainer(weights.preset(), weights=weights)


def predict(capsys, *args):
    status = main(["predict", *args])
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def xor_file(tmp_path):
    preset = load_preset("xor", ["data.test_fraction=0.2", 'data.features=["x1", "x2", "x1*x2", "sin(x1)"]'])
    return trained(tmp_path, preset, 20)


def test_2d_points_give_the_eval_networks_probabilities_exactly(tmp_path, capsys, xor_file):
    trainer = eval_network(xor_file)
    data = trainer.data
    expected = trainer.backend.predict(trainer.network, data.x_test)[:, 0]
    rows = write_rows(tmp_path / "rows.csv", ["x2", "note", "x1"], [(p[1], 7, p[0]) for p in data.points_test])
    status, out, _ = predict(capsys, "--load", xor_file, "--input", str(rows), "--json")
    assert status == 0
    result = json.loads(out)
    assert result["columns"] == ["x1", "x2"] and result["class_names"] == ["0", "1"]
    got = np.array([r["probabilities"]["1"] for r in result["predictions"]])
    assert np.array_equal(got, expected.astype(np.float64))          # columns found by name, features computed
    assert [r["prediction"] for r in result["predictions"]] == ["1" if p >= 0.5 else "0" for p in expected]
    assert [r["row"] for r in result["predictions"]] == list(range(2, 2 + len(expected)))


def test_csv_output_is_the_same_numbers_and_written_atomically(tmp_path, capsys, xor_file):
    rows = write_rows(tmp_path / "rows.csv", ["x1", "x2"], [(0.5, -1.0), (2.0, 2.0)])
    status, stdout_csv, _ = predict(capsys, "xor", "--load", xor_file, "--input", str(rows))
    assert status == 0
    out = tmp_path / "out.csv"
    status, _, err = predict(capsys, "--load", xor_file, "--input", str(rows), "--output", str(out))
    assert status == 0 and f"wrote 2 predictions to {out}" in err
    assert out.read_text() == stdout_csv
    lines = stdout_csv.splitlines()
    assert lines[0] == "row,x1,x2,p(0),p(1),prediction" and lines[1].startswith("2,0.5,-1.0,")
    p0, p1 = (float(v) for v in lines[1].split(",")[3:5])
    assert abs(p0 + p1 - 1.0) < 1e-12
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.csv")] == []    # no temp file left


def houses(path, n=120, seed=3):
    rng = np.random.default_rng(seed)
    area, rooms = rng.uniform(40, 200, n), rng.integers(1, 6, n)
    price = 1500.0 * area + 20000.0 * rooms + rng.normal(0, 5000, n)
    path.write_text("area,rooms,price\n" + "".join(f"{a:.2f},{r},{p:.2f}\n" for a, r, p in zip(area, rooms, price)))
    return path, price


def test_regression_is_in_the_files_units_as_eval_reports_them(tmp_path, capsys):
    csv_path, price = houses(tmp_path / "houses.csv")
    preset = preset_from_dict({"name": "houses", "data": {"kind": "csv", "path": str(csv_path), "target": "price",
                                                          "train_fraction": 1.0},
                               "network": {"layers": [{"units": 8, "activation": "tanh"}, {"units": 1, "activation": "linear"}]},
                               "training": {"optimizer": "adam", "learning_rate": 0.02, "epochs": 30}})
    weights = trained(tmp_path, preset, 30)
    elsewhere = csv_path.rename(tmp_path / "new-rows.csv")           # the training file is gone: not needed
    status, out, _ = predict(capsys, "--load", weights, "--input", str(elsewhere), "--json")
    assert status == 0
    values = np.array([r["values"]["price"] for r in json.loads(out)["predictions"]])
    assert values.mean() > 50_000                                     # the target scaler is undone
    elsewhere.rename(csv_path)                                        # eval reads the training file
    trainer = eval_network(weights)
    theirs = trainer.data.in_target_units(trainer.backend.predict(trainer.network, trainer.data.x_train))[:, 0]
    assert np.array_equal(np.sort(values), np.sort(theirs))           # the same numbers (the split shuffles them)
    # a weight file's stored data path is shown, never opened: the user names the data
    assert main(["eval", "--load", weights, "--set", f"data.path={csv_path}", "--split", "train", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    rmse = float(np.sqrt(np.mean((values - price.round(2)) ** 2)))
    assert rmse == pytest.approx(report["rmse"], rel=1e-6)    # eval holds its targets as float32 z-scores


def test_digits_probabilities_and_accuracy_match_eval(tmp_path, capsys):
    preset = load_preset("digits", ["data.train_fraction=1.0", "data.test_fraction=0.0"])
    weights = trained(tmp_path, preset, 2)
    images, labels = load_digits()
    rows = write_rows(tmp_path / "digits.csv", ["label", *PIXEL_NAMES], np.column_stack([labels, images]))
    status, out, _ = predict(capsys, "digits", "--load", weights, "--input", str(rows), "--json")
    assert status == 0
    result = json.loads(out)["predictions"]
    probabilities = np.array([[r["probabilities"][str(k)] for k in range(10)] for r in result])
    trainer = eval_network(weights)
    data = trainer.data
    shuffled = trainer.backend.predict(trainer.network, data.x_train).astype(np.float64)
    # the split shuffles the rows, and the kernels' blocking then rounds some in another order
    assert np.allclose(np.sort(probabilities.max(axis=1)), np.sort(shuffled.max(axis=1)), rtol=0, atol=1e-6)
    in_order = trainer.backend.predict(trainer.network, standardise(images, data.scaler_mean, data.scaler_std, np.float32))
    assert np.array_equal(probabilities, in_order.astype(np.float64))     # row for row: the same numbers
    accuracy = np.mean([r["prediction"] == str(y) for r, y in zip(result, labels)])
    assert main(["eval", "--load", weights, "--split", "train", "--json"]) == 0
    assert accuracy == pytest.approx(json.loads(capsys.readouterr().out)["accuracy"], abs=1e-12)


@pytest.mark.parametrize("text,expected", [
    ("x1,x3\n1,2\n", 'rows.csv: row 1 (the header) has no column "x2"; the network takes the columns x1, x2'),
    ("x1,x2\n1,2\n3,oops\n", 'rows.csv: row 3, column "x2": "oops" is not a finite number; input columns must be numeric'),
    ("x1,x2\n1,2\n\n,4\n", 'rows.csv: row 4, column "x1": the value is missing; fill it in or remove the row'),
    ("x1,x2\n1\n", 'rows.csv: row 2 has 1 cells but the header has 2 columns'),
    ("x1,x2\n", "rows.csv: the file has a header but no data rows"),
])
def test_bad_rows_are_one_sentence_and_leave_no_output(tmp_path, capsys, monkeypatch, xor_file, text, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rows.csv").write_text(text)
    status, out, err = predict(capsys, "--load", xor_file, "--input", "rows.csv", "--output", "out.csv")
    assert status == 2 and out == ""
    assert err.startswith(f"nnterm: {expected}") and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.safetensors", "rows.csv"]


def test_a_weight_file_that_does_not_fit_is_refused(tmp_path, capsys, xor_file):
    rows = write_rows(tmp_path / "rows.csv", ["x1", "x2"], [(1, 1)])
    status, _, err = predict(capsys, "spiral", "--load", xor_file, "--input", str(rows))
    assert status == 2 and "holds 3 layers but the preset spiral has 4" in err
    status, _, err = predict(capsys, "--load", xor_file, "--input", str(rows), "--output", str(tmp_path))
    assert status == 2 and "is a folder, not a file" in err
    status, _, err = predict(capsys, "--load", xor_file, "--input", str(rows), "--output", xor_file)
    assert status == 2 and "that is the weight file" in err


def test_damaged_metadata_is_named(tmp_path, capsys, xor_file):
    weights = read_weights(xor_file)
    rows = write_rows(tmp_path / "rows.csv", ["x1", "x2"], [(1, 1)])
    for key, value, expected in [("scaler_std", "[1.0, 0.0, 1.0, 1.0]", "each > 0 (a standard deviation of 0"),
                                 ("scaler_mean", "[1.0]", "scaler_mean = \"[1.0]\" must list 4 numbers"),
                                 ("feature_names", '["x1", "x2", "x9", "sin(x1)"]', 'the feature "x9" is not one of'),
                                 ("task", "poetry", 'task = "poetry" is not one of'),
                                 ("target_mean", "[3.0]", "has target_mean but no target_std")]:
        bad = tmp_path / "bad.safetensors"
        bad.write_bytes(safetensors.numpy.save(weights.tensors, metadata={**weights.metadata, key: value}))
        status, _, err = predict(capsys, "--load", str(bad), "--input", str(rows))
        assert status == 2 and expected in err, err


def test_the_command_line_exits_2_without_a_traceback(tmp_path, xor_file):
    (tmp_path / "rows.csv").write_text("a,b\n1,2\n")
    run = subprocess.run([sys.executable, "-m", "nnterm", "predict", "--load", xor_file, "--input", "rows.csv", "--json"],
                         capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith('nnterm: rows.csv: row 1 (the header) has no column "x1" (nor 1 more)')
    assert "Traceback" not in run.stderr and len(run.stderr.strip().splitlines()) == 1
