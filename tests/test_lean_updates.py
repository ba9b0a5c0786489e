"""The lean updates (kernels/optimizers.py): with nothing frozen, SGD and Adam skip the per-entry
select and move every parameter and state entry exactly as the general loop does, bit for bit,
signed zeros included; SGD computes in the parameters' dtype, as torch.optim.SGD does."""
import numpy as np
import pytest

from nnterm.kernels.optimizers import adam_step, all_kept, sgd_step


def case(dtype, n=1000, seed=0):
    rng = np.random.default_rng(seed)
    params = rng.standard_normal(n).astype(dtype)
    grads = rng.standard_normal(n).astype(dtype)
    grads[:8] = (0.0, -0.0, 1e-30, -1e-30, 0.0, -0.0, 0.0, -0.0)    # signed zeros and tiny values too,
    params[4:8] = (0.0, 0.0, -0.0, -0.0)                                 # each zero against each
    velocity = rng.standard_normal(n).astype(dtype)
    return params, grads, velocity


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mu, nesterov", [(0.0, False), (0.9, False), (0.9, True)])
@pytest.mark.parametrize("wd", [0.0, 0.01])
def test_the_lean_loop_is_the_general_one_bit_for_bit(dtype, mu, nesterov, wd):
    params, grads, velocity = case(dtype)
    mask = np.ones(params.shape[0], np.uint8)
    lean_p, lean_v = params.copy(), velocity.copy()
    general_p, general_v = params.copy(), velocity.copy()
    for _ in range(3):                                    # the velocity carries over between steps
        sgd_step(lean_p, grads, mask, lean_v, 0.03, wd, mu, nesterov, True)
        sgd_step(general_p, grads, mask, general_v, 0.03, wd, mu, nesterov, False)
    np.testing.assert_array_equal(lean_p.view(np.uint8), general_p.view(np.uint8))   # the zeros' signs too
    np.testing.assert_array_equal(lean_v.view(np.uint8), general_v.view(np.uint8))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("wd", [0.0, 0.01])
def test_the_lean_adam_loop_is_the_general_one_bit_for_bit(dtype, wd):
    params, grads, velocity = case(dtype)
    mask = np.ones(params.shape[0], np.uint8)
    lean = [params.copy(), velocity.copy(), np.abs(velocity)]
    general = [params.copy(), velocity.copy(), np.abs(velocity)]
    for t in (1, 2, 3):
        adam_step(lean[0], grads, mask, lean[1], lean[2], 0.001, wd, 1e-8, 0.9, 0.999, t, True)
        adam_step(general[0], grads, mask, general[1], general[2], 0.001, wd, 1e-8, 0.9, 0.999, t, False)
    for a, b in zip(lean, general):
        np.testing.assert_array_equal(a.view(np.uint8), b.view(np.uint8))


def first_settled_step(dtype, beta2=0.999):
    """The first step t at which √(1 − β2^t), worked out in float64 and rounded to the dtype, is 1."""
    t = 1
    while dtype(np.sqrt(1.0 - beta2 ** t)) != 1.0:
        t += 1
    return t


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_lean_adam_loop_drops_the_division_by_a_settled_bias_correction_bit_for_bit(dtype):
    """Once β2^t is below half an ulp of 1, √(1 − β2^t) rounds to 1 and the lean loop skips dividing
    by it: each step the same bits as the general loop, which still divides, across the boundary."""
    settled = first_settled_step(dtype)
    assert settled > 16_000                     # late in a long training, never within a few epochs
    params, grads, velocity = case(dtype)
    mask = np.ones(params.shape[0], np.uint8)
    lean = [params.copy(), velocity.copy(), np.abs(velocity)]
    general = [params.copy(), velocity.copy(), np.abs(velocity)]
    for t in (settled - 1, settled, settled + 1, 10 * settled):
        adam_step(lean[0], grads, mask, lean[1], lean[2], 0.001, 0.01, 1e-8, 0.9, 0.999, t, True)
        adam_step(general[0], grads, mask, general[1], general[2], 0.001, 0.01, 1e-8, 0.9, 0.999, t, False)
        for a, b in zip(lean, general):
            np.testing.assert_array_equal(a.view(np.uint8), b.view(np.uint8))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sgd_computes_in_the_parameters_dtype(dtype):
    """θ ← θ − lr·g with lr rounded to θ's dtype once, as torch.optim.SGD does for float32 tensors."""
    params, grads, velocity = case(dtype)
    mask = np.ones(params.shape[0], np.uint8)
    want = params - dtype(0.03) * grads
    sgd_step(params, grads, mask, velocity, 0.03, 0.0, 0.0, False, True)
    np.testing.assert_array_equal(params, want)


def test_a_frozen_parameter_takes_the_general_loop_and_the_decay_is_in_the_dtype_too():
    params, grads, velocity = case(np.float32)
    mask = np.ones(params.shape[0], np.uint8)
    mask[7] = 0
    assert not all_kept(mask) and all_kept(np.ones(5, np.uint8)) and all_kept(np.ones(0, np.uint8))
    before = params.copy()
    sgd_step(params, grads, mask, velocity, 0.03, 0.0, 0.0, False, all_kept(mask))
    assert params[7] == before[7] and params[8] != before[8]
    decayed = before.copy()
    kept = np.ones_like(mask)
    sgd_step(decayed, grads, kept, velocity.copy(), 0.03, 0.1, 0.0, False, True)
    np.testing.assert_array_equal(decayed, before - np.float32(0.03) * (grads + np.float32(0.1) * before))
