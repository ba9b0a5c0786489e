"""Activations, applied in place over a (batch, units) block.

Each function reads the pre-activation `z` and writes `a`; the derivative uses whichever of
`z` or `a` gives the cheaper, more stable formula.
"""
import math

import numpy as np
from numba import njit

from .codes import ELU, ELU_ALPHA, LEAKY_RELU, LEAKY_SLOPE, LINEAR, RELU, SIGMOID, SOFTMAX, SOFTPLUS, SWISH, TANH


@njit(cache=True, nogil=True)
def sigmoid(z):
    # σ(z) = 1 / (1 + e^-z), written so that neither branch overflows.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@njit(cache=True, nogil=True)
def softplus(z):
    # softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^-|z|)
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


@njit(cache=True, nogil=True)
def activate(code, z, a):
    """a = f(z) for every element (softmax: for every row)."""
    rows, cols = z.shape
    if code == SOFTMAX:
        for i in range(rows):
            # softmax(z)_j = e^(z_j - max z) / Σ_k e^(z_k - max z)
            m = z[i, 0]
            for j in range(1, cols):
                m = max(m, z[i, j])
            s = 0.0
            for j in range(cols):
                e = math.exp(z[i, j] - m)
                a[i, j] = e
                s += e
            for j in range(cols):
                a[i, j] = a[i, j] / s
        return
    for i in range(rows):
        for j in range(cols):
            v = z[i, j]
            if code == LINEAR:
                a[i, j] = v
            elif code == SIGMOID:
                a[i, j] = sigmoid(v)
            elif code == TANH:
                a[i, j] = math.tanh(v)
            elif code == RELU:
                a[i, j] = v if v > 0 else 0.0
            elif code == LEAKY_RELU:
                a[i, j] = v if v > 0 else LEAKY_SLOPE * v
            elif code == ELU:
                a[i, j] = v if v > 0 else ELU_ALPHA * (math.exp(v) - 1.0)
            elif code == SOFTPLUS:
                a[i, j] = softplus(v)
            elif code == SWISH:
                a[i, j] = v * sigmoid(v)  # swish(z) = z·σ(z), PyTorch's SiLU


@njit(cache=True, nogil=True)
def backprop_activation(code, z, a, grad_a, delta):
    """δ = ∂L/∂z from ∂L/∂a: elementwise δ = ∂L/∂a · f'(z); softmax uses its Jacobian."""
    rows, cols = z.shape
    if code == SOFTMAX:
        for i in range(rows):
            # δ_j = a_j (g_j − Σ_k g_k a_k)
            s = 0.0
            for k in range(cols):
                s += grad_a[i, k] * a[i, k]
            for j in range(cols):
                delta[i, j] = a[i, j] * (grad_a[i, j] - s)
        return
    for i in range(rows):
        for j in range(cols):
            v = z[i, j]
            if code == LINEAR:
                d = 1.0
            elif code == SIGMOID:
                d = a[i, j] * (1.0 - a[i, j])            # σ' = σ(1 − σ)
            elif code == TANH:
                d = 1.0 - a[i, j] * a[i, j]              # tanh' = 1 − tanh²
            elif code == RELU:
                d = 1.0 if v > 0 else 0.0
            elif code == LEAKY_RELU:
                d = 1.0 if v > 0 else LEAKY_SLOPE
            elif code == ELU:
                d = 1.0 if v > 0 else a[i, j] + ELU_ALPHA  # α(e^z − 1)' = αe^z = a + α
            elif code == SOFTPLUS:
                d = sigmoid(v)                           # softplus' = σ
            else:
                s = sigmoid(v)                           # swish' = σ(z)(1 + z(1 − σ(z)))
                d = s * (1.0 + v * (1.0 - s))
            delta[i, j] = grad_a[i, j] * d


def activation_array(code: int, z: np.ndarray) -> np.ndarray:
    """Convenience for Python callers (neuron lab, plots): f(z) for any 2-D array."""
    z2 = np.ascontiguousarray(np.atleast_2d(z))
    a = np.empty_like(z2)
    activate(code, z2, a)
    return a.reshape(np.shape(z)) if np.ndim(z) != 2 else a
