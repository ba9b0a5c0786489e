"""A deterministic sum across one block: a fixed tree, so the same inputs give the same bits
(docs/design.md, "The kernel ABI": no reductions whose order depends on scheduling, so no float atomics)."""
from numba import cuda, float64

from .launch import REDUCE_THREADS


@cuda.jit(device=True)
def block_sum(value):
    """Σ of `value` over the block's REDUCE_THREADS threads; every thread gets the total."""
    partial = cuda.shared.array(REDUCE_THREADS, float64)
    t = cuda.threadIdx.x
    partial[t] = value
    cuda.syncthreads()
    half = REDUCE_THREADS // 2
    while half > 0:
        if t < half:
            partial[t] += partial[t + half]
        cuda.syncthreads()
        half //= 2
    total = partial[0]
    cuda.syncthreads()
    return total
