"""Every CUDA kernel compiles for a real GPU (PTX for sm_80), even on a machine without one.

The simulator runs kernels as Python and so never types or lowers them; this does, through
Numba's real CUDA target. It needs libNVVM — `pip install 'nnterm[cuda]'` brings it as a
wheel — and is skipped, with the reason, where there is none (or under the simulator).
"""
import os

import pytest

if os.environ.get("NUMBA_ENABLE_CUDASIM") == "1":
    pytest.skip("the simulator is on; it compiles nothing", allow_module_level=True)


def nvvm_missing() -> str | None:
    try:
        from numba.cuda.cudadrv import nvvm
        nvvm.NVVM()
    except Exception as err:               # no numba.cuda, no libNVVM: nothing to compile with
        return f"no libNVVM to compile CUDA kernels with ({type(err).__name__}); pip install 'nnterm[cuda]'"
    return None


WHY = nvvm_missing()
pytestmark = pytest.mark.skipif(WHY is not None, reason=WHY or "")


@pytest.fixture
def sm80(monkeypatch):
    """Device functions compile for the current GPU's compute capability; without a GPU, say
    sm_80 (the A100/H100 class), the target the kernels are compiled for below."""
    from numba import cuda
    if cuda.is_available():
        return
    import numba.cuda.dispatcher as dispatcher

    class Sm80:
        compute_capability = (8, 0)
    monkeypatch.setattr(dispatcher, "get_current_device", lambda: Sm80())


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_every_kernel_compiles_to_ptx(sm80, dtype):
    from numba import cuda, types

    from nnterm.kernels.cuda import dense, epoch, fused, losses, optimizers
    i64, b1, f64 = types.int64, types.boolean, types.float64
    element = getattr(types, dtype)
    M, V, T = (types.Array(element, n, "C") for n in (2, 1, 3))
    I, F, U8 = types.Array(i64, 1, "C"), types.Array(f64, 1, "C"), types.Array(types.uint8, 1, "C")
    k = dense.kernels_for(dtype)
    kernels = {
        "forward_small": (k.forward_small, (M, M, V, i64, i64, M, M)),
        "forward_tiled": (k.forward_tiled, (M, M, V, i64, i64, M, M)),
        "backward_small": (k.backward_small, (M, M, M, i64, i64, M, M, M, V, M, b1)),
        "weight_grads_tiled": (k.weight_grads_tiled, (M, M, i64, M, V)),
        "input_grads_tiled": (k.input_grads_tiled, (M, M, i64, i64, M, M, M)),
        "softmax_rows": (dense.softmax_rows, (M, M, i64)),
        "softmax_backprop_rows": (dense.softmax_backprop_rows, (M, M, i64)),
        "loss_and_delta": (losses.loss_and_delta, (i64, i64, M, M, M, i64, b1, M, F, i64)),
        "penalty_and_norm": (optimizers.penalty_and_norm, (V, V, U8, U8, F, F)),
        "optimizer_update": (optimizers.optimizer_update, (i64, V, V, U8, U8, M, i64, F, F, b1)),
        "rows_pass": (fused.rows_pass, (I, I, I, V, i64, M, M, i64, T, T, T, i64, F, i64)),
        "params_pass": (fused.params_pass, (I, I, M, i64, T, T, i64, V, V, U8, U8, M, i64, F, b1)),
        "gather_rows": (epoch.gather_rows, (M, M, I, i64, M, M)),
    }
    for name, (kernel, signature) in kernels.items():
        ptx, _ = cuda.compile_ptx(kernel.py_func, signature, cc=(8, 0))
        assert ".entry" in ptx, name
