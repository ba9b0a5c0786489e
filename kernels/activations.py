"""Activations, applied in place over a (batch, units) block.

Each function reads the pre-activation `z` and writes `a`; the derivative uses whichever of
`z` or `a` gives the cheaper, more stable formula.
"""
import math

import numpy as np

from .codes import ELU, ELU_ALPHA, LEAKY_RELU, LEAKY_SLOPE, RELU, SIGMOID, SOFTMAX, SOFTPLUS, SWISH, TANH
from . import stepped
from .jit import glue, inlined, kernel


@kernel
def sigmoid(z):
    # σ(z) = 1 / (1 + e^-z) for z ≥ 0 and e^z / (1 + e^z) below, so that e^-|z| never
    # overflows; the numerator is a select, not a branch (see activate).
    e = math.exp(-abs(z))
    return (1.0 if z >= 0 else e) / (1.0 + e)


@kernel
def softplus(z):
    # softplus(z) = log(1 + e^z) = max(z, 0) + log1p(e^-|z|)
    return max(z, 0.0) + math.log1p(math.exp(-abs(z)))


# Eigen's generic_fast_tanh_float: tanh(x) ≈ x·P(x²)/Q(x²) on [−c, c], where float32 tanh is
# already ±1 beyond c. P has degree 6 in x² (odd numerator, degree 13), Q degree 3.
TANH_F32_CLAMP = 7.90531110763549805
TANH_F32_P = (4.89352455891786e-03, 6.37261928875436e-04, 1.48572235717979e-05, 5.12229709037114e-08,
              -8.60467152213735e-11, 2.00018790482477e-13, -2.76076847742355e-16)
TANH_F32_Q = (4.89352518554385e-03, 2.26843463243900e-03, 1.18534705686654e-04, 1.19825839466702e-06)


@kernel
def tanh_f32(x):
    """tanh of a float32 in plain arithmetic, so LLVM vectorizes the loops that call it.

    libm's tanhf is one opaque call per element (8.9 ns here); this is 2.3 ns, and tanh was a
    quarter of the playground workload's epoch. Error: at most 6.6 ulp (4e-7) over float32
    (tests/test_activations.py measures it against float64 tanh; tanhf's own is 2 ulp), well
    inside float32 training's noise. float64 networks keep math.tanh.
    """
    c = np.float32(TANH_F32_CLAMP)
    x = min(max(x, -c), c)
    x2 = x * x
    p = np.float32(TANH_F32_P[6])
    p = x2 * p + np.float32(TANH_F32_P[5])
    p = x2 * p + np.float32(TANH_F32_P[4])
    p = x2 * p + np.float32(TANH_F32_P[3])
    p = x2 * p + np.float32(TANH_F32_P[2])
    p = x2 * p + np.float32(TANH_F32_P[1])
    p = x2 * p + np.float32(TANH_F32_P[0])
    q = np.float32(TANH_F32_Q[3])
    q = x2 * q + np.float32(TANH_F32_Q[2])
    q = x2 * q + np.float32(TANH_F32_Q[1])
    q = x2 * q + np.float32(TANH_F32_Q[0])
    return x * p / q


# --- a = f(z), one kernel per activation -----------------------------------------------------
# One loop per activation, and no branch on the data inside: relu's `v if v > 0 else 0` is then a
# select that LLVM vectorizes. As one generic loop with a branch per element, fresh data
# mispredicted relu's sign about half the time: digits' forward + backward took 41 µs a step,
# 23 µs like this (the same batch over and over hid it). Each is a kernel of its own, so that
# the stepped twins (nnterm/warmup/twins.py) compile only the activations a network has.
@kernel
def activate_linear(z, a):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            a[i, j] = z[i, j]


@kernel
def activate_sigmoid(z, a):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            a[i, j] = sigmoid(z[i, j])


@kernel
def activate_tanh(z, a):
    rows, cols = z.shape
    if a.itemsize == 4:
        for i in range(rows):
            for j in range(cols):
                a[i, j] = tanh_f32(z[i, j])
        return
    for i in range(rows):
        for j in range(cols):
            a[i, j] = math.tanh(z[i, j])


@kernel
def activate_relu(z, a):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            a[i, j] = z[i, j] if z[i, j] > 0 else 0.0


@kernel
def activate_leaky_relu(z, a):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            a[i, j] = z[i, j] if z[i, j] > 0 else LEAKY_SLOPE * z[i, j]


@kernel
def activate_elu(z, a):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            a[i, j] = z[i, j] if z[i, j] > 0 else ELU_ALPHA * (math.exp(z[i, j]) - 1.0)


@kernel
def activate_softplus(z, a):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            a[i, j] = softplus(z[i, j])


@kernel
def activate_swish(z, a):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            a[i, j] = z[i, j] * sigmoid(z[i, j])    # swish(z) = z·σ(z), PyTorch's SiLU


@kernel
def activate_softmax(z, a):
    for i in range(z.shape[0]):
        softmax_row(z, a, i)


@inlined
def softmax_row(z, a, i):
    """softmax(z)_j = e^(z_j − m) / s over row i, with m = max z and s = Σ_k e^(z_k − m) (a float64
    sum), written into a's row. Returns (m, s): log-sum-exp is m + log s (losses.softmax_cce_loss)."""
    cols = z.shape[1]
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
    return m, s


@glue
def activate(code, z, a):
    """a = f(z) for every element (softmax: for every row), by the code's kernel."""
    if code == SOFTMAX:
        activate_softmax(z, a)
    elif code == TANH:
        activate_tanh(z, a)
    elif code == RELU:
        activate_relu(z, a)
    elif code == LEAKY_RELU:
        activate_leaky_relu(z, a)
    elif code == ELU:
        activate_elu(z, a)
    elif code == SIGMOID:
        activate_sigmoid(z, a)
    elif code == SOFTPLUS:
        activate_softplus(z, a)
    elif code == SWISH:
        activate_swish(z, a)
    else:
        activate_linear(z, a)


# --- δ = ∂L/∂a · f'(z), one kernel per activation ---------------------------------------------
@kernel
def backprop_linear(z, a, grad_a, delta):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            delta[i, j] = grad_a[i, j] * 1.0


@kernel
def backprop_sigmoid(z, a, grad_a, delta):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            delta[i, j] = grad_a[i, j] * (a[i, j] * (1.0 - a[i, j]))        # σ' = σ(1 − σ)


@kernel
def backprop_tanh(z, a, grad_a, delta):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            delta[i, j] = grad_a[i, j] * (1.0 - a[i, j] * a[i, j])            # tanh' = 1 − tanh²


@kernel
def backprop_relu(z, a, grad_a, delta):
    """δ = ∂L/∂a · (1 if z > 0 else 0), in δ's dtype: a product by exactly 1 or 0 rounds the same in
    float32 as in float64 (±0 and NaN included), and float32 packs twice the lanes."""
    one, zero = delta.dtype.type(1.0), delta.dtype.type(0.0)
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            delta[i, j] = grad_a[i, j] * (one if z[i, j] > 0 else zero)


@kernel
def backprop_leaky_relu(z, a, grad_a, delta):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            delta[i, j] = grad_a[i, j] * (1.0 if z[i, j] > 0 else LEAKY_SLOPE)


@kernel
def backprop_elu(z, a, grad_a, delta):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            # α(e^z − 1)' = αe^z = a + α
            delta[i, j] = grad_a[i, j] * (1.0 if z[i, j] > 0 else a[i, j] + ELU_ALPHA)


@kernel
def backprop_softplus(z, a, grad_a, delta):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            delta[i, j] = grad_a[i, j] * sigmoid(z[i, j])                    # softplus' = σ


@kernel
def backprop_swish(z, a, grad_a, delta):
    rows, cols = z.shape
    for i in range(rows):
        for j in range(cols):
            s = sigmoid(z[i, j])                     # swish' = σ(z)(1 + z(1 − σ(z)))
            delta[i, j] = grad_a[i, j] * (s * (1.0 + z[i, j] * (1.0 - s)))


@kernel
def backprop_softmax(z, a, grad_a, delta):
    rows, cols = z.shape
    for i in range(rows):
        # δ_j = a_j (g_j − Σ_k g_k a_k)
        s = 0.0
        for k in range(cols):
            s += grad_a[i, k] * a[i, k]
        for j in range(cols):
            delta[i, j] = a[i, j] * (grad_a[i, j] - s)


@glue
def backprop_activation(code, z, a, grad_a, delta):
    """δ = ∂L/∂z from ∂L/∂a: elementwise δ = ∂L/∂a · f'(z); softmax uses its Jacobian."""
    if code == SOFTMAX:
        backprop_softmax(z, a, grad_a, delta)
    elif code == TANH:
        backprop_tanh(z, a, grad_a, delta)
    elif code == RELU:
        backprop_relu(z, a, grad_a, delta)
    elif code == LEAKY_RELU:
        backprop_leaky_relu(z, a, grad_a, delta)
    elif code == ELU:
        backprop_elu(z, a, grad_a, delta)
    elif code == SIGMOID:
        backprop_sigmoid(z, a, grad_a, delta)
    elif code == SOFTPLUS:
        backprop_softplus(z, a, grad_a, delta)
    elif code == SWISH:
        backprop_swish(z, a, grad_a, delta)
    else:
        backprop_linear(z, a, grad_a, delta)


def activation_array(code: int, z: np.ndarray) -> np.ndarray:
    """Convenience for Python callers (neuron lab, plots): f(z) for any 2-D array."""
    z2 = np.ascontiguousarray(np.atleast_2d(z))
    a = np.empty_like(z2)
    stepped.run_small(activate, code, z2, a)            # small: its Python twin while not compiled
    return a.reshape(np.shape(z)) if np.ndim(z) != 2 else a
