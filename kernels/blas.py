"""BLAS's general product with its two scalars, C ← α·op(A)·op(B) + β·C, from compiled code.

`np.dot(a, b, out)` is the same call with α = 1 and β = 0: it always overwrites `out`. With
β = 1 a product can add itself into an array that already holds something, which is what an
SGD step on a large weight is (optimizers.descend_by_product). Numba declares the C function
it calls for np.dot, `numba_xxgemm`, to its own linear-algebra code; this module asks Numba
for that declaration, so the products here go to the same BLAS (scipy's OpenBLAS) in the same
way np.dot's do.
"""
import numpy as np
from numba import types
from numba.extending import overload
from numba.np.linalg import _BLAS

from .jit import kernel

NO_TRANSPOSE = ord("N")
TRANSPOSE = ord("T")


@kernel
def add_product_at_b(a, b, c, alpha):
    """c ← c + α·aᵀb for C-contiguous a (rows, m), b (rows, n) and c (m, n) of one dtype, in one
    BLAS call (β = 1). Each entry is c_mn + α·Σ_i a_im·b_in. OpenBLAS 0.3.30 adds it in with one
    rounding (its micro-kernels end on a fused multiply-add) and sums as np.dot(a.T, b) does in
    most shapes, not all (otherwise when b has ten columns); the older OpenBLAS of scipy 1.11
    gave np.dot's product, scaled and added, bit for bit (tests/test_descend_by_product.py)."""
    rows, m = a.shape
    n = b.shape[1]
    scalars = np.empty(2, c.dtype)          # α, then β, in c's dtype: BLAS reads them by address
    scalars[0] = alpha
    scalars[1] = 1.0
    # Row-major c (m, n) is column-major cᵀ (n, m): cᵀ ← cᵀ + α·bᵀa. Row-major b is column-major
    # bᵀ as it stands; row-major a is column-major aᵀ, so BLAS transposes it back.
    gemm(NO_TRANSPOSE, TRANSPOSE, n, m, rows, scalars, b, n, a, m, c, n)


def gemm(transa, transb, m, n, k, scalars, a, lda, b, ldb, c, ldc):
    """Column-major C ← α·op(A)·op(B) + β·C, (α, β) = scalars, BLAS's xGEMM for c's dtype (sgemm
    or dgemm): compiled code only, through Numba's declaration of the C function it calls for
    np.dot (numba_xxgemm), typed for the dtype when a kernel calling it compiles."""
    raise NotImplementedError("gemm runs only inside a compiled kernel")


@overload(gemm)
def _gemm(transa, transb, m, n, k, scalars, a, lda, b, ldb, c, ldc):
    if c.dtype not in (types.float32, types.float64):
        return None
    xxgemm = _BLAS().numba_xxgemm(c.dtype)
    kind = ord("s") if c.dtype == types.float32 else ord("d")

    def call(transa, transb, m, n, k, scalars, a, lda, b, ldb, c, ldc):
        xxgemm(kind, transa, transb, m, n, k, scalars.ctypes, a.ctypes, lda, b.ctypes, ldb, scalars[1:].ctypes,
               c.ctypes, ldc)
    return call
