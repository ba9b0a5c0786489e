"""Activations as the kernels compute them, against their formulas in float64."""
import math

import numpy as np
import pytest

from nnterm.kernels.activations import activation_array
from nnterm.kernels.codes import ACTIVATIONS

TANH = ACTIVATIONS.index("tanh")


def every_scale(dtype) -> np.ndarray:
    """Both signs, from subnormal-adjacent magnitudes through saturation, plus a dense middle."""
    tiny = np.geomspace(1e-30, 30.0, 200_001)
    return np.concatenate([-tiny, [0.0], tiny, np.linspace(-10.0, 10.0, 400_001)]).astype(dtype)


def ulps(got: np.ndarray, exact: np.ndarray, dtype) -> np.ndarray:
    spacing = np.spacing(np.abs(exact).astype(dtype)).astype(np.float64)
    return np.abs(got.astype(np.float64) - exact) / spacing


def test_float32_tanh_is_within_7_ulp_everywhere_and_never_leaves_minus_one_to_one():
    z = every_scale(np.float32)
    got = activation_array(TANH, z)
    assert got.dtype == np.float32
    exact = np.tanh(z.astype(np.float64))
    assert ulps(got, exact, np.float32).max() <= 7.0                  # 6.6, near ±5.8
    assert np.abs(got - exact).max() <= 5e-7
    assert np.abs(got).max() <= 1.0
    assert got[z > 0].min() >= 0.0 and got[z < 0].max() <= 0.0      # odd, as tanh is


def test_float32_tanh_is_odd_exactly():
    z = every_scale(np.float32)
    assert np.array_equal(activation_array(TANH, -z), -activation_array(TANH, z))


def test_float64_tanh_is_libm_tanh():
    z = every_scale(np.float64)[::97]
    assert np.array_equal(activation_array(TANH, z), np.array([math.tanh(v) for v in z]))


@pytest.mark.parametrize("name", [n for n in ACTIVATIONS if n != "softmax"])
def test_each_activation_matches_its_formula(name):
    z = np.linspace(-6.0, 6.0, 1201)
    sigmoid = 1.0 / (1.0 + np.exp(-z))
    formula = {"linear": z, "sigmoid": sigmoid, "tanh": np.tanh(z), "relu": np.maximum(z, 0.0),
               "leaky_relu": np.where(z > 0, z, 0.01 * z), "elu": np.where(z > 0, z, np.expm1(z)),
               "softplus": np.log1p(np.exp(z)), "swish": z * sigmoid}[name]
    np.testing.assert_allclose(activation_array(ACTIVATIONS.index(name), z), formula, rtol=1e-12, atol=1e-15)


SOFTMAX = ACTIVATIONS.index("softmax")


def exps_f32(x: np.ndarray) -> np.ndarray:
    """exp_f32 over x, compiled (the loop LLVM vectorizes, as softmax's is)."""
    from numba import njit
    from nnterm.kernels.activations import exp_f32

    @njit
    def each(x, out):
        for i in range(x.shape[0]):
            out[i] = exp_f32(x[i])
    out = np.empty_like(x)
    each(x, out)
    return out


def test_float32_exp_is_within_1_ulp_of_the_rounded_exponential_over_the_whole_normal_range():
    # Every float32 exponent range: 4M points over [−90, 90], the edges of overflow and of the normal range.
    x = np.concatenate([np.linspace(-90.0, 90.0, 4_000_001), np.linspace(88.0, 88.8, 100_001),
                        np.linspace(-87.5, -87.2, 100_001), every_scale(np.float64)[::50]]).astype(np.float32)
    got = exps_f32(x)
    with np.errstate(over="ignore"):
        exact = np.exp(x.astype(np.float64)).astype(np.float32)     # float64's e^x, rounded: correct here
    normal = np.isfinite(exact) & (exact >= np.finfo(np.float32).tiny)
    bits = np.abs(got.view(np.int32).astype(np.int64) - exact.view(np.int32).astype(np.int64))
    assert bits[normal].max() <= 1
    assert np.array_equal(np.isinf(got), np.isinf(exact))             # overflows exactly where e^x leaves float32
    below = ~normal & ~np.isinf(exact)                                # e^x under float32's smallest normal:
    assert np.all(np.abs(got[below] - exact[below]) < np.finfo(np.float32).tiny)   # 0 or near it, not a subnormal's bits
    assert np.all(got[x < -87.4] == 0.0)


def test_float32_exp_keeps_nan_and_the_infinities():
    got = exps_f32(np.array([np.nan, np.inf, -np.inf, 0.0, -0.0], np.float32))
    assert np.isnan(got[0]) and got[1] == np.inf and got[2] == 0.0 and got[3] == 1.0 and got[4] == 1.0


def test_float32_exp_as_python_gives_the_compiled_bits():
    # A kernel's Python twin runs this source over NumPy scalars: the same operations, so the same bits.
    from nnterm.kernels.activations import exp_f32
    x = np.linspace(-88.0, 88.0, 20_011).astype(np.float32)
    twin = np.array([exp_f32.py_func(v) for v in x], np.float32)
    assert np.array_equal(twin.view(np.int32), exps_f32(x).view(np.int32))


@pytest.mark.parametrize("dtype, tolerance", [(np.float32, 3e-7), (np.float64, 1e-15)])
def test_softmax_rows_are_the_formula_and_sum_to_one(dtype, tolerance):
    rng = np.random.default_rng(3)
    z = (rng.standard_normal((37, 10)) * 20.0).astype(dtype)
    z[0] = -200.0                             # every entry equal: 1/10 each
    z[1, 3] = 150.0                           # one class far above the rest: 1 there, 0 elsewhere
    got = activation_array(SOFTMAX, z)
    assert got.dtype == dtype
    wide = z.astype(np.float64)
    exact = np.exp(wide - wide.max(axis=1, keepdims=True))
    exact /= exact.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(got, exact, rtol=tolerance * 8, atol=tolerance)
    np.testing.assert_allclose(got.sum(axis=1, dtype=np.float64), 1.0, atol=tolerance * 10)
    assert np.all(got[0] == dtype(0.1)) and got[1, 3] == 1.0 and np.all(np.delete(got[1], 3) < 1e-30)
