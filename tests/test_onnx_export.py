"""`nnterm export --format onnx`: the graph onnxruntime runs predicts what nnterm predicts."""
import json
import sys

import numpy as np
import pytest

from nnterm.engine.checkpoint import read_weights, save_weights
from nnterm.cli import main
from nnterm.data.digits import load_digits
from nnterm.engine.inference import load_model
from nnterm.kernels.codes import ACTIVATIONS
from nnterm.presets.loader import load_preset, preset_from_dict
from nnterm.engine.trainer import Trainer

TOLERANCE = 1e-5


def saved(tmp_path, preset, epochs, name="model.safetensors"):
    trainer = Trainer(preset)
    trainer.run(epochs)
    path = tmp_path / name
    save_weights(str(path), trainer)
    return str(path)


def export(capsys, weights, output, *extra):
    status = main(["export", weights, "--format", "onnx", "--output", str(output), *extra])
    return status, capsys.readouterr()


def run_onnx(path, rows):
    onnxruntime = pytest.importorskip("onnxruntime", reason="onnxruntime is not installed (pip install onnxruntime)")
    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {"input": np.asarray(rows, dtype=np.float32)})[0]


def nnterm_outputs(weights, rows):
    """What nnterm's own network gives for the rows (the one `nnterm predict` and eval use)."""
    return load_model(read_weights(weights)).outputs(rows)


@pytest.fixture(autouse=True)
def needs_onnx(request):
    if "without_onnx" not in request.node.name:
        pytest.importorskip("onnx", reason="the onnx extra is not installed (pip install 'nnterm[onnx]')")


def test_digits_match_nnterm_within_1e5_and_the_graph_is_checked(tmp_path, capsys):
    import onnx
    weights = saved(tmp_path, load_preset("digits"), 3)
    out = tmp_path / "digits.onnx"
    status, printed = export(capsys, weights, out)
    assert status == 0 and f"wrote {out} (onnx)" in printed.out and "opset 17" in printed.out
    graph = onnx.load(str(out))
    onnx.checker.check_model(graph, full_check=True)
    assert [o.version for o in graph.opset_import] == [17]
    ops = [n.op_type for n in graph.graph.node]
    assert ops == ["Sub", "Div", "Gemm", "Relu", "Gemm", "Softmax", "Identity"]   # scaling, then a Gemm per layer
    images, _ = load_digits()
    theirs = run_onnx(out, images)
    assert theirs.shape == (1797, 10)
    assert np.abs(theirs - nnterm_outputs(weights, images)).max() < TOLERANCE


def test_a_regression_preset_matches_within_1e5(tmp_path, capsys):
    weights = saved(tmp_path, load_preset("plane"), 20)
    out = tmp_path / "plane.onnx"
    assert export(capsys, weights, out)[0] == 0
    points = np.random.default_rng(1).uniform(-6, 6, (500, 2))
    mine = nnterm_outputs(weights, points)
    assert np.abs(run_onnx(out, points) - mine).max() < TOLERANCE


def test_a_csv_regression_keeps_its_target_units(tmp_path, capsys):
    rng = np.random.default_rng(2)
    area, rooms = rng.uniform(40, 200, 100), rng.integers(1, 6, 100)
    price = 1500.0 * area + 20000.0 * rooms + rng.normal(0, 5000, 100)
    csv = tmp_path / "houses.csv"
    csv.write_text("area,rooms,price\n" + "".join(f"{a:.2f},{r},{p:.2f}\n" for a, r, p in zip(area, rooms, price)))
    preset = preset_from_dict({"data": {"kind": "csv", "path": str(csv), "target": "price"},
                               "network": {"layers": [{"units": 8, "activation": "relu"}, {"units": 1, "activation": "linear"}]},
                               "training": {"optimizer": "adam", "learning_rate": 0.02}})
    weights = saved(tmp_path, preset, 20)
    out = tmp_path / "houses.onnx"
    status, printed = export(capsys, weights, out, "--json")
    summary = json.loads(printed.out)
    assert status == 0 and summary["input_columns"] == ["area", "rooms"] and "price" in summary["output_meaning"]
    rows = np.column_stack([area, rooms])
    mine = nnterm_outputs(weights, rows)
    assert mine.mean() > 100_000
    assert np.allclose(run_onnx(out, rows), mine, rtol=TOLERANCE, atol=0)     # float32: 1e-5 of the value


def test_every_activation_and_every_feature(tmp_path, capsys):
    hidden = [a for a in ACTIVATIONS if a != "softmax"]
    features = ["x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)"]
    preset = preset_from_dict({"data": {"kind": "circle", "features": features},
                               "network": {"layers": [{"units": 5, "activation": a} for a in hidden]
                                           + [{"units": 2, "activation": "softmax"}]},
                               "training": {"optimizer": "adam", "learning_rate": 0.01, "batch_size": 25}})
    weights = saved(tmp_path, preset, 5)
    out = tmp_path / "all.onnx"
    assert export(capsys, weights, out)[0] == 0
    points = np.random.default_rng(3).uniform(-6, 6, (400, 2))
    assert np.abs(run_onnx(out, points) - nnterm_outputs(weights, points)).max() < TOLERANCE


def test_a_float64_network_runs_in_float32_within_1e5(tmp_path, capsys):
    weights = saved(tmp_path, load_preset("moons", ["network.dtype=float64"]), 20)
    out = tmp_path / "moons.onnx"
    assert export(capsys, weights, out)[0] == 0
    points = np.random.default_rng(4).uniform(-3, 3, (300, 2))
    mine = nnterm_outputs(weights, points)
    assert mine.dtype == np.float64
    assert np.abs(run_onnx(out, points) - mine).max() < TOLERANCE


def test_without_onnx_one_sentence_names_the_install(tmp_path, capsys, monkeypatch):
    weights = saved(tmp_path, load_preset("xor"), 1)
    monkeypatch.setitem(sys.modules, "onnx", None)                # `import onnx` now raises ImportError
    monkeypatch.delitem(sys.modules, "nnterm.engine.onnx_export", raising=False)
    import nnterm.engine
    monkeypatch.delattr(nnterm.engine, "onnx_export", raising=False)
    status, printed = export(capsys, weights, tmp_path / "x.onnx")
    assert status == 2
    assert printed.err.strip() == "nnterm: --format onnx needs the onnx package; install it with pip install 'nnterm[onnx]'"
    assert not (tmp_path / "x.onnx").exists()
