"""The dense layer on the GPU: z = x @ W + b with the activation fused in, and its two
backward products, each as a plain kernel (one thread per output) and as a shared-memory tiled
one for large layers. Twins of kernels/dense.py + kernels/activations.py.

Layer l's weight (fan_in, fan_out) and bias (fan_out) sit back to back in the flat buffer, so
∂L/∂W and ∂L/∂b are one (fan_in + 1, fan_out) product: [x, 1]ᵀ δ — the bias row is the column
of ones. Kernels take `rows` (the batch's rows) and ignore any further rows of their buffers, so
one allocation serves every batch size up to the largest.

The accumulators have the network's dtype (float32 stays float32 on the GPU); a kernel set is
compiled per dtype by `kernels_for`.
"""
from functools import lru_cache

import numba
import numpy as np
from numba import cuda

from ..codes import SOFTMAX
from .device_math import activation_slope, activation_value, softmax_row, softmax_row_backprop
from .launch import TILE, TILED_MIN_MACS, grid_1d, grid_tiles


class DenseKernels:
    """One dtype's compiled dense kernels, by name."""

    def __init__(self, **kernels):
        self.__dict__.update(kernels)


@lru_cache(maxsize=None)
def kernels_for(dtype_name: str) -> DenseKernels:
    """The dense kernels for float32 or float64 buffers."""
    zero = np.dtype(dtype_name).type(0)
    one = np.dtype(dtype_name).type(1)
    tile_type = numba.from_dtype(np.dtype(dtype_name))

    @cuda.jit
    def forward_small(x, w, b, rows, act, z, a):
        # z_ij = b_j + Σ_k x_ik W_kj;  a_ij = f(z_ij)  (softmax rows: softmax_rows afterwards)
        fan_in = x.shape[1]
        fan_out = w.shape[1]
        for e in range(cuda.grid(1), rows * fan_out, cuda.gridsize(1)):
            i = e // fan_out
            j = e - i * fan_out
            acc = b[j]
            for k in range(fan_in):
                acc += x[i, k] * w[k, j]
            z[i, j] = acc
            if act != SOFTMAX:
                a[i, j] = activation_value(act, acc)

    @cuda.jit
    def forward_tiled(x, w, b, rows, act, z, a):
        # the same z and a; each block stages TILE × TILE tiles of x and W in shared memory
        sx = cuda.shared.array((TILE, TILE), tile_type)
        sw = cuda.shared.array((TILE, TILE), tile_type)
        fan_in = x.shape[1]
        fan_out = w.shape[1]
        tx = cuda.threadIdx.x
        ty = cuda.threadIdx.y
        i = cuda.blockIdx.y * TILE + ty
        j = cuda.blockIdx.x * TILE + tx
        acc = zero
        for k0 in range(0, fan_in, TILE):
            sx[ty, tx] = x[i, k0 + tx] if i < rows and k0 + tx < fan_in else zero
            sw[ty, tx] = w[k0 + ty, j] if k0 + ty < fan_in and j < fan_out else zero
            cuda.syncthreads()
            for kk in range(TILE):
                acc += sx[ty, kk] * sw[kk, tx]
            cuda.syncthreads()
        if i < rows and j < fan_out:
            v = acc + b[j]
            z[i, j] = v
            if act != SOFTMAX:
                a[i, j] = activation_value(act, v)

    @cuda.jit(device=True)
    def weight_grad(x, delta, rows, k, j):
        # ∂L/∂W_kj = Σ_i x_ik δ_ij;  row k = fan_in is the bias: ∂L/∂b_j = Σ_i δ_ij
        acc = zero
        if k == x.shape[1]:
            for i in range(rows):
                acc += delta[i, j]
        else:
            for i in range(rows):
                acc += x[i, k] * delta[i, j]
        return acc

    @cuda.jit(device=True)
    def input_grad(delta, w, act, z, a, i, k):
        # δ_prev_ik = f'(z_ik) · Σ_j δ_ij W_kj  (softmax rows: raw Σ, softmax_backprop_rows follows)
        acc = zero
        for j in range(delta.shape[1]):
            acc += delta[i, j] * w[k, j]
        if act == SOFTMAX:
            return acc
        return acc * activation_slope(act, z[i, k], a[i, k])

    @cuda.jit
    def backward_small(x, delta, w, rows, act, z, a, dw, db, delta_prev, with_input):
        # one launch for both products of a small layer: [x, 1]ᵀ δ (dW and db), then, with
        # with_input, δ_prev = (δ Wᵀ) ⊙ f'(z_prev) — they read the same δ and write apart
        fan_in = x.shape[1]
        fan_out = delta.shape[1]
        n_weights = (fan_in + 1) * fan_out
        total = n_weights + rows * fan_in if with_input else n_weights
        for e in range(cuda.grid(1), total, cuda.gridsize(1)):
            if e < n_weights:
                k = e // fan_out
                j = e - k * fan_out
                g = weight_grad(x, delta, rows, k, j)
                if k == fan_in:
                    db[j] = g
                else:
                    dw[k, j] = g
            else:
                i = (e - n_weights) // fan_in
                k = (e - n_weights) - i * fan_in
                delta_prev[i, k] = input_grad(delta, w, act, z, a, i, k)

    @cuda.jit
    def weight_grads_tiled(x, delta, rows, dw, db):
        # the same [x, 1]ᵀ δ; sx holds a tile of [x, 1] transposed (sx[k, i] = x̃_ik)
        sx = cuda.shared.array((TILE, TILE), tile_type)
        sd = cuda.shared.array((TILE, TILE), tile_type)
        fan_in = x.shape[1]
        fan_out = delta.shape[1]
        tx = cuda.threadIdx.x
        ty = cuda.threadIdx.y
        k = cuda.blockIdx.y * TILE + ty
        j = cuda.blockIdx.x * TILE + tx
        k_load = cuda.blockIdx.y * TILE + tx       # thread (ty, tx) loads x̃[i0 + ty, k_load]
        acc = zero
        for i0 in range(0, rows, TILE):
            i = i0 + ty
            value = zero
            if i < rows:
                if k_load < fan_in:
                    value = x[i, k_load]
                elif k_load == fan_in:
                    value = one
            sx[tx, ty] = value
            sd[ty, tx] = delta[i, j] if i < rows and j < fan_out else zero
            cuda.syncthreads()
            for ii in range(TILE):
                acc += sx[ty, ii] * sd[ii, tx]
            cuda.syncthreads()
        if j < fan_out:
            if k < fan_in:
                dw[k, j] = acc
            elif k == fan_in:
                db[j] = acc

    @cuda.jit
    def input_grads_tiled(delta, w, rows, act, z, a, delta_prev):
        # the same δ Wᵀ; sw holds a tile of W transposed (sw[j, k] = W_kj)
        sd = cuda.shared.array((TILE, TILE), tile_type)
        sw = cuda.shared.array((TILE, TILE), tile_type)
        fan_out = delta.shape[1]
        fan_in = w.shape[0]
        tx = cuda.threadIdx.x
        ty = cuda.threadIdx.y
        i = cuda.blockIdx.y * TILE + ty
        k = cuda.blockIdx.x * TILE + tx
        k_load = cuda.blockIdx.x * TILE + ty       # thread (ty, tx) loads W[k_load, j0 + tx]
        acc = zero
        for j0 in range(0, fan_out, TILE):
            sd[ty, tx] = delta[i, j0 + tx] if i < rows and j0 + tx < fan_out else zero
            sw[tx, ty] = w[k_load, j0 + tx] if k_load < fan_in and j0 + tx < fan_out else zero
            cuda.syncthreads()
            for jj in range(TILE):
                acc += sd[ty, jj] * sw[jj, tx]
            cuda.syncthreads()
        if i < rows and k < fan_in:
            if act == SOFTMAX:
                delta_prev[i, k] = acc
            else:
                delta_prev[i, k] = acc * activation_slope(act, z[i, k], a[i, k])

    return DenseKernels(forward_small=forward_small, forward_tiled=forward_tiled,
                        backward_small=backward_small, weight_grads_tiled=weight_grads_tiled,
                        input_grads_tiled=input_grads_tiled)


@cuda.jit
def softmax_rows(z, a, rows):
    for i in range(cuda.grid(1), rows, cuda.gridsize(1)):
        softmax_row(z, a, i, z.shape[1])


@cuda.jit
def softmax_backprop_rows(a, delta, rows):
    # δ holds ∂L/∂a on entry and ∂L/∂z on exit
    for i in range(cuda.grid(1), rows, cuda.gridsize(1)):
        softmax_row_backprop(a, delta, delta, i, a.shape[1])


def tiled(rows: int, fan_in: int, fan_out: int, tiled_min_macs: int) -> bool:
    return rows * fan_in * fan_out >= tiled_min_macs


def dense_forward(x, w, b, rows, act, z, a, tiled_min_macs=TILED_MIN_MACS):
    """z = x[:rows] @ W + b and a = f(z), on the device."""
    k = kernels_for(z.dtype.name)
    fan_in, fan_out = w.shape
    if tiled(rows, fan_in, fan_out, tiled_min_macs):
        blocks, threads = grid_tiles(rows, fan_out)
        k.forward_tiled[blocks, threads](x, w, b, rows, act, z, a)
    else:
        blocks, threads = grid_1d(rows * fan_out)
        k.forward_small[blocks, threads](x, w, b, rows, act, z, a)
    if act == SOFTMAX:
        blocks, threads = grid_1d(rows)
        softmax_rows[blocks, threads](z, a, rows)


def dense_backward(x, delta, w, rows, dw, db, act_prev=0, z_prev=None, a_prev=None, delta_prev=None,
                   tiled_min_macs=TILED_MIN_MACS):
    """dW = x[:rows]ᵀ δ, db = Σ_rows δ and, when delta_prev is given, the previous layer's
    δ_prev = (δ Wᵀ) ⊙ f'(z_prev) (its activation `act_prev`), on the device."""
    k = kernels_for(delta.dtype.name)
    fan_in, fan_out = w.shape
    with_input = delta_prev is not None
    if tiled(rows, fan_in, fan_out, tiled_min_macs):
        blocks, threads = grid_tiles(fan_in + 1, fan_out)
        k.weight_grads_tiled[blocks, threads](x, delta, rows, dw, db)
        if with_input:
            blocks, threads = grid_tiles(rows, fan_in)
            k.input_grads_tiled[blocks, threads](delta, w, rows, act_prev, z_prev, a_prev, delta_prev)
    else:
        if not with_input:                 # placeholders of the right types, never touched
            z_prev = a_prev = delta_prev = delta
        blocks, threads = grid_1d((fan_in + 1) * fan_out + (rows * fan_in if with_input else 0))
        k.backward_small[blocks, threads](x, delta, w, rows, act_prev, z_prev, a_prev, dw, db, delta_prev, with_input)
    if with_input and act_prev == SOFTMAX:
        blocks, threads = grid_1d(rows)
        softmax_backprop_rows[blocks, threads](a_prev, delta_prev, rows)
