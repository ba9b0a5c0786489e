"""The register-blocked products (kernels/register_blocks.py) against their formula, bit for bit:

    c_ij = s_j + Σ_k a_ik·b_kj      each step a fused multiply-add: one rounding to float32
    c_ij ← c_ij + α·Σ_k a_ik·b_kj   the sum as above, then added in with one more rounding

The reference computes each step exactly (fractions) and rounds it to the nearest float32, ties
to even. The shapes cover every block shape (rows of 6, 2, 1; 4, 2 or 1 vectors of 16 columns)
and their remainders, and the forward product's masked last columns (rows of 24, 8, 1). Reading a minibatch's rows where they lie in x gives the bits of
the copied batch; the dense layer takes these products where they fit, and only there.
"""
from fractions import Fraction

import numpy as np
import pytest

from nnterm.engine.network import Network
from nnterm.kernels.aligned import ALIGNMENT, aligned_zeros
from nnterm.kernels.dense import (BLAS_MIN_MACS, dense_forward_rows, dense_weight_grads, dense_weight_grads_rows,
                                  forward_in_blocks_fits, gradient_in_blocks_fits, uses_blas)
from nnterm.kernels.optimizers import descend_by_product_rows, descend_in_blocks
from nnterm.kernels.passes import MOST_ROWS, blocks_for, fewest_rows_for_blocks, reads_rows_in_place
from nnterm.kernels.register_blocks import (REGISTER_BLOCKS, add_product, forward_register_blocks_fit, gathered_columns,
                                            gathered_rows, product, product_from, register_blocks_fit, rows_of)
from numba import njit


@njit
def call_product(a, b, c):
    product(rows_of(a), b, c)


@njit
def call_product_from(a, b, start, c):
    product_from(rows_of(a), b, start, c)


@njit
def call_add_product(a, b, c, alpha):
    add_product(rows_of(a), b, c, alpha)


@njit
def call_gathered(x, rows, b, c):
    product(gathered_rows(x, rows), b, c)


@njit
def call_gathered_columns(x, rows, b, c):
    product(gathered_columns(x, rows), b, c)


def nearest_float32(value: Fraction) -> np.float32:
    """value rounded to the nearest float32, ties to the even one."""
    guess = np.float32(float(value))          # float64 first, then float32: at most an ulp off
    candidates = [np.nextafter(guess, np.float32(-np.inf)), guess, np.nextafter(guess, np.float32(np.inf))]
    return min(candidates, key=lambda c: (abs(Fraction(float(c)) - value), int(c.view(np.uint32)) & 1))


def fused_sum(start, a_row, b_column):
    """start + Σ a_k·b_k, k in order, each step rounded once to float32."""
    total = np.float32(start)
    for a_k, b_k in zip(a_row, b_column):
        total = nearest_float32(Fraction(float(a_k)) * Fraction(float(b_k)) + Fraction(float(total)))
    return total


def operands(rows, inner, cols, seed):
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((rows, inner)).astype(np.float32)
    b = rng.standard_normal((inner, cols)).astype(np.float32)
    start = rng.standard_normal(cols).astype(np.float32)
    return a, b, start


SHAPES = [(1, 3, 16), (2, 5, 32), (3, 4, 48), (4, 2, 64), (5, 3, 80), (6, 4, 112), (7, 2, 16), (11, 3, 48),
          (13, 1, 64), (9, 0, 32)]


@pytest.mark.parametrize("rows, inner, cols", SHAPES)
def test_each_entry_is_its_fused_sum_in_order(rows, inner, cols):
    a, b, start = operands(rows, inner, cols, rows * 100 + cols)
    from_start, from_zero = np.empty((rows, cols), np.float32), np.empty((rows, cols), np.float32)
    call_product_from(a, b, start, from_start)
    call_product(a, b, from_zero)
    for i in range(rows):
        for j in range(cols):
            assert from_start[i, j] == fused_sum(start[j], a[i], b[:, j]), (i, j)
            assert from_zero[i, j] == fused_sum(0.0, a[i], b[:, j]), (i, j)


@pytest.mark.parametrize("rows, inner, cols", [(64, 2, 10), (30, 3, 7), (13, 2, 25), (5, 4, 1), (49, 1, 15)])
def test_the_forward_products_last_columns_are_their_fused_sums_and_nothing_past_them(rows, inner, cols):
    a, b, start = operands(rows, inner, cols, rows + cols)
    wider = np.full((rows, cols + 3), 7.0, np.float32)
    call_product_from(a, b, start, wider[:, :cols])
    assert np.all(wider[:, cols:] == 7.0)
    for i in range(rows):
        for j in range(cols):
            assert wider[i, j] == fused_sum(start[j], a[i], b[:, j]), (i, j)


def test_only_the_forward_product_takes_columns_short_of_a_register():
    a, b, _ = operands(4, 3, 10, 1)
    with pytest.raises(ValueError, match="multiple of 16"):
        call_product(a, b, np.empty((4, 10), np.float32))
    with pytest.raises(ValueError, match="multiple of 16"):
        call_add_product(a, b, np.empty((4, 10), np.float32), 0.5)


def test_operands_whose_shapes_disagree_are_refused_not_read_past():
    a, b, start = operands(4, 3, 16, 2)
    with pytest.raises(ValueError):
        call_product(a, np.zeros((5, 16), np.float32), np.empty((4, 16), np.float32))     # 3 steps, 5 rows of B
    with pytest.raises(ValueError):
        call_product(a, b, np.empty((6, 16), np.float32))                                 # C has 6 rows, A 4
    with pytest.raises(ValueError):
        call_product_from(a, np.zeros((3, 10), np.float32), start[:10], np.empty((5, 10), np.float32))


@pytest.mark.parametrize("rows, inner, cols", SHAPES[:6])
def test_a_product_added_in_is_alpha_times_the_sum_rounded_once(rows, inner, cols):
    a, b, _ = operands(rows, inner, cols, rows + cols)
    c = np.random.default_rng(cols).standard_normal((rows, cols)).astype(np.float32)
    alpha = -0.05                              # rounded to float32 once, as an SGD step's −lr is
    added = c.copy()
    call_add_product(a, b, added, alpha)
    for i in range(rows):
        for j in range(cols):
            total = fused_sum(0.0, a[i], b[:, j])
            want = nearest_float32(Fraction(float(np.float32(alpha))) * Fraction(float(total)) + Fraction(float(c[i, j])))
            assert added[i, j] == want, (i, j)


def test_a_long_sum_stays_within_float32s_summation_bound():
    """The MNIST shape: each sum of 784 terms within n·u·Σ|terms| of the exact product (float64)."""
    a, b, _ = operands(64, 784, 128, 7)
    c = np.empty((64, 128), np.float32)
    call_product(a, b, c)
    exact = a.astype(np.float64) @ b.astype(np.float64)
    bound = 784 * 2.0 ** -24 * (np.abs(a.astype(np.float64)) @ np.abs(b.astype(np.float64)))
    assert np.all(np.abs(c - exact) <= bound)


def test_a_transposed_view_and_gathered_rows_give_the_copys_bits():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((50, 40)).astype(np.float32)
    rows = rng.permutation(50)[:13].astype(np.int64)
    w = rng.standard_normal((40, 48)).astype(np.float32)
    delta = rng.standard_normal((13, 48)).astype(np.float32)
    copied, read = np.empty((13, 48), np.float32), np.empty((13, 48), np.float32)
    call_product(np.ascontiguousarray(x[rows]), w, copied)
    call_gathered(x, rows, w, read)
    assert np.array_equal(copied, read)
    copied_t, read_t, viewed_t = (np.empty((40, 48), np.float32) for _ in range(3))
    call_product(np.ascontiguousarray(x[rows].T), delta, copied_t)
    call_gathered_columns(x, rows, delta, read_t)
    call_product(np.ascontiguousarray(x[rows]).T, delta, viewed_t)
    assert np.array_equal(copied_t, read_t) and np.array_equal(copied_t, viewed_t)


def test_the_first_layer_reading_rows_in_place_gives_the_copied_batchs_bits():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((200, 96)).astype(np.float32)
    rows = rng.permutation(200)[:64].astype(np.int64)
    batch = np.ascontiguousarray(x[rows])
    w = (rng.standard_normal((96, 64)) * 0.1).astype(np.float32)
    b = rng.standard_normal(64).astype(np.float32)
    delta = (rng.standard_normal((64, 64)) * 0.01).astype(np.float32)
    z_read, z_copied = np.empty((64, 64), np.float32), np.empty((64, 64), np.float32)
    dense_forward_rows(x, rows, w, b, z_read)
    call_product_from(batch, w, b, z_copied)
    assert np.array_equal(z_read, z_copied)
    dw_read, db_read = np.empty_like(w), np.empty_like(b)
    dense_weight_grads_rows(x, rows, delta, dw_read, db_read)
    dw_copied, db_copied = np.empty_like(w), np.empty_like(b)
    call_product(batch.T, delta, dw_copied)
    dense_weight_grads(batch, delta, np.empty_like(w), db_copied)          # the bias gradient's own path
    assert np.array_equal(dw_read, dw_copied) and np.array_equal(db_read, db_copied)
    stepped_read, stepped_copied = w.copy(), w.copy()
    descend_by_product_rows(x, rows, delta, stepped_read, 0.05)
    call_add_product(batch.T, delta, stepped_copied, -np.float32(0.05))
    assert np.array_equal(stepped_read, stepped_copied) and not np.array_equal(stepped_read, w)


@pytest.mark.parametrize("rows, inner, cols, itemsize, fits", [
    (64, 784, 128, 4, True), (64, 784, 512, 4, True), (1, 784, 32, 4, True),
    (64, 784, 128, 8, False),        # float64: BLAS's dgemm
    (64, 128, 10, 4, False),         # not a multiple of 16 columns
    (64, 784, 16, 4, False),         # one vector a row: BLAS was faster
    (64, 784, 1024, 4, False),       # rows 4 KiB apart: BLAS, which packs, was faster
])
def test_the_products_run_where_they_fit(rows, inner, cols, itemsize, fits):
    assert register_blocks_fit(rows, inner, cols, itemsize) == (fits and REGISTER_BLOCKS)
    if fits:
        assert forward_register_blocks_fit(rows, inner, cols, itemsize) == REGISTER_BLOCKS


@pytest.mark.parametrize("rows, inner, cols, fits", [
    (64, 128, 10, True), (1, 784, 15, True), (64, 784, 9, True),
    (64, 128, 8, False),             # OpenBLAS takes 8 columns whole, faster
    (64, 1024, 10, False),           # level with OpenBLAS
])
def test_a_forward_product_onto_a_few_classes_runs_where_it_fits(rows, inner, cols, fits):
    assert forward_register_blocks_fit(rows, inner, cols, 4) == (fits and REGISTER_BLOCKS)
    assert not register_blocks_fit(rows, inner, cols, 4) and not forward_register_blocks_fit(rows, inner, cols, 8)


@pytest.mark.skipif(not REGISTER_BLOCKS, reason="register blocks need AVX-512 (the host has no AVX-512)")
def test_the_passes_take_them_at_the_mnist_shape():
    """Forward and backward through the passes: the first layer's product and gradient and the
    output layer's forward product are the blocks' bits; the output layer's gradient (10 columns,
    rows ≫ columns) and every float64 product stay with BLAS."""
    from nnterm.kernels.epoch import loss_and_grads
    sizes = np.array([784, 128, 10], np.int64)
    net = Network(list(sizes), ["relu", "softmax"], "cce")
    rng = np.random.default_rng(4)
    net.params[:] = (rng.standard_normal(net.params.shape[0]) * 0.05).astype(np.float32)
    x = rng.standard_normal((64, 784)).astype(np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, 64)]
    zs, outs, deltas = (np.zeros(64 * 138, np.float32) for _ in range(3))
    grads = np.zeros_like(net.params)
    blocks = blocks_for(sizes, 64, 4)
    assert blocks is True
    loss_and_grads(net.sizes, net.acts, net.offsets, net.loss_code, net.params, x, y, grads, zs, outs, deltas, blocks)
    (w1, b1), (w2, b2) = [(layer.weight, layer.bias) for layer in net.layers]
    z1, a1, d1 = zs[:64 * 128].reshape(64, 128), outs[:64 * 128].reshape(64, 128), deltas[:64 * 128].reshape(64, 128)
    want_z1, want_z2, want_dw1 = np.empty((64, 128), np.float32), np.empty((64, 10), np.float32), np.empty_like(w1)
    call_product_from(x, w1, b1, want_z1)
    call_product_from(a1, w2, b2, want_z2)
    call_product(x.T, d1, want_dw1)
    assert np.array_equal(z1, want_z1) and np.array_equal(zs[64 * 128:].reshape(64, 10), want_z2)
    assert np.array_equal(grads[:784 * 128].reshape(784, 128), want_dw1)
    assert forward_in_blocks_fits(64, 784, 128, 4) and gradient_in_blocks_fits(64, 784, 128, 4)
    assert forward_in_blocks_fits(64, 128, 10, 4) and not gradient_in_blocks_fits(64, 128, 10, 4)
    assert not forward_in_blocks_fits(64, 784, 128, 8) and not gradient_in_blocks_fits(64, 784, 128, 8)
    assert reads_rows_in_place(True, sizes, 64, 4) and not reads_rows_in_place(True, sizes, 64, 8)
    assert not reads_rows_in_place(None, sizes, 64, 4)
    assert not reads_rows_in_place(True, np.array([2, 8, 1], np.int64), 10, 4) and not uses_blas(10, 2, 8)


@pytest.mark.parametrize("sizes, rows, itemsize, blocks", [
    ([784, 128, 10], 64, 4, True), ([784, 128, 10], 1, 4, True),      # one row: 784·128 multiply-adds
    ([64, 64, 10], 32, 4, True), ([784, 128, 10], 64, 8, None),       # float64 stays with BLAS
    ([2, 8, 8, 1], 4096, 4, None), ([2, 12, 8, 1], 4096, 4, None),    # 12 columns, but over 2 inputs: loops
    ([2, 32, 32, 1], 10, 4, None), ([2, 32, 32, 1], 4096, 4, True),   # a BLAS-sized gradient only in big chunks
])
def test_a_network_asks_for_the_blocks_where_some_product_takes_them(sizes, rows, itemsize, blocks):
    """What the kernels are compiled for (passes.blocks_for): None compiles none of the blocks."""
    assert blocks_for(np.array(sizes, np.int64), rows, itemsize) is (blocks if REGISTER_BLOCKS else None)


@pytest.mark.skipif(not REGISTER_BLOCKS, reason="register blocks need AVX-512 (the host has no AVX-512)")
def test_the_blocks_begin_where_a_product_reaches_blas_size():
    """64 → 64 → 10: the 64-column products take the blocks from rows·64·64 = BLAS_MIN_MACS on."""
    sizes = np.array([64, 64, 10], np.int64)
    fewest = fewest_rows_for_blocks(sizes, 4)
    assert fewest == -(-BLAS_MIN_MACS // (64 * 64))
    assert blocks_for(sizes, fewest, 4) is True and blocks_for(sizes, fewest - 1, 4) is None
    assert fewest_rows_for_blocks(np.array([2, 8, 8, 1], np.int64), 4) > MOST_ROWS      # never


@pytest.mark.skipif(not REGISTER_BLOCKS, reason="register blocks need AVX-512 (the host has no AVX-512)")
def test_the_sgd_step_in_blocks_is_the_product_added_in():
    a, w, _ = operands(64, 784, 128, 11)
    delta = np.random.default_rng(2).standard_normal((64, 128)).astype(np.float32)
    stepped, want = w.copy(), w.copy()
    descend_in_blocks(a, delta, stepped, 0.05)
    call_add_product(a.T, delta, want, -np.float32(0.05))
    assert np.array_equal(stepped, want) and not np.array_equal(stepped, w)


def test_the_parameters_and_a_fresh_buffer_start_a_cache_line():
    for dtype in (np.float32, np.float64):
        assert aligned_zeros(1000, dtype).ctypes.data % ALIGNMENT == 0
        net = Network([784, 128, 10], ["relu", "softmax"], "cce", np.dtype(dtype).name)
        assert net.params.ctypes.data % ALIGNMENT == 0 and net.grads.ctypes.data % ALIGNMENT == 0
        assert not net.params.any() and net.params.dtype == dtype
