"""The dense layer, z = a_prev @ W + b (rows are samples), and its backward pass.

Small layers run as explicit loops; large ones call BLAS through `np.dot(..., out)`, which
wins once a product has more than BLAS_MIN_MACS multiply-adds (see nnterm bench).
"""
import numpy as np
from numba import njit

BLAS_MIN_MACS = 32768


@njit(cache=True, nogil=True)
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


@njit(cache=True, nogil=True)
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


@njit(cache=True, nogil=True)
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
