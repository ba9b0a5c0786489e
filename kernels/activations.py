"""Activations, applied in place over a (batch, units) block.

Each function reads the pre-activation `z` and writes `a`; the derivative uses whichever of
`z` or `a` gives the cheaper, more stable formula.
"""
import math

import numpy as np

from .codes import ELU, ELU_ALPHA, LEAKY_RELU, LEAKY_SLOPE, RELU, SIGMOID, SOFTMAX, SOFTPLUS, SWISH, TANH
from . import stepped
from .bits import float32_bits, float32_from_bits
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


@inlined
def tanh_f32(x):
    """tanh of a float32 in plain arithmetic, so LLVM vectorizes the loops that call it.

    Inlined by Numba, so that the loop around it is vectorized whole: compiled on its own, the
    SLP vectorizer (kernels/jit.py) packs its two polynomials into one two-lane vector, and the
    loop calling that no longer vectorized (64×128 rows: 2.9 µs became 19.6 µs).

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


# Cephes' expf: e^x = 2ⁿ·e^r with n = ⌊x·log₂e + ½⌋ and r = x − n·ln 2 (ln 2 in two parts, so that
# n·ln 2 is exact enough), |r| ≤ ½ln 2, e^r ≈ 1 + r + r²·P(r) with P of degree 5.
EXP_F32_LOG2E = 1.44269504088896341
EXP_F32_LN2 = (0.693359375, -2.12194440e-4)            # the high part has few bits: n·ln2_hi is exact
EXP_F32_P = (1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1,
             5.0000001201e-1)
EXP_F32_MIN = -87.3365478515625    # ≈ ln 2⁻¹²⁶, float32's smallest normal: below it, 0
EXP_F32_MAX = 88.72283935546875    # ≈ ln FLT_MAX: above it, inf


@kernel
def exp_f32(x):
    """e^x of a float32 in plain arithmetic, so LLVM vectorizes the loops that call it (softmax).

    libm's expf is one opaque call per element: on the digits workload (32 rows × 10 classes a
    step) its calls were a tenth of the step. Error: at most 1 ulp against float64's e^x rounded
    (tests/test_activations.py checks every float32 exponent range), where expf is correctly
    rounded. Below ln 2⁻¹²⁶ it gives 0 where expf gives a subnormal (< 1.2e-38); NaN stays NaN.
    """
    lo, hi = np.float32(EXP_F32_MIN), np.float32(EXP_F32_MAX)
    c = lo if x < lo else x                 # NaN compares false both times and stays NaN
    c = hi if c > hi else c
    n = np.floor(c * np.float32(EXP_F32_LOG2E) + np.float32(0.5))
    r = c - n * np.float32(EXP_F32_LN2[0])
    r = r - n * np.float32(EXP_F32_LN2[1])
    p = np.float32(EXP_F32_P[0])
    for k in range(1, 6):
        p = p * r + np.float32(EXP_F32_P[k])
    e = p * (r * r) + r + np.float32(1.0)
    # 2ⁿ: n + 127 in the exponent field. n is a whole float32 in [−126, 128]; 2¹²⁸ has no exponent
    # field, so n = 128 is 2·2¹²⁷ (the doubling is exact). Adding 1.5·2²³ puts n in the low mantissa
    # bits, read without a float→int conversion (undefined for NaN).
    top = np.float32(127.0)
    e = e * np.float32(2.0) if n > top else e
    n = top if n > top else n
    magic = np.float32(12582912.0)
    whole = float32_bits(n + magic) - float32_bits(magic)
    scale = float32_from_bits(((whole + 127) & 0xFF) << 23)
    e = e * scale
    e = np.float32(0.0) if x < lo else e
    return np.float32(np.inf) if x > hi else e


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
    shifted_exps(z, a)
    for i in range(z.shape[0]):
        normalise_row(a, i)


@inlined
def exp_in_dtype_of(a, v):
    """e^v as the entries of array `a` are taken: exp_f32 for float32, math.exp for float64."""
    if a.itemsize == 4:
        return exp_f32(v)
    return math.exp(v)


@inlined
def row_max(z, i):
    m = z[i, 0]
    for j in range(1, z.shape[1]):
        m = max(m, z[i, j])
    return m


@inlined
def shifted_exps(z, a):
    """a_ij = e^(z_ij − m_i) with m_i = max_j z_ij: softmax's numerators, each ≤ 1.

    The exponentials run as one loop over the whole block, which LLVM vectorizes for float32
    (exp_f32): a row alone is a few classes, too short a loop for that, and one libm expf call
    an entry was a tenth of the digits workload's step."""
    rows, cols = z.shape
    for i in range(rows):
        m = row_max(z, i)
        for j in range(cols):
            a[i, j] = z[i, j] - m
    flat = a.reshape(rows * cols)
    for k in range(rows * cols):
        flat[k] = exp_in_dtype_of(flat, flat[k])


@inlined
def normalise_row(a, i):
    """a's row i divided by its sum s (a float64 sum, in column order), which it returns: with the
    numerators of shifted_exps, log-sum-exp is m_i + log s (losses.softmax_cce_loss)."""
    cols = a.shape[1]
    s = 0.0
    for j in range(cols):
        s += a[i, j]
    for j in range(cols):
        a[i, j] = a[i, j] / s
    return s


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
