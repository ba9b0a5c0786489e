"""Weight files: save → load → predict is exact, resume is exact, bad files are refused in one
sentence with the network untouched, saves are atomic, and the PyTorch export loads into torch."""
import json
import os
import signal
import subprocess
import sys

import numpy as np
import pytest

from nnterm.engine import checkpoint
from nnterm.engine.checkpoint import apply_weights, read_weights, save_weights
from nnterm.errors import NntermError
from nnterm.presets.loader import load_preset, preset_from_dict
from nnterm.engine.trainer import Trainer


def xor_trainer(*overrides, seed=None):
    return Trainer(load_preset("xor", ["data.samples=120", "data.test_fraction=0.2", *overrides]), seed=seed)


def test_save_load_predict_is_identical(tmp_path):
    trainer = xor_trainer()
    trainer.run(5)
    path = tmp_path / "xor.safetensors"
    save_weights(path, trainer)
    fresh = xor_trainer("training.epochs=1")            # untrained: different weights until loaded
    assert not np.array_equal(fresh.network.params, trainer.network.params)
    weights = read_weights(str(path))
    apply_weights(weights, fresh.network)
    grid = np.random.default_rng(0).normal(size=(50, 2)).astype(np.float32)
    assert np.array_equal(fresh.network.predict(grid), trainer.network.predict(grid))
    assert np.array_equal(fresh.network.params, trainer.network.params)


def test_file_layout_and_metadata(tmp_path):
    trainer = xor_trainer(seed=7)
    trainer.run(3)
    path = tmp_path / "m.safetensors"
    save_weights(path, trainer)
    weights = read_weights(str(path))
    assert [weights.weight(i).shape for i in range(3)] == [(2, 8), (8, 8), (8, 1)]
    assert np.array_equal(weights.bias(1), trainer.network.layers[1].bias)
    assert weights.epoch == 3 and weights.seed == 7 and weights.metadata["dtype"] == "float32"
    mean, std = weights.scaler
    assert np.array_equal(mean, trainer.data.scaler_mean) and np.array_equal(std, trainer.data.scaler_std)
    import tomllib
    stored = preset_from_dict(tomllib.loads(weights.metadata["preset"]))
    assert stored.seed == 7 and stored.network == trainer.preset.network and stored.training == trainer.preset.training


def test_load_keeps_the_weights_split_and_scaler(tmp_path):
    trainer = xor_trainer(seed=5)
    trainer.run(2)
    save_weights(tmp_path / "m.safetensors", trainer)
    again = Trainer(trainer.preset, weights=read_weights(str(tmp_path / "m.safetensors")))
    assert again.seed == 5                              # the file's seed: its test split stays unseen
    assert np.array_equal(again.data.x_test, trainer.data.x_test)
    assert np.array_equal(again.network.params, trainer.network.params)


def test_resume_continues_exactly_as_an_unbroken_run(tmp_path):
    preset_args = ("training.optimizer=adam", "training.learning_rate=0.01")
    straight = xor_trainer(*preset_args)
    straight.run(6)
    first = xor_trainer(*preset_args)
    first.run(3)
    save_weights(tmp_path / "half.safetensors", first)
    weights = read_weights(str(tmp_path / "half.safetensors"))
    second = Trainer(first.preset, weights=weights)
    assert second.restore(weights) and second.epoch == 3
    second.run(3)
    assert np.array_equal(second.network.params, straight.network.params)
    assert second.history[-1].train_loss == straight.history[-1].train_loss


def test_another_setup_does_not_resume(tmp_path):
    first = xor_trainer()
    first.run(2)
    save_weights(tmp_path / "m.safetensors", first)
    weights = read_weights(str(tmp_path / "m.safetensors"))
    other = Trainer(load_preset("xor", ["data.samples=120", "data.test_fraction=0.2", "training.learning_rate=0.1"]),
                    weights=weights)
    assert not other.restore(weights) and other.epoch == 0
    assert np.array_equal(other.network.params, first.network.params)      # the weights still start it


def refuses(path, net, expected):
    before = net.params.copy()
    with pytest.raises(NntermError) as err:
        apply_weights(read_weights(str(path)), net)
    assert expected in str(err.value) and "\n" not in str(err.value)
    assert np.array_equal(net.params, before)           # the network in memory is unchanged


@pytest.fixture
def saved(tmp_path):
    trainer = xor_trainer()
    trainer.run(1)
    path = tmp_path / "good.safetensors"
    save_weights(path, trainer)
    return path


def test_not_safetensors_or_truncated_is_refused(tmp_path, saved):
    net = xor_trainer().network
    text = tmp_path / "notes.safetensors"
    text.write_text("these are not weights\n")
    refuses(text, net, "notes.safetensors: not a safetensors weight file")
    empty = tmp_path / "empty.safetensors"
    empty.write_bytes(b"")
    refuses(empty, net, "not a safetensors weight file (only 0 bytes)")
    blob = saved.read_bytes()
    for cut in (5, 40, len(blob) - 1):
        short = tmp_path / f"cut{cut}.safetensors"
        short.write_bytes(blob[:cut])
        refuses(short, net, "not a safetensors weight file" if cut < 8 else "the file is truncated")
    with pytest.raises(NntermError, match="missing.safetensors: no such weight file"):
        read_weights(str(tmp_path / "missing.safetensors"))


def test_mismatched_networks_are_refused_naming_the_first_mismatch(saved):
    refuses(saved, xor_trainer("network.layers=[{units=8, activation=\"tanh\"}, {units=1, activation=\"sigmoid\"}]").network,
            "holds 3 layers but the network has 2")
    refuses(saved, xor_trainer("network.layers=[{units=8, activation=\"tanh\"}, {units=5, activation=\"tanh\"}, "
                               "{units=1, activation=\"sigmoid\"}]").network,
            "layers.1.weight is 8×8 but the network's layer 1 is 8×5 (inputs × units)")
    refuses(saved, xor_trainer("network.dtype=\"float64\"").network,
            'layers.0.weight is float32 but the network is float64; set network.dtype = "float32"')
    refuses(saved, xor_trainer("data.features=[\"x1\", \"x2\", \"x1*x2\"]").network,
            "layers.0.weight is 2×8 but the network's layer 0 is 3×8")
    with pytest.raises(NntermError, match="good.safetensors: the weights take 2 inputs but the data has 64; "
                                          "they were trained on other data"):
        Trainer(load_preset("digits"), weights=read_weights(str(saved)))


def test_a_torch_export_is_not_taken_for_nnterm_weights(tmp_path, saved):
    out = tmp_path / "torch.safetensors"
    checkpoint.export_weights(read_weights(str(saved)), "torch", str(out))
    refuses(out, xor_trainer().network, "holds no nnterm layers (it looks like a PyTorch export")


def test_a_failed_write_leaves_the_old_file(tmp_path, saved, monkeypatch):
    old = saved.read_bytes()
    trainer = xor_trainer()
    trainer.run(3)
    real_fdopen = os.fdopen

    class DiskFull:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[:len(data) // 2])     # half of it lands, then the disk is full
            raise OSError(28, "No space left on device")

        def __getattr__(self, name):
            return getattr(self.handle, name)

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: DiskFull(real_fdopen(fd, mode)))
    with pytest.raises(OSError):
        save_weights(saved, trainer)
    monkeypatch.undo()
    assert saved.read_bytes() == old and read_weights(str(saved)).epoch == 1
    assert sorted(p.name for p in saved.parent.iterdir()) == ["good.safetensors"]   # no temp file left


KILLED_SAVE = """
import os, sys, time
from nnterm.engine.checkpoint import save_weights
from nnterm.presets.loader import load_preset
from nnterm.engine.trainer import Trainer
trainer = Trainer(load_preset("xor", ["data.samples=120", "data.test_fraction=0.2"]))
trainer.run(2)
def stall(fd):                     # the bytes are in the temp file; hang before os.replace
    print("writing", flush=True)
    time.sleep(60)
os.fsync = stall
save_weights(sys.argv[1], trainer)
"""


def test_a_save_killed_mid_write_leaves_the_old_file(tmp_path, saved):
    old = saved.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", KILLED_SAVE, str(saved)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "writing"
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=30)
    assert saved.read_bytes() == old and read_weights(str(saved)).epoch == 1


def test_torch_export_loads_into_nn_sequential_and_predicts_the_same(tmp_path):
    torch = pytest.importorskip("torch")
    from safetensors.torch import load_file
    layers = ('[{units=5, activation="tanh"}, {units=4, activation="linear"}, '
              '{units=3, activation="leaky_relu"}, {units=2, activation="softmax"}]')
    trainer = Trainer(load_preset("xor", ["data.samples=60", f"network.layers={layers}", "network.dtype=\"float64\""]))
    trainer.run(2)
    save_weights(tmp_path / "m.safetensors", trainer)
    modules = checkpoint.export_weights(read_weights(str(tmp_path / "m.safetensors")), "torch", str(tmp_path / "t.safetensors"))
    assert modules == ["nn.Linear(2, 5)", "nn.Tanh()", "nn.Linear(5, 4)", "nn.Linear(4, 3)", "nn.LeakyReLU(0.01)",
                       "nn.Linear(3, 2)", "nn.Softmax(dim=1)"]
    nn = torch.nn
    model = nn.Sequential(nn.Linear(2, 5), nn.Tanh(), nn.Linear(5, 4), nn.Linear(4, 3), nn.LeakyReLU(0.01),
                          nn.Linear(3, 2), nn.Softmax(dim=1)).double()
    state = load_file(str(tmp_path / "t.safetensors"))
    assert tuple(state["0.weight"].shape) == (5, 2)                      # [out, in]
    model.load_state_dict(state)                                        # strict: every name and shape fits
    x = np.random.default_rng(1).normal(size=(20, 2))
    with torch.no_grad():
        ours = trainer.network.predict(x)
        theirs = model(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(theirs, ours, rtol=1e-12, atol=1e-12)


def nnterm(*args, cwd):
    return subprocess.run([sys.executable, "-m", "nnterm", *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_cli_save_export_and_bad_file(tmp_path):
    run = nnterm("train", "xor", "--epochs", "3", "--save", "x.safetensors", "--json", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[-1])["saved"] == "x.safetensors"
    export = nnterm("export", "x.safetensors", "--format", "torch", "--output", "t.safetensors", cwd=tmp_path)
    assert export.returncode == 0, export.stderr
    assert "nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh(), nn.Linear(8, 1), nn.Sigmoid())" in export.stdout
    same = nnterm("export", "x.safetensors", "--output", "x.safetensors", cwd=tmp_path)
    assert same.returncode == 2 and "that is the weight file itself" in same.stderr
    wrong = nnterm("train", "circle", "--load", "x.safetensors", "--epochs", "1", cwd=tmp_path)
    assert wrong.returncode == 2
    assert wrong.stderr.strip() == ("nnterm: x.safetensors: layers.0.weight is 2×8 but the network's layer 0 is "
                                    "2×4 (inputs × units)")
    nowhere = nnterm("train", "xor", "--epochs", "1", "--save", "no/such/dir/x.safetensors", cwd=tmp_path)
    assert nowhere.returncode == 2 and "the folder no/such/dir does not exist" in nowhere.stderr


def test_early_stopping_resumes_exactly(tmp_path):
    """Its best epoch and patience count travel in the file: the resumed run stops where, and
    restores what, the unbroken one does."""
    preset_args = ("training.early_stopping=true", "training.patience=4", "training.learning_rate=0.5",
                   "training.optimizer=adam")
    straight = xor_trainer(*preset_args)
    stops = straight.run(200)
    assert stops[-1].stopped and "early stopping" in stops[-1].reason
    cut = straight.epoch - 2                                  # inside the patience window
    first = xor_trainer(*preset_args)
    first.run(cut)
    assert first.stale_epochs > 0
    save_weights(tmp_path / "half.safetensors", first)
    weights = read_weights(str(tmp_path / "half.safetensors"))
    second = Trainer(first.preset, weights=weights)
    assert second.restore(weights) and second.stale_epochs == first.stale_epochs
    rest = second.run(200)
    assert rest[-1].reason == stops[-1].reason and second.epoch == straight.epoch
    assert np.array_equal(second.network.params, straight.network.params)


def test_the_torch_export_names_the_input_features_its_first_linear_takes(tmp_path):
    """A Linear(4, …) cannot be fed from the file alone unless the file says which four columns:
    the export's metadata lists them, the text says them as the playground does, and rows built
    from that list alone (then standardised by the export's scaler) give the network's outputs."""
    import safetensors
    features = '["x1", "x1^2", "sin(x2)", "x1*x2"]'
    trainer = Trainer(load_preset("circle", ["data.samples=80", f"data.features={features}", 'network.dtype="float64"']))
    trainer.run(2)
    save_weights(tmp_path / "m.safetensors", trainer)
    run = nnterm("export", "m.safetensors", "--format", "torch", "--output", "t.safetensors", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert ("inputs:        x1, x1², sin x2, x1·x2 (4 columns, in this order; each computed from the point (x1, x2); "
            "input_features in the metadata)") in run.stdout
    with safetensors.safe_open(str(tmp_path / "t.safetensors"), "numpy") as export:
        meta = export.metadata()
        weights = [export.get_tensor(f"{i}.weight") for i in (0, 2, 4)]
        biases = [export.get_tensor(f"{i}.bias") for i in (0, 2, 4)]
    named = json.loads(meta["input_features"])
    assert named == ["x1", "x1^2", "sin(x2)", "x1*x2"] and weights[0].shape[1] == len(named)
    points = np.random.default_rng(3).uniform(-5, 5, size=(10, 2))
    x1, x2 = points[:, 0], points[:, 1]
    formula = {"x1": x1, "x1^2": x1 ** 2, "sin(x2)": np.sin(x2), "x1*x2": x1 * x2}     # what each name says
    a = (np.column_stack([formula[n] for n in named]) - json.loads(meta["scaler_mean"])) / json.loads(meta["scaler_std"])
    activations = [np.tanh, np.tanh, lambda z: 1 / (1 + np.exp(-z))]
    assert meta["sequential"].count("nn.Linear") == 3 and "nn.Tanh()" in meta["sequential"]
    for w, b, f in zip(weights, biases, activations):
        a = f(a @ w.T + b)
    ours = trainer.network.predict(trainer.data.inputs_for_points(points))
    np.testing.assert_allclose(a, ours, rtol=1e-9, atol=1e-12)
    as_json = json.loads(nnterm("export", "m.safetensors", "--output", "u.safetensors", "--json", cwd=tmp_path).stdout)
    assert as_json["input_features"] == named
