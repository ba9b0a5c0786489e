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


# --- the same rule for the Python API, without touching the user's settings ------------------
# A program that imports nnterm (a notebook, a script) keeps whatever thread count its BLAS
# has: environment variables are read once, when BLAS loads, and nnterm cannot know who loaded
# it or why. So nnterm limits BLAS to one thread around its own kernel calls only, and puts the
# caller's count back after each (threadpoolctl, which speaks to OpenBLAS, MKL and BLIS alike,
# including scipy's bundled OpenBLAS that Numba's np.dot calls). The MNIST shape through the
# API, with a busy loop on the other of two cores: 0.9 epochs/s with OpenBLAS's two threads,
# 6.6 with one (the second thread waits for a core that is busy, at every product).
class OneBlasThread:
    """`with one_blas_thread():` — BLAS runs on one thread inside, the caller's count after.

    Each thread lowers and restores the count for itself, nesting included, so every thread
    ends with the count it had whatever the others do. One limit of OpenBLAS itself (scipy's
    bundled build, measured): once the main thread has set a count, a count set from another
    thread is ignored — a program that chose its BLAS threads keeps them for its other threads.
    When BLAS already runs on one thread (the `nnterm` command sets the variables above) this
    is one query per library and no change.
    """

    def __init__(self) -> None:
        import threading
        self.found = threading.Lock()
        self.libraries = None           # threadpoolctl's BLAS controllers, found at the first use
        self.local = threading.local()  # per thread: depth, and the counts to put back

    def find(self) -> list:
        try:
            import scipy.linalg.cython_blas  # noqa: F401  (the BLAS Numba calls: loaded before we look)
            from threadpoolctl import ThreadpoolController
            libraries = ThreadpoolController().select(user_api="blas").lib_controllers
            return [lib for lib in libraries if hasattr(lib, "get_num_threads") and hasattr(lib, "set_num_threads")]
        except Exception:               # no threadpoolctl, or a BLAS it cannot see: nothing to limit
            return []

    def __enter__(self) -> "OneBlasThread":
        if self.libraries is None:
            with self.found:
                if self.libraries is None:
                    self.libraries = self.find()
        local = self.local
        depth = getattr(local, "depth", 0)
        if depth == 0:
            local.restore = []
            for library in self.libraries:
                threads = library.get_num_threads()
                if threads is not None and threads != 1:
                    library.set_num_threads(1)
                    local.restore.append((library, threads))
        local.depth = depth + 1
        return self

    def __exit__(self, *_) -> None:
        local = self.local
        local.depth -= 1
        if local.depth == 0:
            for library, threads in local.restore:
                library.set_num_threads(threads)
            local.restore = []


_one_blas_thread = OneBlasThread()


def one_blas_thread() -> OneBlasThread:
    """The process's limiter (one, so the libraries are looked up once)."""
    return _one_blas_thread
