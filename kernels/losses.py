"""Losses with mean reduction, as PyTorch's `reduction="mean"`.

`mse`, `mae`, `huber` and `bce` average over every element (batch × outputs); `cce` averages
over the batch. Each `*_delta` function writes δ = ∂L/∂z for the output layer, so the backward
pass starts from the pre-activation: `sigmoid+bce` and `softmax+cce` use the fused, stable form
(δ = a − y, scaled), every other pairing chains ∂L/∂a through the activation's derivative.
"""
import math

from .activations import activate, backprop_activation, exp_in_dtype_of, normalise_row, row_max, shifted_exps
from .codes import BCE, CCE, HUBER, HUBER_DELTA, MAE, MSE, SIGMOID, SOFTMAX
from .jit import glue, inlined, kernel

LOG_FLOOR = -100.0   # PyTorch's BCELoss clamps log(·) at −100
BCE_GRAD_EPS = 1e-12  # PyTorch's BCELoss backward divides by max(a(1 − a), 1e-12)


@kernel
def clamped_log(p):
    """log p, floored at −100 as PyTorch does; NaN stays NaN so divergence is still seen."""
    if p > 0.0:
        return max(math.log(p), LOG_FLOOR)
    if p != p:
        return p
    return LOG_FLOOR


# --- the mean loss of one batch, one kernel per loss (float64 accumulator whatever the dtype) ---
# Each is a kernel of its own, so that the stepped twins (nnterm/warmup/twins.py) compile only the
# network's loss; the fused kernels name their loss as a constant and prune the other calls.
@kernel
def mse_loss(act, z, a, y):
    rows, cols = a.shape
    total = 0.0
    for i in range(rows):
        for j in range(cols):
            d = a[i, j] - y[i, j]
            total += d * d
    return total / (rows * cols)


@kernel
def mae_loss(act, z, a, y):
    rows, cols = a.shape
    total = 0.0
    for i in range(rows):
        for j in range(cols):
            d = a[i, j] - y[i, j]
            total += abs(d)
    return total / (rows * cols)


@kernel
def huber_loss(act, z, a, y):
    rows, cols = a.shape
    total = 0.0
    for i in range(rows):
        for j in range(cols):
            d = a[i, j] - y[i, j]
            # ½d² inside |d| ≤ δ, δ(|d| − ½δ) outside
            total += 0.5 * d * d if abs(d) <= HUBER_DELTA else HUBER_DELTA * (abs(d) - 0.5 * HUBER_DELTA)
    return total / (rows * cols)


@kernel
def bce_loss(act, z, a, y):
    rows, cols = a.shape
    total = 0.0
    for i in range(rows):
        for j in range(cols):
            if act == SIGMOID:
                # BCE with logits: max(z,0) − z·y + log(1 + e^−|z|)
                v = z[i, j]
                total += max(v, 0.0) - v * y[i, j] + math.log1p(math.exp(-abs(v)))
            else:
                # −[y log a + (1 − y) log(1 − a)], logs clamped at −100
                total -= y[i, j] * clamped_log(a[i, j]) + (1.0 - y[i, j]) * clamped_log(1.0 - a[i, j])
    return total / (rows * cols)


@kernel
def cce_loss(act, z, a, y):
    rows, cols = a.shape
    total = 0.0
    for i in range(rows):
        if act == SOFTMAX:
            m = row_max(z, i)
            s = 0.0
            for j in range(cols):
                s += exp_in_dtype_of(a, z[i, j] - m)
            total = cce_from_logits(z, y, i, m + math.log(s), total)
        else:
            for j in range(cols):
                total -= y[i, j] * clamped_log(a[i, j])
    return total / rows


@inlined
def cce_from_logits(z, y, i, lse, total):
    """total − Σ_j y_j log softmax(z)_j over row i, with log softmax = z_j − logsumexp(z) = z_j − lse,
    subtracted term by term from the running total."""
    for j in range(z.shape[1]):
        total -= y[i, j] * (z[i, j] - lse)
    return total


@kernel
def softmax_cce_loss(z, a, y):
    """a = softmax(z) and the batch's mean CCE from one pass of exponentials: the same numbers, bit
    for bit, as activate_softmax then cce_loss, which takes every e^(z − m) a second time for the
    log-sum-exp (32 rows × 10 classes: 3.0 µs → 1.7 µs, most of it libm's expf)."""
    shifted_exps(z, a)
    total = 0.0
    for i in range(z.shape[0]):
        s = normalise_row(a, i)
        total = cce_from_logits(z, y, i, row_max(z, i) + math.log(s), total)
    return total / z.shape[0]


@glue
def activate_with_loss(loss, act, z, a, y):
    """The output layer's a = f(z), then the batch's mean loss: softmax with CCE in one kernel
    (softmax_cce_loss), any other pairing as activate then loss_value."""
    if loss == CCE and act == SOFTMAX:
        return softmax_cce_loss(z, a, y)
    activate(act, z, a)
    return loss_value(loss, act, z, a, y)


@glue
def loss_value(loss, act, z, a, y):
    """Mean loss of one batch, by the loss's kernel."""
    if loss == CCE:
        return cce_loss(act, z, a, y)
    if loss == BCE:
        return bce_loss(act, z, a, y)
    if loss == HUBER:
        return huber_loss(act, z, a, y)
    if loss == MAE:
        return mae_loss(act, z, a, y)
    return mse_loss(act, z, a, y)


# --- δ = ∂L/∂z of the output layer ------------------------------------------------------------
@kernel
def softmax_cce_delta(a, y, delta):
    """∂/∂z_j of −Σ y log softmax(z) = a_j Σ_k y_k − y_j  (a_j − y_j for one-hot rows)"""
    rows, cols = a.shape
    for i in range(rows):
        ysum = 0.0
        for j in range(cols):
            ysum += y[i, j]
        for j in range(cols):
            delta[i, j] = (a[i, j] * ysum - y[i, j]) / rows


@kernel
def sigmoid_bce_delta(a, y, delta):
    """∂/∂z of BCE-with-logits = σ(z) − y"""
    rows, cols = a.shape
    n = rows * cols
    for i in range(rows):
        for j in range(cols):
            delta[i, j] = (a[i, j] - y[i, j]) / n


# ∂L/∂a for the other pairings, one kernel per loss, each divided by the mean's count n; the
# activation's derivative then turns it into δ.
@kernel
def mse_grad(a, y, grad_a):
    rows, cols = a.shape
    n = rows * cols
    for i in range(rows):
        for j in range(cols):
            d = a[i, j] - y[i, j]
            g = 2.0 * d                                        # ∂(a − y)²/∂a
            grad_a[i, j] = g / n


@kernel
def mae_grad(a, y, grad_a):
    rows, cols = a.shape
    n = rows * cols
    for i in range(rows):
        for j in range(cols):
            d = a[i, j] - y[i, j]
            g = 1.0 if d > 0 else (-1.0 if d < 0 else 0.0)     # sign(a − y)
            grad_a[i, j] = g / n


@kernel
def huber_grad(a, y, grad_a):
    rows, cols = a.shape
    n = rows * cols
    for i in range(rows):
        for j in range(cols):
            d = a[i, j] - y[i, j]
            g = min(max(d, -HUBER_DELTA), HUBER_DELTA)         # d clipped to ±δ
            grad_a[i, j] = g / n


@kernel
def bce_grad(a, y, grad_a):
    rows, cols = a.shape
    n = rows * cols
    for i in range(rows):
        for j in range(cols):
            p = a[i, j]
            g = (p - y[i, j]) / max(p * (1.0 - p), BCE_GRAD_EPS)
            grad_a[i, j] = g / n


@kernel
def cce_grad(a, y, grad_a):
    rows, cols = a.shape
    n = rows
    for i in range(rows):
        for j in range(cols):
            g = -y[i, j] / a[i, j] if y[i, j] != 0.0 else 0.0  # ∂(−y log a)/∂a
            grad_a[i, j] = g / n


@glue
def output_delta(loss, act, z, a, y, grad_a, delta):
    """δ = ∂L/∂z of the output layer; `grad_a` is scratch of the same shape."""
    if loss == CCE and act == SOFTMAX:
        softmax_cce_delta(a, y, delta)
        return
    if loss == BCE and act == SIGMOID:
        sigmoid_bce_delta(a, y, delta)
        return
    if loss == CCE:
        cce_grad(a, y, grad_a)
    elif loss == BCE:
        bce_grad(a, y, grad_a)
    elif loss == HUBER:
        huber_grad(a, y, grad_a)
    elif loss == MAE:
        mae_grad(a, y, grad_a)
    else:
        mse_grad(a, y, grad_a)
    backprop_activation(act, z, a, grad_a, delta)
