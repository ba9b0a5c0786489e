"""`nnterm bench --backend cuda`'s machinery on a tiny workload (speed is printed, never asserted)."""
import numpy as np
import pytest

from nnterm.bench.gpu import RUNS, bench_gpu, planned
from nnterm.bench.workloads import Arrays, Workload


def test_every_contender_is_timed_and_the_ratios_follow():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(24, 2)).astype(np.float32)
    y = (x[:, :1] * x[:, 1:] > 0).astype(np.float32)
    tiny = Workload("tiny", (2, 4, 1), ("tanh", "sigmoid"), "bce", "sgd", 0.1, 8, 24, "2→4→1, 24 samples")
    result = bench_gpu(tiny, Arrays(x, y, "xor points"), runs=1, run_seconds=0.01).as_json()
    assert result["backend"] == "cuda" and result["batch_size"] == 8
    assert result["epochs_per_s"] > 0 and result["cpu_epochs_per_s"] > 0
    assert result["vs_cpu"] == pytest.approx(result["epochs_per_s"] / result["cpu_epochs_per_s"], rel=1e-2, abs=1e-3)
    if result["torch_epochs_per_s"] is not None:
        assert result["torch_device"] in ("cuda", "cpu") and result["vs_torch"] is not None


def test_the_gpu_shapes_are_planned():
    assert RUNS == (("digits", None), ("mnist", 64), ("mnist", 256))
    mnist = [(w.sizes, w.batch_size, w.samples) for w, _ in planned(["mnist"])]
    assert mnist == [((784, 128, 10), 64, 10_000), ((784, 128, 10), 256, 10_000)]
