"""The lean SGD update (kernels/optimizers.py): with nothing frozen and no decay it skips the
per-entry select and the decay term, and moves every parameter and velocity exactly as the
general loop does, bit for bit; both compute in the parameters' dtype, as torch.optim.SGD does."""
import numpy as np
import pytest

from nnterm.kernels.optimizers import all_kept, sgd_step


def case(dtype, n=1000, seed=0):
    rng = np.random.default_rng(seed)
    params = rng.standard_normal(n).astype(dtype)
    grads = rng.standard_normal(n).astype(dtype)
    grads[:4] = (0.0, -0.0, 1e-30, -1e-30)                # signed zeros and tiny values too
    params[4:6] = (0.0, -0.0)
    velocity = rng.standard_normal(n).astype(dtype)
    return params, grads, velocity


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mu, nesterov", [(0.0, False), (0.9, False), (0.9, True)])
def test_the_lean_loop_is_the_general_one_bit_for_bit(dtype, mu, nesterov):
    params, grads, velocity = case(dtype)
    mask = np.ones(params.shape[0], np.uint8)
    lean_p, lean_v = params.copy(), velocity.copy()
    general_p, general_v = params.copy(), velocity.copy()
    for _ in range(3):                                    # the velocity carries over between steps
        sgd_step(lean_p, grads, mask, lean_v, 0.03, 0.0, mu, nesterov, True)
        sgd_step(general_p, grads, mask, general_v, 0.03, 0.0, mu, nesterov, False)
    np.testing.assert_array_equal(lean_p.view(np.uint8), general_p.view(np.uint8))   # the zeros' signs too
    np.testing.assert_array_equal(lean_v.view(np.uint8), general_v.view(np.uint8))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sgd_computes_in_the_parameters_dtype(dtype):
    """θ ← θ − lr·g with lr rounded to θ's dtype once, as torch.optim.SGD does for float32 tensors."""
    params, grads, velocity = case(dtype)
    mask = np.ones(params.shape[0], np.uint8)
    want = params - dtype(0.03) * grads
    sgd_step(params, grads, mask, velocity, 0.03, 0.0, 0.0, False, True)
    np.testing.assert_array_equal(params, want)


def test_a_frozen_parameter_or_a_decay_takes_the_general_loop():
    params, grads, velocity = case(np.float32)
    mask = np.ones(params.shape[0], np.uint8)
    mask[7] = 0
    assert not all_kept(mask) and all_kept(np.ones(5, np.uint8)) and all_kept(np.ones(0, np.uint8))
    before = params.copy()
    sgd_step(params, grads, mask, velocity, 0.03, 0.0, 0.0, False, all_kept(mask))
    assert params[7] == before[7] and params[8] != before[8]
    decayed, lean = before.copy(), before.copy()
    kept = np.ones_like(mask)
    sgd_step(decayed, grads, kept, velocity.copy(), 0.03, 0.1, 0.0, False, True)    # λ ≠ 0: not lean
    sgd_step(lean, grads, kept, velocity.copy(), 0.03, 0.0, 0.0, False, True)
    np.testing.assert_array_equal(decayed, before - np.float32(0.03) * (grads + np.float32(0.1) * before))
    assert not np.array_equal(decayed, lean)
