"""`nnterm bench`: the machinery on tiny runs (no speed is asserted — speed is what it prints)."""
import json
from importlib.util import find_spec
import os
import subprocess
import sys

import pytest

from nnterm.bench import numpy_ref, ours, report, torch_ref
from nnterm.bench.compare import bench_workload
from nnterm.bench.workloads import WORKLOADS, make_arrays

JSON_KEYS = {"workload", "epochs_per_s", "torch_epochs_per_s", "jax_epochs_per_s", "numpy_epochs_per_s",
             "vs_torch", "vs_jax", "vs_numpy", "gflops", "peak_fraction"}
TINY = ["--runs", "1", "--seconds", "0.01"]
HANG_GUARD = 1800          # seconds: only a child that hangs takes this long, however loaded the machine


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
        for name in ("torch", "jax"):
            if r[f"{name}_epochs_per_s"] is not None:
                assert r[f"vs_{name}"] == pytest.approx(r["epochs_per_s"] / r[f"{name}_epochs_per_s"], rel=1e-2)
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


def test_table_says_so_when_jax_is_missing(monkeypatch, capsys):
    from nnterm.cli import main
    monkeypatch.setitem(sys.modules, "jax", None)        # `import jax` now fails as if not installed
    monkeypatch.setenv("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
    assert main(["bench", "--workload", "playground", "--against", "jax", *TINY]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("playground"))
    assert " n/a " in row
    assert "JAX: jax not installed" in out


def test_torch_missing_gives_null_torch_fields(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    result = bench_workload("playground", runs=1, run_seconds=0.01).as_json()
    assert result["torch_epochs_per_s"] is None and result["vs_torch"] is None
    assert result["numpy_epochs_per_s"] > 0 and result["vs_numpy"] > 0


@pytest.mark.parametrize("args, message", [
    (["--workload", "cifar"], '--workload "cifar" is not one of playground, digits, mnist, mnist-epoch'),
    (["--against", "tensorflow"], '--against "tensorflow" is not one of torch, jax, numpy, none'),
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


def test_numba_cache_stays_in_a_checkout_leaves_an_install_alone_and_user_choice_wins(tmp_path):
    from nnterm.kernels.cache_dir import choose_cache_dir
    checkout = tmp_path / "repo"
    (checkout / "kernels").mkdir(parents=True)
    (checkout / "pyproject.toml").write_text("")
    assert choose_cache_dir(str(checkout / "kernels"), {}) is None          # kernels/__pycache__, ignored by git
    # A writable install still caches in the user's folder: pip would leave a cache beside it behind.
    installed = tmp_path / "site-packages" / "nnterm" / "kernels"
    installed.mkdir(parents=True)
    assert choose_cache_dir(str(installed), {"XDG_CACHE_HOME": "/c"}) == "/c/nnterm/numba"
    assert choose_cache_dir(str(installed), {"NUMBA_CACHE_DIR": "/x"}) is None
    assert choose_cache_dir("/nonexistent/site-packages/nnterm/kernels", {"XDG_CACHE_HOME": "/c"}) == "/c/nnterm/numba"
    # No user folder can be made (a service with no writable home): beside the install, as before,
    # rather than compile at every start.
    (tmp_path / "a-file").write_text("")
    assert choose_cache_dir(str(installed), {"XDG_CACHE_HOME": str(tmp_path / "a-file")}) is None


def test_the_epoch_kernels_are_looked_for_in_this_installs_own_folder_under_numba_cache_dir(tmp_path):
    from numba.core.caching import _CacheLocator
    from nnterm.warmup.cache_contents import holds_no_epoch_kernels, numba_subfolder
    installed = tmp_path / "site-packages" / "nnterm" / "kernels"
    own = numba_subfolder(str(installed))
    assert own == _CacheLocator.get_suitable_cache_subpath(str(installed / "epoch.py"))     # as Numba names it
    environ = {"NUMBA_CACHE_DIR": str(tmp_path / "cache")}
    other = tmp_path / "cache" / "kernels_another_install"
    other.mkdir(parents=True)
    (other / "epoch.train_epoch-40.py311.nbi").write_bytes(b"")
    assert holds_no_epoch_kernels(str(installed), environ)          # another install's kernels are not this one's
    (tmp_path / "cache" / own).mkdir()
    (tmp_path / "cache" / own / "epoch.train_epoch-40.py311.nbi").write_bytes(b"")
    assert not holds_no_epoch_kernels(str(installed), environ)


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
    figures = run_probe(window=0.5, settle=0.1, every_group=True, timeout=HANG_GUARD)
    assert "error" not in figures, figures["error"]
    assert 0 < figures["imported"] < figures["first_frame"] < figures["first_epoch"]
    # Textual's timer keeps the event loop's clock, the window perf_counter's: it closed 0.49988 s
    # after it opened once, so the window is only asked to have lasted about its length.
    assert figures["epochs"] > 0 and 0 <= figures["ui_cpu_share"] and figures["seconds"] >= 0.45
    from nnterm.warmup.kernel_warm_up import GROUPS, LAZY_GROUPS, TWIN_GROUPS
    # at once the teaching screens' groups (Python twins) and the lazy ones, then the rest, in order
    at_once = list(TWIN_GROUPS) + list(LAZY_GROUPS)
    assert list(figures["groups_ready"]) == at_once + [g for g in GROUPS if g not in at_once]


@pytest.mark.slow                   # an empty kernel cache, compiled until the screen is on
def test_the_startup_bench_times_a_screen_from_its_key_to_its_content(monkeypatch):
    from nnterm.bench import startup
    monkeypatch.setattr(startup, "SCREEN_KEYS", {"g": "price game"})
    figures = startup.key_to_content()
    assert "error" not in figures["price game"], figures["price game"]
    assert figures["price game"]["seconds"] > 0 and figures["price game"]["ui_cpu"] > 0
    line = startup.key_lines(figures)[-1]
    assert line.split()[:3] == ["price", "game", f"{figures['price game']['seconds']:.2f}"]


def test_the_mnist_row_reads_its_gflops_against_a_peak_at_the_clock_of_its_own_runs():
    from nnterm.bench.peak import float32_peak
    peak, how = float32_peak()
    if peak is None:
        pytest.skip(how)
    assert peak > 0 and "FMA units" in how and "GHz" in how
    result = bench_workload("mnist", against=(), runs=1, run_seconds=0.01, with_peak=True)
    assert result.peak_gflops > 0 and "measured in turns with the timed runs" in result.peak_how
    assert "FMA units" in result.peak_how          # the formula, beside the measured peak
    assert result.peak_fraction == pytest.approx(result.gflops / result.peak_gflops)
    assert f"{result.peak_fraction:.0%} of one core's float32 peak" in report.footnotes([result])
    assert bench_workload("digits", against=(), runs=1, run_seconds=0.01, with_peak=True).peak_gflops is None


@pytest.mark.parametrize("shape", [
    ((2, 4, 1), ("tanh", "sigmoid"), "bce", "sgd", 0.3),
    ((3, 5, 4), ("relu", "softmax"), "cce", "adam", 0.01),
], ids=["tanh-bce-sgd", "relu-cce-adam"])
def test_the_jax_reference_computes_our_losses(shape):
    """Same weights, same shuffles, a partial last batch: the JAX epoch's mean loss is ours."""
    import numpy as np

    from nnterm.bench import jax_ref
    from nnterm.bench.workloads import Arrays, Workload
    from nnterm.engine.trainer import hyper_parameters
    if jax_ref.available() is not None:
        pytest.skip(jax_ref.available())
    import jax.numpy as jnp
    sizes, acts, loss, optimizer, lr = shape
    n = 37
    rng = np.random.default_rng(3)
    x = rng.normal(size=(n, sizes[0])).astype(np.float32)
    labels = rng.integers(0, max(2, sizes[-1]), n)
    y = (labels[:, None] == np.arange(sizes[-1])).astype(np.float32) if sizes[-1] > 1 else labels[:, None].astype(np.float32)
    workload = Workload("tiny", sizes, acts, loss, optimizer, lr, 8, n, "a tiny case")
    arrays = Arrays(x, y, "random")
    trainer = ours.make_trainer(workload, arrays)
    params = [(jnp.asarray(w), jnp.asarray(b)) for w, b in jax_ref.initial_params(workload, arrays)]
    state = jax_ref.initial_state(workload, params)
    epoch = jax_ref.epoch_function(workload, n)
    net = trainer.network
    hp = hyper_parameters(trainer.preset, trainer.current_learning_rate())
    for _ in range(3):
        order = rng.permutation(n).astype(np.int64)
        mine = trainer.backend.train_epoch(net, trainer.opt_code, trainer.state, trainer.step_count, hp,
                                           arrays.x, arrays.y, order, workload.batch_size)
        params, state, theirs = epoch(params, state, jnp.asarray(x), jnp.asarray(y), jnp.asarray(order.astype(np.int32)))
        assert float(theirs) == pytest.approx(mine, rel=1e-5)


GRID_KEYS = {"point", "epochs_per_s", "jax_epochs_per_s", "torch_epochs_per_s", "vs_jax", "vs_torch", "gflops",
             "peak_fraction"}


def test_the_grid_is_the_sixteen_shapes_widths_at_batch_64_then_batches_at_width_128():
    from nnterm.bench.grid import grid_points, point_name
    names = [point_name(*p) for p in grid_points()]
    assert names == ["2-8/64", "2-32/64", "2-128/64", "2-512/64", "2-1024/64",
                     "784-8/64", "784-32/64", "784-128/64", "784-512/64", "784-1024/64",
                     "2-128/1", "2-128/10", "2-128/256", "784-128/1", "784-128/10", "784-128/256"]


def test_grid_json_has_one_object_per_point():
    run = nnterm("bench", "--grid", "--json", "--against", "none", *TINY)
    assert run.returncode == 0, run.stderr
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(rows) == 16 and all(set(r) == GRID_KEYS for r in rows)
    assert all(r["epochs_per_s"] > 0 and r["gflops"] > 0 and r["vs_jax"] is None for r in rows)


def test_the_grid_table_has_a_ratio_column_per_reference_and_says_its_clock(capsys):
    from nnterm.bench.grid import COLUMNS, print_grid
    from nnterm.bench.jax_ref import one_thread
    one_thread()
    assert print_grid(("jax", "torch"), 1, 0.01, points=[(2, 8, 64), (784, 8, 1)], samples=64) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "by process CPU time" in lines[0]
    assert lines[2].split() == [w for name, _ in COLUMNS for w in name.split()]
    rows = [line for line in lines if line.startswith(("2-8/64", "784-8/1"))]
    assert len(rows) == 2
    for row in rows:
        cells = row.split()
        assert len(cells) == len(COLUMNS) and float(cells[1].replace(",", "")) > 0
        for value, available in ((cells[4], find_spec("jax")), (cells[5], find_spec("torch"))):
            assert value.endswith("×") if available else value == "—"
    assert any(line.startswith("  GFLOP/s: the dense products only; peak: ") for line in lines)
