"""The dense products' loop orders (kernels/dense.py: wide, narrow, blocked): each computes the same
sums in the same order, so they agree bit for bit with a reference written as that order's
arithmetic; and all are the true product within float32's sequential-summation bound.

The bound: a sum of n terms added one by one in precision u (2⁻²⁴ for float32) is off the exact
sum by at most about n·u·Σ|terms| (each addition rounds once, by at most u of the running
total), plus u per term for rounding each product. A loss history stays bit for bit only if
each order is exactly the reference, which is what the first tests check; the bound is the
honest statement of how far the product itself may be from the exact one, whichever order runs.
"""
import numpy as np
import pytest

from nnterm.kernels.dense import (BLAS_MIN_MACS, blocked_forward, forward_uses_blas, input_grads_use_blas, blocked_weight_gradient, dense_bias_grads,
                                  dense_forward, dense_input_grads, dense_weight_grads, forward_blocked,
                                  forward_narrow, input_grads_blocked, input_grads_narrow, input_grads_transposed,
                                  narrow, transpose_into, transposed_input_gradient, weight_grads_blocked,
                                  weight_grads_narrow)

# (rows, fan_in, fan_out): narrow shapes (an output layer, with a partial block of rows), and the
# others, which the wide or the blocked order runs (the playground's, and blocks with a remainder)
NARROW = [(64, 128, 1), (10, 128, 10), (13, 32, 3), (8, 7, 1), (1, 5, 1)]
WIDE = [(1, 128, 10), (10, 2, 128), (3, 4, 16), (10, 2, 8), (64, 8, 8),   # the last two: too few inputs
        (10, 8, 8), (2, 4, 256), (64, 4, 64), (3, 9, 21), (40, 11, 19), (9, 17, 12)]


def arrays(rows, fan_in, fan_out, dtype, seed=0):
    """Normal numbers, with a signed zero in each array where it has room (relu's zeros, a zero δ)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, fan_in)).astype(dtype)
    w = rng.standard_normal((fan_in, fan_out)).astype(dtype)
    b = rng.standard_normal(fan_out).astype(dtype)
    delta = rng.standard_normal((rows, fan_out)).astype(dtype)
    x.flat[-1], w.flat[0], delta.flat[0] = 0.0, -0.0, -0.0
    return x, w, b, delta


def forward_reference(x, w, b):
    """z_ij = b_j + x_i0·w_0j + x_i1·w_1j + …, added in k order in the weights' dtype."""
    z = np.tile(b, (x.shape[0], 1))
    for k in range(x.shape[1]):
        z = z + x[:, k:k + 1] * w[k]
    return z


def weight_grads_reference(x, delta):
    """dw_kj = Σ_i x_ik·δ_ij from 0, added in row order in the weights' dtype."""
    dw = np.zeros((x.shape[1], delta.shape[1]), x.dtype)
    for i in range(x.shape[0]):
        dw = dw + x[i][:, None] * delta[i][None, :]
    return dw


def input_grads_reference(delta, w):
    """gx_ik = Σ_j δ_ij·w_kj: each product in the weights' dtype, added in j order to a float64 sum."""
    sums = np.zeros((delta.shape[0], w.shape[0]))
    for j in range(delta.shape[1]):
        sums = sums + (delta[:, j:j + 1] * w[:, j]).astype(np.float64)
    return sums.astype(w.dtype)


def bias_grads_reference(delta):
    """db_j = Σ_i δ_ij from 0, added in row order in δ's dtype."""
    db = np.zeros(delta.shape[1], delta.dtype)
    for i in range(delta.shape[0]):
        db = db + delta[i]
    return db


def test_the_rule_picks_the_narrow_order_for_output_layers_only():
    assert all(narrow(rows, fan_in, fan_out) for rows, fan_in, fan_out in NARROW)
    assert not any(narrow(rows, fan_in, fan_out) for rows, fan_in, fan_out in WIDE)
    assert all(r * i * o < BLAS_MIN_MACS for r, i, o in NARROW + WIDE)   # the loops run, not BLAS


def test_the_rules_pick_the_blocked_order_for_the_playgrounds_hidden_layers_and_the_wide_one_for_long_short_rows():
    for shape in ((10, 2, 8), (10, 8, 8)):          # 2→8→8→1 at batch 10
        assert blocked_forward(*shape) and blocked_weight_gradient(*shape)
    assert transposed_input_gradient(10, 8, 8)
    assert not blocked_forward(2, 4, 256) and not blocked_weight_gradient(2, 4, 256)
    assert not transposed_input_gradient(2, 4, 256)     # four inputs a block, no transposed copy


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", NARROW + WIDE, ids=str)
def test_each_order_is_the_reference_bit_for_bit(shape, dtype):
    x, w, b, delta = arrays(*shape, dtype)
    want_z, want_dw, want_gx = forward_reference(x, w, b), weight_grads_reference(x, delta), input_grads_reference(delta, w)
    z, dw, db, gx = np.empty_like(want_z), np.empty_like(want_dw), np.empty_like(b), np.empty_like(x)
    dense_forward(x, w, b, z)
    dense_weight_grads(x, delta, dw, db)
    dense_input_grads(delta, w, gx)
    for got, want in ((z, want_z), (dw, want_dw), (db, bias_grads_reference(delta)), (gx, want_gx)):
        np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))     # signed zeros too
    forward_blocked(x, w, b, z)             # the blocked kernels, whatever the rules pick for the shape
    weight_grads_blocked(x, delta, dw)
    for got, want in ((z, want_z), (dw, want_dw)):
        np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))
    for input_grads in (input_grads_blocked, input_grads_transposed):
        input_grads(delta, w, gx)
        np.testing.assert_array_equal(gx.view(np.uint8), want_gx.view(np.uint8))
    dense_bias_grads(delta, db)
    np.testing.assert_array_equal(db.view(np.uint8), bias_grads_reference(delta).view(np.uint8))
    if narrow(*shape):                      # and the narrow kernels called directly
        forward_narrow(x, w, b, z)
        weight_grads_narrow(x, delta, dw)
        input_grads_narrow(delta, w, gx)
        for got, want in ((z, want_z), (dw, want_dw), (gx, want_gx)):
            np.testing.assert_array_equal(got.view(np.uint8), want.view(np.uint8))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_big_products_of_short_sums_run_in_the_loops_with_their_bits(dtype):
    """Past BLAS_MIN_MACS, a forward product over 2 inputs and an input gradient from 1 output unit
    still run as loops (BLAS is slower at sums that short), so they give the loops' bits."""
    assert not forward_uses_blas(64, 2, 512) and forward_uses_blas(64, 4, 512)
    assert not input_grads_use_blas(64, 512, 1) and input_grads_use_blas(64, 512, 2)
    x, w, b, _ = arrays(64, 2, 512, dtype)
    assert 64 * 2 * 512 >= BLAS_MIN_MACS
    z = np.empty((64, 512), dtype)
    dense_forward(x, w, b, z)
    np.testing.assert_array_equal(z.view(np.uint8), forward_reference(x, w, b).view(np.uint8))
    _, w, _, delta = arrays(64, 512, 1, dtype)
    gx = np.empty((64, 512), dtype)
    dense_input_grads(delta, w, gx)
    np.testing.assert_array_equal(gx.view(np.uint8), input_grads_reference(delta, w).view(np.uint8))


@pytest.mark.parametrize("shape", [(32, 128, 10), (64, 256, 32), (256, 512, 10)], ids=str)
def test_blas_input_gradient_through_a_transposed_copy_is_the_product_within_the_bound(shape):
    """δ·Wᵀ in BLAS, as δ times a copy of Wᵀ up to TRANSPOSED_BLAS_MAX_MACS (the first two) and
    with W transposed in the call beyond: the product within float32's summation bound."""
    x, w, _, delta = arrays(*shape, np.float32, seed=2)
    wt = np.empty((shape[2], shape[1]), np.float32)
    transpose_into(w, wt)
    np.testing.assert_array_equal(wt, w.T)
    gx = np.empty_like(x)
    dense_input_grads(delta, w, gx)
    d64, w64 = delta.astype(np.float64), w.astype(np.float64)
    exact = d64 @ w64.T
    bound = (shape[2] + 1) * 2.0 ** -24 * (np.abs(d64) @ np.abs(w64).T) + 2.0 ** -24 * np.abs(exact)
    assert np.all(np.abs(gx - exact) <= bound)


@pytest.mark.parametrize("shape", NARROW + WIDE, ids=str)
def test_both_orders_are_the_product_within_float32s_summation_bound(shape):
    x, w, b, delta = arrays(*shape, np.float32, seed=1)
    u = 2.0 ** -24
    x64, w64, d64 = x.astype(np.float64), w.astype(np.float64), delta.astype(np.float64)
    z, dw, db, gx = np.empty((shape[0], shape[2]), np.float32), np.empty_like(w), np.empty_like(b), np.empty_like(x)
    dense_forward(x, w, b, z)
    dense_weight_grads(x, delta, dw, db)
    dense_input_grads(delta, w, gx)
    for got, exact, scale, n in ((z, x64 @ w64 + b, np.abs(x64) @ np.abs(w64) + np.abs(b), shape[1] + 1),
                                 (dw, x64.T @ d64, np.abs(x64).T @ np.abs(d64), shape[0]),
                                 (gx, d64 @ w64.T, np.abs(d64) @ np.abs(w64).T, shape[2])):
        bound = (n + 1) * u * scale + u * np.abs(exact)      # the sum's rounding, then the store's
        assert np.all(np.abs(got - exact) <= bound)
