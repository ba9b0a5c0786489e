"""The dense layer, z = a_prev @ W + b (rows are samples), and its backward pass.

Small layers run as explicit loops; large ones call BLAS through `np.dot(..., out)`, which
wins once a product has more than BLAS_MIN_MACS multiply-adds (see nnterm bench).
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


@kernel
def dense_forward(x, w, b, z):
    """z = x @ W + b"""
    rows, fan_in = x.shape
    fan_out = w.shape[1]
    if rows * fan_in * fan_out >= BLAS_MIN_MACS:
        np.dot(x, w, z)
        for i in range(rows):
            for j in range(fan_out):
                z[i, j] += b[j]
        return
    for i in range(rows):
        for j in range(fan_out):
            z[i, j] = b[j]
        for k in range(fan_in):
            xk = x[i, k]
            for j in range(fan_out):
                z[i, j] += xk * w[k, j]


@kernel
def dense_weight_grads(x, delta, dw, db):
    """∂L/∂W = xᵀ δ,  ∂L/∂b = Σ_rows δ"""
    rows, fan_in = x.shape
    fan_out = delta.shape[1]
    for j in range(fan_out):
        db[j] = 0.0
    for i in range(rows):
        for j in range(fan_out):
            db[j] += delta[i, j]
    if rows * fan_in * fan_out >= BLAS_MIN_MACS:
        np.dot(x.T, delta, dw)
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
def dense_input_grads(delta, w, grad_x):
    """∂L/∂x = δ Wᵀ — the gradient handed to the previous layer."""
    rows, fan_out = delta.shape
    fan_in = w.shape[0]
    if rows * fan_in * fan_out >= BLAS_MIN_MACS:
        np.dot(delta, w.T, grad_x)
        return
    for i in range(rows):
        for k in range(fan_in):
            s = 0.0
            for j in range(fan_out):
                s += delta[i, j] * w[k, j]
            grad_x[i, k] = s
