"""The dense layer, z = a_prev @ W + b (rows are samples), and its backward pass.

Small layers run as explicit loops; large ones call BLAS through `np.dot(..., out)`, which
wins once a product has more than BLAS_MIN_MACS multiply-adds (see nnterm bench).

The loops come in two orders, picked per shape by `narrow` alone. The wide order runs its
innermost loop over fan_out, which vectorizes when a layer has many outputs. An output layer
has 1–10: there that loop is a few iterations long, all overhead, and the three products of
2→128→1 took 122 µs of a ~150 µs step. The narrow order (forward_narrow, weight_grads_narrow,
input_grads_narrow) runs its innermost loop over fan_in or over the rows instead. Each output
still sums the same terms in the same order and the same precision as the wide order, so the
results are the same bit for bit (tests/test_dense_loop_orders.py; docs/design.md, "Loop orders").
"""
import numpy as np

from .jit import kernel

# rows·fan_in·fan_out from which np.dot (OpenBLAS, one thread) is used instead of the loops below.
# Measured per call, float32, µs loop/BLAS (AMD EPYC Zen 4, 2 shared cores, numba 0.68, scipy 1.17):
#   forward x·W      (10,2,8) 0.05/0.05  (10,8,8) 0.17/0.09  (32,2,8) 0.15/0.10  (32,16,16) 1.63/0.28
#   weights xᵀ·δ     (10,2,8) 0.05/0.14  (10,8,8) 0.23/0.16  (32,2,8) 0.13/0.19  (32,16,16) 1.15/0.24
#   inputs δ·Wᵀ      (10,2,8) 0.06/0.13  (10,8,8) 0.33/0.20  (32,2,8) 0.19/0.17  (32,32,32) 21.1/1.6
# So BLAS wins from ~500 multiply-adds. Yet 512 is not used: it changes float32 rounding, and
# the spiral preset (Adam, lr 0.01) has loss spikes late in training — with 512 its epoch 400
# lands on one (accuracy 0.55 instead of 0.98; float64 spikes too, at other epochs). End to end
# the bench workloads did not move measurably (playground/digits within noise; mnist and digits
# use BLAS either way). Lower this once that preset trains stably.
BLAS_MIN_MACS = 32768

# fan_out up to which the narrow loop order may be used (an output layer: a class per unit).
NARROW_FAN_OUT = 10
# fan_in up to which a layer of several outputs keeps the wide order: its transposed scratch
# (two allocations a call) costs more than the narrow order saves over so few inputs.
NARROW_MIN_FAN_IN = 9
# Rows the forward product sums side by side in the narrow order: eight independent sums
# (eight float32 add chains, the adder's latency hidden) over one pass of a weight column.
FORWARD_BLOCK = 8


@kernel
def uses_blas(rows, fan_in, fan_out):
    """Whether a product of this shape goes to BLAS (np.dot) rather than the loops below."""
    return rows * fan_in * fan_out >= BLAS_MIN_MACS


@kernel
def narrow(rows, fan_in, fan_out):
    """Whether the narrow loop order runs this product: few outputs, and at least as many rows as
    outputs, so that the transposed scratch it builds (fan_out × fan_in) is shared by enough rows;
    and either one output (no scratch at all) or more than a few inputs to share it over.
    Measured per call, float32, µs wide/narrow (Zen 4, numba 0.68), forward · weight grads · inputs:
      (64,128,1)  27.6/1.7  10.9/1.2  9.9/1.2     (10,128,1)  4.2/0.6  2.1/0.6  1.6/0.4
      (10,128,10)  4.8/3.4   3.0/1.5  7.0/2.0     (1,128,10)  0.8/1.0  1.4/1.4  0.7/0.8 (so: rows ≥ fan_out)
      (10,16,4)   0.48/0.14  0.37/0.15  0.32/0.20  (10,8,1)   0.15/0.03  0.12/0.04  0.10/0.02
      (10,8,8)    0.16/0.15  0.14/0.16  0.23/0.25  (10,2,8)   0.05/0.07  0.17/0.17  0.06/0.38
      (64,2,8)    0.35/0.32  0.25/0.96  0.36/2.20  (so: fan_in ≥ NARROW_MIN_FAN_IN unless fan_out is 1)"""
    return fan_out <= NARROW_FAN_OUT and rows >= fan_out and (fan_out == 1 or fan_in >= NARROW_MIN_FAN_IN)


@kernel
def dense_forward(x, w, b, z):
    """z = x @ W + b"""
    rows, fan_in = x.shape
    fan_out = w.shape[1]
    if uses_blas(rows, fan_in, fan_out):
        np.dot(x, w, z)
        for i in range(rows):
            for j in range(fan_out):
                z[i, j] += b[j]
        return
    if narrow(rows, fan_in, fan_out):
        forward_narrow(x, w, b, z)
        return
    for i in range(rows):
        for j in range(fan_out):
            z[i, j] = b[j]
        for k in range(fan_in):
            xk = x[i, k]
            for j in range(fan_out):
                z[i, j] += xk * w[k, j]


@kernel
def forward_narrow(x, w, b, z):
    """z = x @ W + b, each z[i, j] = b_j + x_i0·w_0j + x_i1·w_1j + … summed in that order in the
    weights' dtype, as the wide order does; FORWARD_BLOCK rows at a time, the rest one by one."""
    rows, fan_in = x.shape
    fan_out = w.shape[1]
    i = 0
    while i + FORWARD_BLOCK <= rows:
        for j in range(fan_out):
            s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = b[j]
            for k in range(fan_in):
                wk = w[k, j]
                s0 += x[i, k] * wk
                s1 += x[i + 1, k] * wk
                s2 += x[i + 2, k] * wk
                s3 += x[i + 3, k] * wk
                s4 += x[i + 4, k] * wk
                s5 += x[i + 5, k] * wk
                s6 += x[i + 6, k] * wk
                s7 += x[i + 7, k] * wk
            z[i, j] = s0
            z[i + 1, j] = s1
            z[i + 2, j] = s2
            z[i + 3, j] = s3
            z[i + 4, j] = s4
            z[i + 5, j] = s5
            z[i + 6, j] = s6
            z[i + 7, j] = s7
        i += FORWARD_BLOCK
    for r in range(i, rows):
        for j in range(fan_out):
            s = b[j]
            for k in range(fan_in):
                s += x[r, k] * w[k, j]
            z[r, j] = s


@kernel
def dense_weight_grads(x, delta, dw, db):
    """∂L/∂W = xᵀ δ,  ∂L/∂b = Σ_rows δ"""
    rows, fan_in = x.shape
    fan_out = delta.shape[1]
    dense_bias_grads(delta, db)
    if uses_blas(rows, fan_in, fan_out):
        np.dot(x.T, delta, dw)
        return
    if narrow(rows, fan_in, fan_out):
        weight_grads_narrow(x, delta, dw)
        return
    for k in range(fan_in):
        for j in range(fan_out):
            dw[k, j] = 0.0
    for i in range(rows):
        for k in range(fan_in):
            xk = x[i, k]
            for j in range(fan_out):
                dw[k, j] += xk * delta[i, j]


@kernel
def dense_bias_grads(delta, db):
    """∂L/∂b = Σ_rows δ, summed from 0 in row order."""
    rows, fan_out = delta.shape
    for j in range(fan_out):
        db[j] = 0.0
    for i in range(rows):
        for j in range(fan_out):
            db[j] += delta[i, j]


@kernel
def weight_grads_narrow(x, delta, dw):
    """∂L/∂W = xᵀ δ, each dw[k, j] = Σ_i x_ik·δ_ij from 0 in row order in dw's dtype, as the wide
    order sums it, in a transposed scratch (fan_out, fan_in) whose rows the innermost loop walks."""
    rows, fan_in = x.shape
    fan_out = delta.shape[1]
    if fan_out == 1:                # dw is (fan_in, 1): already the transposed layout, no scratch
        for k in range(fan_in):
            dw[k, 0] = 0.0
        for i in range(rows):
            d = delta[i, 0]
            for k in range(fan_in):
                dw[k, 0] += x[i, k] * d
        return
    t = np.zeros((fan_out, fan_in), dw.dtype)
    for i in range(rows):
        for j in range(fan_out):
            d = delta[i, j]
            for k in range(fan_in):
                t[j, k] += x[i, k] * d
    for k in range(fan_in):
        for j in range(fan_out):
            dw[k, j] = t[j, k]


@kernel
def dense_input_grads(delta, w, grad_x):
    """∂L/∂x = δ Wᵀ — the gradient handed to the previous layer."""
    rows, fan_out = delta.shape
    fan_in = w.shape[0]
    if uses_blas(rows, fan_in, fan_out):
        np.dot(delta, w.T, grad_x)
        return
    if narrow(rows, fan_in, fan_out):
        input_grads_narrow(delta, w, grad_x)
        return
    for i in range(rows):
        for k in range(fan_in):
            s = 0.0
            for j in range(fan_out):
                s += delta[i, j] * w[k, j]
            grad_x[i, k] = s


@kernel
def input_grads_narrow(delta, w, grad_x):
    """∂L/∂x = δ Wᵀ as the wide order sums it — each product δ_ij·w_kj rounded to the weights'
    dtype, added from 0 in j order to a float64 sum, which is rounded once into grad_x — with the
    innermost loop over fan_in: a float64 row of sums and the weights transposed (fan_out, fan_in)."""
    rows, fan_out = delta.shape
    fan_in = w.shape[0]
    if fan_out == 1:                # one product per entry: 0 + δ·w, rounded once, needs no scratch
        for i in range(rows):
            d = delta[i, 0]
            for k in range(fan_in):
                grad_x[i, k] = 0.0 + d * w[k, 0]
        return
    wt = np.empty((fan_out, fan_in), w.dtype)
    for k in range(fan_in):
        for j in range(fan_out):
            wt[j, k] = w[k, j]
    sums = np.empty(fan_in)
    for i in range(rows):
        for k in range(fan_in):
            sums[k] = 0.0
        for j in range(fan_out):
            d = delta[i, j]
            for k in range(fan_in):
                sums[k] += d * wt[j, k]
        for k in range(fan_in):
            grad_x[i, k] = sums[k]
