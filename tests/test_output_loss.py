"""The output layer's activation and loss in one call (losses.activate_with_loss): softmax with CCE
takes its exponentials once, and must give the same bits as softmax then the loss, as the
training and evaluation loops did before; every other pairing is activate then loss_value."""
import numpy as np
import pytest

from nnterm.kernels.activations import activate
from nnterm.kernels.codes import ACTIVATIONS, LOSSES
from nnterm.kernels.losses import activate_with_loss, loss_value

CCE, SOFTMAX = LOSSES.index("cce"), ACTIVATIONS.index("softmax")


def batch(rows, cols, dtype, seed, one_hot=True):
    rng = np.random.default_rng(seed)
    z = (rng.standard_normal((rows, cols)) * 8).astype(dtype)
    z[0, :] = z[0, 0]                                     # a row of ties
    if one_hot:
        y = np.eye(cols, dtype=dtype)[rng.integers(0, cols, rows)]
    else:                                                 # soft targets, as label smoothing gives
        y = rng.random((rows, cols)).astype(dtype)
        y /= y.sum(axis=1, keepdims=True)
    return z, y


def separately(loss, act, z, y):
    a = np.empty_like(z)
    activate(np.int64(act), z, a)
    return loss_value(np.int64(loss), np.int64(act), z, a, y), a


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("rows, cols, one_hot", [(1, 2, True), (32, 10, True), (7, 3, False), (64, 10, False)])
def test_softmax_with_cce_in_one_call_is_the_two_calls_bit_for_bit(dtype, rows, cols, one_hot):
    z, y = batch(rows, cols, dtype, seed=rows + cols, one_hot=one_hot)
    want, want_a = separately(CCE, SOFTMAX, z, y)
    a = np.full_like(z, np.nan)
    got = activate_with_loss(np.int64(CCE), np.int64(SOFTMAX), z, a, y)
    assert np.float64(got).tobytes() == np.float64(want).tobytes()
    np.testing.assert_array_equal(a.view(np.uint8), want_a.view(np.uint8))


@pytest.mark.parametrize("loss, act", [("bce", "sigmoid"), ("mse", "linear"), ("cce", "sigmoid"), ("huber", "tanh")])
def test_every_other_pairing_is_activate_then_loss_value(loss, act):
    z, y = batch(16, 1 if loss == "bce" else 4, np.float32, seed=3)
    if loss == "bce":                                     # 0/1 targets for the one sigmoid output
        y = np.random.default_rng(4).integers(0, 2, (16, 1)).astype(np.float32)
    want, want_a = separately(LOSSES.index(loss), ACTIVATIONS.index(act), z, y)
    a = np.empty_like(z)
    got = activate_with_loss(np.int64(LOSSES.index(loss)), np.int64(ACTIVATIONS.index(act)), z, a, y)
    assert got == want
    np.testing.assert_array_equal(a, want_a)
