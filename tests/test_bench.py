"""`nnterm bench`: the machinery on tiny runs (no speed is asserted — speed is what it prints)."""
import json
import os
import subprocess
import sys

import pytest

from nnterm.bench import numpy_ref, ours, torch_ref
from nnterm.bench.compare import bench_workload
from nnterm.bench.workloads import WORKLOADS, make_arrays

JSON_KEYS = {"workload", "epochs_per_s", "torch_epochs_per_s", "numpy_epochs_per_s", "vs_torch", "vs_numpy", "gflops"}
TINY = ["--runs", "1", "--seconds", "0.01"]


def nnterm(*args, env=None):
    return subprocess.run([sys.executable, "-m", "nnterm", *args], capture_output=True, text=True, timeout=300, env=env)


def test_json_has_one_object_per_workload_with_every_ratio():
    run = nnterm("bench", "--json", *TINY)
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["workload"] for r in rows] == ["playground", "digits", "mnist"]
    for r in rows:
        assert set(r) == JSON_KEYS
        assert r["epochs_per_s"] > 0 and r["numpy_epochs_per_s"] > 0
        assert r["vs_numpy"] == pytest.approx(r["epochs_per_s"] / r["numpy_epochs_per_s"], rel=1e-2)
        if r["torch_epochs_per_s"] is not None:
            assert r["vs_torch"] == pytest.approx(r["epochs_per_s"] / r["torch_epochs_per_s"], rel=1e-2)
    assert rows[2]["gflops"] > 0 and rows[0]["gflops"] is None
    assert "loaded before" not in run.stderr        # the thread limits were set in time


def test_table_says_so_when_torch_is_missing(monkeypatch, capsys):
    from nnterm.cli import main
    monkeypatch.setitem(sys.modules, "torch", None)      # `import torch` now fails as if not installed
    assert main(["bench", "--workload", "playground", *TINY]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("playground"))
    assert " n/a " in row
    assert "PyTorch: torch not installed" in out


def test_torch_missing_gives_null_torch_fields(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    result = bench_workload("playground", runs=1, run_seconds=0.01).as_json()
    assert result["torch_epochs_per_s"] is None and result["vs_torch"] is None
    assert result["numpy_epochs_per_s"] > 0 and result["vs_numpy"] > 0


@pytest.mark.parametrize("args, message", [
    (["--workload", "cifar"], '--workload "cifar" is not one of playground, digits, mnist'),
    (["--against", "jax"], '--against "jax" is not one of torch, numpy, none'),
    (["--runs", "0"], "--runs 0: the number of timed runs must be at least 1"),
    (["--seconds", "-1"], "--seconds -1: a timed run must last more than 0 seconds"),
])
def test_bad_options_are_one_sentence(args, message):
    run = nnterm("bench", *args)
    assert run.returncode == 2
    assert run.stderr.strip() == f"nnterm: {message}"


def test_mnist_flop_count_follows_the_dense_layers():
    # forward x·W and backward xᵀ·δ for both layers, δ·Wᵀ for the second only; 2 flops per multiply-add
    w = WORKLOADS["mnist"]
    per_sample = 2 * (784 * 128 + 128 * 10) * 2 + 2 * (128 * 10)
    assert w.flops_per_epoch == per_sample * 10_000


@pytest.mark.parametrize("runner", [ours.epoch_runner, numpy_ref.epoch_runner, torch_ref.epoch_runner],
                         ids=["ours", "numpy", "torch"])
def test_every_contender_really_trains(runner):
    if runner is torch_ref.epoch_runner and torch_ref.available():
        pytest.skip("torch is not installed")
    workload = WORKLOADS["playground"]
    epoch = runner(workload, make_arrays(workload))
    losses = [epoch() for _ in range(15)]
    assert losses[-1] < 0.8 * losses[0]              # the same xor training, learning in each


def test_help_is_timed_from_a_fresh_process():
    from nnterm.bench.startup import help_seconds
    assert 0 < help_seconds(runs=1) < 30


def test_numba_cache_moves_to_the_user_cache_when_the_package_is_read_only(tmp_path):
    # os.access says "not writable" for everything, as for a read-only install; then a kernel is used
    script = ("import os; os.access = lambda *a, **k: False\n"
              "import numpy as np\n"
              "from nnterm.kernels.activations import activation_array\n"
              "activation_array(2, np.zeros((2, 2)))\n"
              "from numba.core import config; print(config.CACHE_DIR)\n")
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 0, run.stderr
    folder = tmp_path / "nnterm" / "numba"
    assert run.stdout.strip() == str(folder)
    assert any(p.suffix == ".nbi" for p in folder.rglob("*"))


def test_numba_cache_stays_in_tree_when_writable_and_user_choice_wins(tmp_path):
    from nnterm.kernels.cache_dir import choose_cache_dir
    assert choose_cache_dir(str(tmp_path), {}) is None
    assert choose_cache_dir("/nonexistent/site-packages/nnterm/kernels", {"NUMBA_CACHE_DIR": "/x"}) is None
    assert choose_cache_dir("/nonexistent/site-packages/nnterm/kernels", {"XDG_CACHE_HOME": "/c"}) == "/c/nnterm/numba"


def test_help_and_presets_load_neither_numba_nor_textual():
    script = ("import sys, nnterm.cli; nnterm.cli.build_parser()\n"
              "from nnterm.presets.loader import load_preset; load_preset('xor')\n"
              "print(sorted(m for m in ('numba', 'textual', 'torch', 'scipy') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_tui_probe_times_the_real_app():
    from importlib.util import find_spec
    if find_spec("nnterm.tui.app") is None:
        pytest.skip("the TUI is not there yet")
    from nnterm.bench.tui_probe import run_probe
    figures = run_probe(window=0.5, settle=0.1)
    assert "error" not in figures, figures["error"]
    assert 0 < figures["imported"] < figures["first_frame"] < figures["first_epoch"]
    assert figures["epochs"] > 0 and 0 <= figures["ui_cpu_share"] and figures["seconds"] >= 0.5
