"""The passes' views (kernels/views.py) and the minibatch gather (kernels/epoch.py): compiled, each
is exactly the slice it stands for — same entries, same shape, writes landing in the buffer."""
import numpy as np
import pytest
from numba import njit

from nnterm.kernels.gathers import gather_batch
from nnterm.kernels.views import as_matrix, as_vector


@njit
def fill_matrix(flat, start, rows, cols, value):
    view = as_matrix(flat, start, rows, cols)
    for i in range(rows):
        for j in range(cols):
            view[i, j] = value + i * cols + j
    return view.shape[0], view.shape[1], view[rows - 1, cols - 1]


@njit
def fill_vector(flat, start, n, value):
    view = as_vector(flat, start, n)
    for i in range(n):
        view[i] = value + i
    return view.shape[0], view[n - 1]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("start, rows, cols", [(0, 1, 1), (3, 2, 5), (7, 4, 1), (1, 1, 9)])
def test_a_compiled_matrix_view_is_the_slice_reshaped(dtype, start, rows, cols):
    flat = np.zeros(start + rows * cols + 3, dtype)
    shape0, shape1, last = fill_matrix(flat, start, rows, cols, 100.0)
    want = np.zeros_like(flat)
    want[start:start + rows * cols] = 100.0 + np.arange(rows * cols)
    assert (shape0, shape1) == (rows, cols)
    assert last == 100.0 + rows * cols - 1
    np.testing.assert_array_equal(flat, want)          # nothing before start or after the block moved


@pytest.mark.parametrize("start, n", [(0, 1), (4, 3), (2, 8)])
def test_a_compiled_vector_view_is_the_slice(start, n):
    flat = np.zeros(start + n + 2, np.float32)
    size, last = fill_vector(flat, start, n, 7.0)
    want = np.zeros_like(flat)
    want[start:start + n] = 7.0 + np.arange(n)
    assert (size, last) == (n, 7.0 + n - 1)
    np.testing.assert_array_equal(flat, want)


def test_the_views_as_python_are_the_slices():
    flat = np.arange(20.0)
    np.testing.assert_array_equal(as_matrix(flat, 2, 3, 4), flat[2:14].reshape(3, 4))
    np.testing.assert_array_equal(as_vector(flat, 5, 3), flat[5:8])


def test_gather_batch_copies_the_ordered_rows_from_start():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((9, 4)).astype(np.float32)
    order = rng.permutation(9).astype(np.int64)
    dst = np.full((3, 4), np.nan, np.float32)
    gather_batch(x, order, 5, dst)
    np.testing.assert_array_equal(dst, x[order[5:8]])
