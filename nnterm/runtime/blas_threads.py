"""How many threads BLAS may use. Libraries read it once, when they load, so it is set before
numpy, scipy (whose OpenBLAS Numba calls for np.dot) or torch is imported.

nnterm's networks are small: a BLAS call on them gains nothing from a second thread, and
OpenBLAS's idle workers spin. In the TUI on two cores they took a whole core from everything
else: training digits at full speed, the threads other than the training one used 109 % of a
core with OpenBLAS's default and 11 % with one thread, while training ran as fast (the TUI
probe of nnterm bench --startup, run on digits). Headless, `nnterm train digits` took the same
wall time either way and 30 % less CPU with one thread. So every nnterm command runs BLAS on
one thread unless the user has set a thread count; `nnterm bench` insists on one everywhere.
"""
import os
import sys

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS",
                    "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
BLAS_MODULES = ("numpy", "scipy", "torch")


def one_thread_unless_set() -> None:
    """One BLAS thread, unless the user set any thread variable (then theirs stand, all of them)."""
    if not any(name in os.environ for name in THREAD_VARIABLES):
        for name in THREAD_VARIABLES:
            os.environ[name] = "1"


def single_thread() -> list[str]:
    """Sets every thread variable to 1; returns the BLAS modules that loaded too early to obey
    (none when every variable already said 1: `nnterm` sets them before anything loads)."""
    if all(os.environ.get(name) == "1" for name in THREAD_VARIABLES):
        return []
    for name in THREAD_VARIABLES:
        os.environ[name] = "1"
    return [name for name in BLAS_MODULES if name in sys.modules]
