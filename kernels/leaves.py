"""Compiling the leaves of the call tree on their own, before the kernels that call them.

A kernel's compile compiles every leaf it calls that is not compiled yet (or loads it from the
cache), then itself. Two processes can each compile part of the leaves into the shared cache at
once (Numba compiles behind one lock per process, not per machine): in the kernel warm-up
(nnterm/session/kernel_warm_up.py) this process compiles the shared leaves in order, then the
evaluation kernels; the helper compiles the backward leaves, then the shared ones from the end,
then train_epoch, which loads them all from the cache instead of compiling any a second time.
Should both reach the same leaf at once, both compile it and write the same cache entry.

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


def shared_leaf_calls(dtype) -> list:
    """What evaluation and training both call, as calls to make in this order: the loss's
    clamped log first (float32 and float64, the loss accumulating in float64: the one leaf with
    two specialisations, so the app has it in the cache long before the helper could ask for
    it), then the views, the row gather and the forward pass's leaves."""
    block, flat = _scratch(dtype)
    sizes, offsets, params = np.ones(2, np.int64), np.zeros(1, np.int64), np.zeros(2, dtype)
    return [lambda: clamped_log(block[0, 0]),
            lambda: clamped_log(1.0),
            lambda: unit_block(sizes, flat, 1, 0),
            lambda: weight_view(sizes, offsets, params, 0),
            lambda: bias_view(sizes, offsets, params, 0),
            lambda: gather_row(block, 0, block, 0),
            lambda: dense_forward(block, block, flat, block),
            lambda: activate(0, block, block)]


def compile_shared_leaves(dtype, from_the_end: bool = False) -> None:
    """The shared leaves, in order or from the end: two processes going opposite ways meet in
    the middle, each loading from the cache what the other compiled, neither waiting."""
    calls = shared_leaf_calls(dtype)
    for call in reversed(calls) if from_the_end else calls:
        call()


def compile_backward_leaves(dtype) -> None:
    """What only training (and the inspector's step) calls: the backward pass's leaves."""
    block, flat = _scratch(dtype)
    backprop_activation(0, block, block, block, block)
    dense_weight_grads(block, block, block, flat)
    dense_input_grads(block, block, block)
