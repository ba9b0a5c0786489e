"""Whole trainings on the cuda backend against the cpu backend: the same loss history, metrics
and final weights, through the Trainer a user drives — including what the host changes between
epochs (restored or edited weights, frozen layers, a reset), which must reach the device."""

import numpy as np
import pytest

import nnterm
from nnterm.engine.cuda_backend import CudaBackend
from nnterm.presets.loader import preset_from_dict

# Tiny on purpose: the simulator runs every CUDA thread in Python.
SMALL_DATA = {"samples": 60, "train_fraction": 0.6}
PRESETS = {
    "xor-sgd": {"data": {"kind": "xor", **SMALL_DATA}},
    "circle-softmax-adam": {
        "data": {"kind": "circle", "features": ["x1", "x2", "x1^2", "x2^2"], **SMALL_DATA},
        "network": {"layers": [{"units": 5, "activation": "relu"}, {"units": 2, "activation": "softmax"}]},
        "training": {"optimizer": "adam", "learning_rate": 0.05, "batch_size": 7, "clip_norm": 0.5, "l2": 0.01}},
    "plane-regression-nesterov": {
        "data": {"kind": "plane", **SMALL_DATA},
        "network": {"layers": [{"units": 4, "activation": "elu"}, {"units": 1, "activation": "linear"}]},
        "training": {"loss": "huber", "optimizer": "momentum", "nesterov": True, "learning_rate": 0.02,
                     "batch_size": 9, "l1": 0.001}},
    "moons-adamw-frozen": {
        "data": {"kind": "moons", **SMALL_DATA},
        "network": {"layers": [{"units": 4, "activation": "swish", "trainable": False},
                               {"units": 3, "activation": "softplus"}, {"units": 1, "activation": "sigmoid"}]},
        "training": {"optimizer": "adamw", "learning_rate": 0.03, "batch_size": 8, "schedule": "cosine"}},
}
EPOCHS = 3


def make_preset(name: str, dtype: str):
    body = PRESETS[name]
    network = {**body.get("network", {}), "dtype": dtype}
    return preset_from_dict({"name": name, "seed": 3, **body, "network": network}, label=f"test preset {name}")


def pair(name: str, dtype: str, **options):
    """A cpu and a cuda Trainer on the same preset; options pick the cuda path (CudaBackend)."""
    preset = make_preset(name, dtype)
    cpu, gpu = nnterm.Trainer(preset, backend="cpu"), nnterm.Trainer(preset, backend="cuda")
    if options:
        gpu.backend = CudaBackend(**options)
    return cpu, gpu


def tolerance(dtype: str) -> dict:
    return dict(rel=1e-4, abs=1e-5) if dtype == "float32" else dict(rel=1e-9, abs=1e-12)


def assert_same_run(cpu, gpu, dtype):
    assert len(cpu.history) == len(gpu.history)
    for c, g in zip(cpu.history, gpu.history):
        assert (c.epoch, c.stopped) == (g.epoch, g.stopped)
        assert g.train_loss == pytest.approx(c.train_loss, **tolerance(dtype))
        assert g.val_loss == pytest.approx(c.val_loss, **tolerance(dtype))
        assert g.metrics.keys() == c.metrics.keys()
    atol = 1e-4 if dtype == "float32" else 1e-10
    np.testing.assert_allclose(gpu.network.params, cpu.network.params, rtol=0, atol=atol)
    np.testing.assert_allclose(gpu.state, cpu.state, rtol=0, atol=atol)
    assert gpu.step_count[0] == cpu.step_count[0]


@pytest.mark.parametrize("path", ["fused", "layers"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(PRESETS))
def test_loss_history_and_weights_match_cpu(name, dtype, path):
    """Both device paths: two launches a step (small nets' default) and kernels per layer."""
    cpu, gpu = pair(name, dtype, fused=path == "fused")
    cpu.run(EPOCHS)
    gpu.run(EPOCHS)
    assert gpu.backend.name == "cuda" and isinstance(gpu.backend, CudaBackend)
    assert gpu.backend.device.fused == (path == "fused")
    assert_same_run(cpu, gpu, dtype)


def test_small_nets_take_the_two_launch_path_by_default():
    _, gpu = pair("xor-sgd", "float32")
    gpu.train_epoch()
    assert gpu.backend.device.fused


def test_tiled_kernels_train_like_the_cpu():
    """Every dense product on the shared-memory tiles (tiled_min_macs=0)."""
    cpu, gpu = pair("circle-softmax-adam", "float64", tiled_min_macs=0, fused=False)
    cpu.run(2)
    gpu.run(2)
    assert_same_run(cpu, gpu, "float64")


def test_host_edits_between_epochs_reach_the_device():
    cpu, gpu = pair("xor-sgd", "float64")
    for trainer in (cpu, gpu):
        trainer.train_epoch()
        trainer.network.layers[0].weight[0, 0] = 0.75      # a weight edited in the TUI
        trainer.network.layers[1].trainable = False         # a layer frozen
        trainer.train_epoch()
        trainer.reset()                                     # a fresh network: a fresh device copy
        trainer.train_epoch()
    assert_same_run(cpu, gpu, "float64")


@pytest.mark.filterwarnings("ignore::RuntimeWarning")     # the simulator overflows in NumPy, and says so
def test_divergence_is_caught_and_the_restored_weights_reach_the_device():
    preset = preset_from_dict({"name": "hot", "seed": 3, "data": {"kind": "plane", **SMALL_DATA},
                               "training": {"learning_rate": 1e4, "loss": "mse"},
                               "network": {"layers": [{"units": 4, "activation": "relu"},
                                                      {"units": 1, "activation": "linear"}]}}, label="hot preset")
    cpu, gpu = nnterm.Trainer(preset, backend="cpu"), nnterm.Trainer(preset, backend="cuda")
    before = gpu.network.params.copy()
    reports = [trainer.train_epoch() for trainer in (cpu, gpu)]
    assert reports[0].stopped and reports[1].stopped and reports[1].reason == reports[0].reason
    assert "diverged" in reports[1].reason and np.array_equal(gpu.network.params, before)
    assert gpu.step_count[0] == cpu.step_count[0] == 0 and not gpu.state.any()
    # the device got the restored weights back: its predictions are the CPU's again
    x = gpu.data.x_val
    np.testing.assert_allclose(gpu.backend.predict(gpu.network, x), cpu.backend.predict(cpu.network, x), rtol=1e-5)


def test_numbas_small_grid_warning_is_kept_off_the_screen():
    """Small grids are deliberate here; on a real GPU Numba would warn at every tiny launch."""
    import warnings

    from numba.core.errors import NumbaPerformanceWarning
    CudaBackend()
    with warnings.catch_warnings(record=True) as caught:
        warnings.warn(NumbaPerformanceWarning("Grid size 1 will likely result in GPU under-utilization due to low occupancy."))
    assert caught == []
