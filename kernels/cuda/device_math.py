"""Scalar device functions: every activation, its slope, and every loss, one element or row at
a time. Row functions take the row's width `cols`, as their buffers may be wider (fused.py pads
every layer to the widest).

These are the CUDA twins of kernels/activations.py and kernels/losses.py: a CUDA thread owns
one element (or one row, where a row is needed: softmax, cce), where the CPU kernels loop over a
whole block. Same formulas, same constants (codes.py), same float64 intermediates, so the two
backends agree to float rounding; tests/cuda checks each against its CPU twin.
"""
import math

from numba import cuda

from ..codes import (BCE, CCE, ELU, ELU_ALPHA, HUBER, HUBER_DELTA, LEAKY_RELU, LEAKY_SLOPE, LINEAR, MAE, MSE,
                     RELU, SIGMOID, SOFTMAX, SOFTPLUS, TANH)
from ..losses import BCE_GRAD_EPS, LOG_FLOOR


@cuda.jit(device=True)
def larger(a, b):
    """max(a, b) as Python's builtin gives it (a NaN first argument stays NaN). Written out:
    numba 0.68's built-in CUDA target cannot type the two-argument max()."""
    return b if b > a else a


@cuda.jit(device=True)
def sigmoid(z):
    # σ(z) = 1 / (1 + e^-z), written so that neither branch overflows.
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@cuda.jit(device=True)
def softplus(z):
    # softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^-|z|)
    return larger(z, 0.0) + math.log1p(math.exp(-abs(z)))


@cuda.jit(device=True)
def activation_value(code, v):
    """f(z) for every elementwise activation (softmax is per row: softmax_row)."""
    if code == SIGMOID:
        return sigmoid(v)
    if code == TANH:
        return math.tanh(v)
    if code == RELU:
        return v if v > 0 else 0.0
    if code == LEAKY_RELU:
        return v if v > 0 else LEAKY_SLOPE * v
    if code == ELU:
        return v if v > 0 else ELU_ALPHA * (math.exp(v) - 1.0)
    if code == SOFTPLUS:
        return softplus(v)
    if code == LINEAR:
        return v
    return v * sigmoid(v)                  # swish(z) = z·σ(z), PyTorch's SiLU


@cuda.jit(device=True)
def activation_slope(code, v, a):
    """f'(z), from z = v or a = f(z), whichever is cheaper and stabler (softmax: per row)."""
    if code == LINEAR:
        return 1.0
    if code == SIGMOID:
        return a * (1.0 - a)               # σ' = σ(1 − σ)
    if code == TANH:
        return 1.0 - a * a                 # tanh' = 1 − tanh²
    if code == RELU:
        return 1.0 if v > 0 else 0.0
    if code == LEAKY_RELU:
        return 1.0 if v > 0 else LEAKY_SLOPE
    if code == ELU:
        return 1.0 if v > 0 else a + ELU_ALPHA   # α(e^z − 1)' = αe^z = a + α
    if code == SOFTPLUS:
        return sigmoid(v)                  # softplus' = σ
    s = sigmoid(v)                         # swish' = σ(z)(1 + z(1 − σ(z)))
    return s * (1.0 + v * (1.0 - s))


@cuda.jit(device=True)
def softmax_row(z, a, i, cols):
    # softmax(z)_j = e^(z_j − max z) / Σ_k e^(z_k − max z), over the row's first `cols` entries
    m = z[i, 0]
    for j in range(1, cols):
        m = larger(m, z[i, j])
    s = 0.0
    for j in range(cols):
        e = math.exp(z[i, j] - m)
        a[i, j] = e
        s += e
    for j in range(cols):
        a[i, j] = a[i, j] / s


@cuda.jit(device=True)
def softmax_row_backprop(a, grad, delta, i, cols):
    # δ_j = a_j (g_j − Σ_k g_k a_k); grad and delta may be the same array
    s = 0.0
    for k in range(cols):
        s += grad[i, k] * a[i, k]
    for j in range(cols):
        delta[i, j] = a[i, j] * (grad[i, j] - s)


@cuda.jit(device=True)
def clamped_log(p):
    """log p, floored at −100 as PyTorch does; NaN stays NaN so divergence is still seen."""
    if p > 0.0:
        return larger(math.log(p), LOG_FLOOR)
    if p != p:
        return p
    return LOG_FLOOR


@cuda.jit(device=True)
def row_loss(loss, act, z, a, y, i, cols):
    """Σ over row i's `cols` outputs of the loss terms (the caller divides by rows, or rows × outputs)."""
    total = 0.0
    if loss == CCE:
        if act == SOFTMAX:
            # −Σ_j y_j log softmax(z)_j, with log softmax = z_j − logsumexp(z)
            m = z[i, 0]
            for j in range(1, cols):
                m = larger(m, z[i, j])
            s = 0.0
            for j in range(cols):
                s += math.exp(z[i, j] - m)
            lse = m + math.log(s)
            for j in range(cols):
                total -= y[i, j] * (z[i, j] - lse)
        else:
            for j in range(cols):
                total -= y[i, j] * clamped_log(a[i, j])
        return total
    for j in range(cols):
        d = a[i, j] - y[i, j]
        if loss == MSE:
            total += d * d
        elif loss == MAE:
            total += abs(d)
        elif loss == HUBER:
            # ½d² inside |d| ≤ δ, δ(|d| − ½δ) outside
            total += 0.5 * d * d if abs(d) <= HUBER_DELTA else HUBER_DELTA * (abs(d) - 0.5 * HUBER_DELTA)
        elif act == SIGMOID:
            # BCE with logits: max(z,0) − z·y + log(1 + e^−|z|)
            v = z[i, j]
            total += larger(v, 0.0) - v * y[i, j] + math.log1p(math.exp(-abs(v)))
        else:
            # −[y log a + (1 − y) log(1 − a)], logs clamped at −100
            total -= y[i, j] * clamped_log(a[i, j]) + (1.0 - y[i, j]) * clamped_log(1.0 - a[i, j])
    return total


@cuda.jit(device=True)
def row_delta(loss, act, z, a, y, i, cols, n, delta):
    """Row i of δ = ∂L/∂z of the output layer (`cols` outputs), for a mean over n (rows, or
    rows × outputs)."""
    if loss == CCE and act == SOFTMAX:
        # ∂/∂z_j of −Σ y log softmax(z) = a_j Σ_k y_k − y_j  (a_j − y_j for one-hot rows)
        ysum = 0.0
        for j in range(cols):
            ysum += y[i, j]
        for j in range(cols):
            delta[i, j] = (a[i, j] * ysum - y[i, j]) / n
        return
    if loss == BCE and act == SIGMOID:
        for j in range(cols):
            delta[i, j] = (a[i, j] - y[i, j]) / n   # ∂/∂z of BCE-with-logits = σ(z) − y
        return
    for j in range(cols):
        d = a[i, j] - y[i, j]
        if loss == MSE:
            g = 2.0 * d                                        # ∂(a − y)²/∂a
        elif loss == MAE:
            g = 1.0 if d > 0 else (-1.0 if d < 0 else 0.0)     # sign(a − y)
        elif loss == HUBER:
            g = -HUBER_DELTA if d < -HUBER_DELTA else (HUBER_DELTA if d > HUBER_DELTA else d)  # d clipped to ±δ
        elif loss == BCE:
            p = a[i, j]
            g = (p - y[i, j]) / larger(p * (1.0 - p), BCE_GRAD_EPS)
        else:
            g = -y[i, j] / a[i, j] if y[i, j] != 0.0 else 0.0  # ∂(−y log a)/∂a
        delta[i, j] = g / n                    # ∂L/∂a for now; the activation's slope follows
    if act == SOFTMAX:
        softmax_row_backprop(a, delta, delta, i, cols)
        return
    for j in range(cols):
        delta[i, j] = delta[i, j] * activation_slope(act, z[i, j], a[i, j])
