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
