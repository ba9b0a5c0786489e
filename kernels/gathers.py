"""Rows copied out of an array: a minibatch's, in the order an epoch shuffled them."""
import numpy as np

from .jit import kernel


@kernel
def gather_row(src, i, dst, r):
    """dst[r, :] = src[i, :], as a loop: the slice assignment compiles Numba's shape check and
    its error message (string formatting), 1.5 s of the first compile, for rows that always match."""
    for j in range(src.shape[1]):
        dst[r, j] = src[i, j]


@kernel
def gather_batch(src, order, start, dst):
    """dst[r, :] = src[order[start + r], :] for every row r of dst: a minibatch's rows in one call.
    A call a row (gather_row), the gather was 3.8 % of a playground step by perf; one call an array,
    2.3 %."""
    for r in range(dst.shape[0]):
        i = order[start + r]
        for j in range(src.shape[1]):
            dst[r, j] = src[i, j]


@kernel
def copied_rows(x, rows):
    """x[rows], copied out."""
    batch = np.empty((rows.shape[0], x.shape[1]), x.dtype)
    gather_batch(x, rows, np.intp(0), batch)       # not a literal 0: a specialisation of its own
    return batch

