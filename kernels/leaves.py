"""Compiling the leaves of the call tree on their own, before the kernels that call them.

A kernel's compile compiles every leaf it calls that is not compiled yet (or loads it from the
cache), then itself. Two processes can each compile half the leaves into the shared cache at
once (Numba compiles behind one lock per process, not per machine): the kernel warm-up
(nnterm/session/kernel_warm_up.py) has this process compile the shared leaves and the helper
the backward ones, and whichever then compiles train_epoch loads them all from the cache
instead of compiling any a second time.

Each leaf is called once on one-row scratch arrays of the network's dtype, C-contiguous and
2-D exactly like the blocks the passes hand it (passes.unit_block, weight_view, bias_view), so
the specialisation compiled here is the one the kernels ask for and no other
(tests/test_kernel_leaves.py checks that an epoch after both compiles no leaf of its own).
"""
import numpy as np

from .activations import activate, backprop_activation
from .dense import dense_forward, dense_input_grads, dense_weight_grads
from .epoch import gather_row
from .losses import clamped_log
from .passes import bias_view, unit_block, weight_view


def _scratch(dtype):
    block = np.zeros((1, 1), dtype)
    return block, np.zeros(1, dtype)


def compile_shared_leaves(dtype) -> None:
    """What evaluation and training both call: the forward pass's leaves, the row gather and the
    loss's clamped log (float64 too: the loss accumulates in float64)."""
    block, flat = _scratch(dtype)
    sizes, offsets = np.ones(2, np.int64), np.zeros(1, np.int64)
    unit_block(sizes, flat, 1, 0)
    weight_view(sizes, offsets, np.zeros(2, dtype), 0)
    bias_view(sizes, offsets, np.zeros(2, dtype), 0)
    gather_row(block, 0, block, 0)
    dense_forward(block, block, flat, block)
    activate(0, block, block)
    clamped_log(block[0, 0])
    clamped_log(1.0)


def compile_backward_leaves(dtype) -> None:
    """What only training (and the inspector's step) calls: the backward pass's leaves."""
    block, flat = _scratch(dtype)
    backprop_activation(0, block, block, block, block)
    dense_weight_grads(block, block, block, flat)
    dense_input_grads(block, block, block)

