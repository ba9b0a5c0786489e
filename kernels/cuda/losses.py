"""The output layer's loss and δ on the device, a thread per row. Twin of kernels/losses.py
(loss_value, output_delta); the row formulas are in device_math.py.

Each row's loss term (Σ over its outputs) goes to its own slot of `terms`; the host adds them
up, in float64 and in row order, when it reads an epoch's losses — one small copy an epoch,
no atomics, the same bits every run.
"""
from numba import cuda

from ..codes import CCE
from .device_math import row_delta, row_loss
from .launch import grid_1d


def loss_denominator(loss: int, rows: int, outputs: int) -> int:
    """The mean is over the batch for cce, over every element otherwise (PyTorch's "mean")."""
    return rows if loss == CCE else rows * outputs


@cuda.jit
def loss_and_delta(loss, act, z, a, y, rows, want_delta, delta, terms, slot):
    """terms[slot + i] = row i's loss term for rows 0 … rows−1; with want_delta, δ = ∂L/∂z of
    the batch mean."""
    cols = a.shape[1]
    n = rows if loss == CCE else rows * cols
    for i in range(cuda.grid(1), rows, cuda.gridsize(1)):
        terms[slot + i] = row_loss(loss, act, z, a, y, i, cols)
        if want_delta:
            row_delta(loss, act, z, a, y, i, cols, n, delta)


def launch_loss(loss, act, z, a, y, rows, delta, terms, slot, want_delta=True):
    blocks, threads = grid_1d(rows)
    loss_and_delta[blocks, threads](loss, act, z, a, y, rows, want_delta, delta, terms, slot)
