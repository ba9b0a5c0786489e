"""One thread everywhere, so a ratio compares kernels and not core counts.

BLAS libraries read their thread count once, when they load, so the variables must be set
before numpy, scipy (whose OpenBLAS Numba calls for np.dot) or torch is imported.
"""
import os
import sys

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS",
                    "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
BLAS_MODULES = ("numpy", "scipy", "torch")


def single_thread() -> list[str]:
    """Sets every thread variable to 1; returns the BLAS modules that loaded too early to obey."""
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    return [name for name in BLAS_MODULES if name in sys.modules]
