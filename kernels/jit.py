"""The decorators every CPU kernel is compiled with.

    kernel = njit(cache=True, nogil=True, error_model="numpy"), with its cache guarded (below)

cache:  compiled code is kept on disk (nnterm.kernels.cache_dir picks a writable folder), so
        only the first launch compiles.
nogil:  the TUI trains in a thread; the UI thread runs while a kernel does.
error_model="numpy":  a float division by zero gives ±inf or NaN, as IEEE 754 says, instead of
        Python's ZeroDivisionError. Numba's default puts a zero test before every division,
        and that branch keeps LLVM from vectorizing any loop that divides: Adam's update over
        the digits network took 36 µs a step with it and 4.9 µs without (9,610 parameters,
        bit-identical results). Kernels never relied on the exception: a non-finite loss or
        weight is what train_epoch reports, and the trainer rolls the epoch back.

    inlined = the same, with inline="always"
    glue    = inlined, and runnable as plain Python too (nnterm/warmup/twins.py)

for the middle of the call tree (forward, backward, the update, the dispatchers on a kind's
code, and the penalty and clipping): Numba pastes their code into each caller before typing,
instead of compiling them as functions of their own. Every compiled function carries a copy of
everything it calls, which LLVM optimizes and turns into machine code once more; a caller that
pastes them in does that once. On an
empty cache the xor preset's first epoch compiled in 10.7–11.2 s instead of 12.1–12.7 s (two
shared cores), with the same machine code speed and bit-identical results. The leaves
(each activation, each loss, the dense products, the optimizer rules) stay functions: pasted
into every caller, they made the compile three times slower, being typed again at every call
site. The middle functions that only pass arrays between calls are `glue`, which a stepped twin
can run as Python; those that compute numbers (the penalty, clipping) are only `inlined`.

A cache that cannot be used never stops a kernel: Numba raises when no folder can hold a
cache (at decoration), when an index or data file is unreadable (truncated, garbled) and
when a write fails (a full or read-only
folder). Each of those is caught here, said once through `on_cache_problem` (nnterm prints it
as one line), and the kernel compiles instead: an unreadable index is removed so the fresh
compile can replace it; a failed write keeps the kernel in memory for this run. A cache
written by another Numba version or for another CPU is simply a miss for Numba (its index is
stamped with both) and compiles again. A cache compiled from other sources of the kernels (an upgrade
that changed a leaf's file but not its callers', which Numba would not notice) is emptied
before the first load from its folder (cache_dir.drop_stale_kernels). Numba writes every cache file to a temporary name and
renames it, so a kill leaves no half-written file: at worst a new index entry whose data file
was never written, which Numba reads as a miss and compiles again. What it does not guard
against is two processes saving *different* specialisations of one kernel at the same moment
(both read the index, both pick the same data file name); the kernel warm-up never has its two
processes compile different specialisations of one kernel at once (nnterm/warmup/kernel_warm_up.py).
"""
import os

from numba import njit
from numba.core import config as numba_config

from .cache_dir import drop_stale_kernels

# LLVM's SLP vectorizer packs the same scalar operation on neighbouring elements, written out one
# by one, into one vector instruction; Numba leaves it off. The small products keep a block of
# outputs in locals (dense.py, "blocked"), which only this packs: that (10, 8, 8) forward product
# took 130 ns as Numba compiles by default and 35 ns with it (the wide order: 168). It changes no
# result: without fast-math flags LLVM packs only operations that are the same lane by lane, and
# never reorders a sum. Set in the environment so that the warm-up's processes compile alike; a
# value the user set stands.
os.environ.setdefault("NUMBA_SLP_VECTORIZE", "1")
# Numba picks a kernel's cache folder when the kernel is decorated, from the configuration it read
# at its import; kernels/__init__.py may have set NUMBA_CACHE_DIR after someone else loaded numba.
numba_config.reload_config()
from .stepped import register_glue, register_kernel

cache_problems: list[str] = []          # every problem said so far, in order
checked_folders: set[str] = set()       # cache folders whose kernels were checked against their sources
_listeners: list = []


def on_cache_problem(listener) -> None:
    """listener(sentence) for each problem, those already seen included."""
    _listeners.append(listener)
    for problem in cache_problems:
        listener(problem)


def tell(problem: str) -> None:
    if problem not in cache_problems:
        cache_problems.append(problem)
        for listener in _listeners:
            listener(problem)


def index_path(dispatcher) -> str | None:
    """The path of the dispatcher's cache index (Numba's), or None when it has no cache."""
    return getattr(getattr(getattr(dispatcher, "_cache", None), "_cache_file", None), "_index_path", None)


def has_cache_entry(dispatcher) -> bool:
    """Whether the cache has an index for this kernel (fresh or not: a stale one compiles as before)."""
    index = index_path(dispatcher)
    return index is None or os.path.exists(index)


def guard_cache(dispatcher):
    """Wraps the dispatcher's cache so that reading or writing it can fail without consequence."""
    cache = getattr(dispatcher, "_cache", None)
    if cache is None or not hasattr(cache, "load_overload") or not hasattr(cache, "save_overload"):
        return dispatcher
    load, save = cache.load_overload, cache.save_overload
    index = index_path(dispatcher)
    folder = os.path.dirname(index) if index else "the kernel cache"
    source_dir = os.path.dirname(dispatcher.py_func.__code__.co_filename)

    def load_overload(sig, target_context):
        if index and folder not in checked_folders:     # before the first load from it in this process
            checked_folders.add(folder)
            drop_stale_kernels(folder, source_dir)
        try:
            return load(sig, target_context)
        except Exception:
            tell(f"the kernel cache in {folder} had unreadable entries; recompiling them")
            if index:
                try:
                    os.unlink(index)             # so that the fresh compile can write a new one
                except OSError:
                    pass
            return None

    def save_overload(sig, data):
        try:
            save(sig, data)
        except Exception as err:
            why = getattr(err, "strerror", None) or err.__class__.__name__
            tell(f"cannot write the kernel cache in {folder} ({why}); this run keeps its kernels in memory "
                 f"and the next one compiles again")

    cache.load_overload, cache.save_overload = load_overload, save_overload
    return dispatcher


def decorator(**options):
    cached, uncached = njit(cache=True, **options), njit(cache=False, **options)

    def decorate(func):
        try:
            dispatcher = guard_cache(cached(func))
        except RuntimeError:                     # Numba: "cannot cache function …: no locator available"
            tell("no folder can hold the kernel cache (set NUMBA_CACHE_DIR to a writable one); "
                 "the kernels compile in memory for this run only")
            dispatcher = uncached(func)
        register_kernel(dispatcher)              # so that a Python twin runs it as Python (nnterm/warmup/twins.py)
        return dispatcher
    return decorate


kernel = decorator(nogil=True, error_model="numpy")
inlined = decorator(inline="always", nogil=True, error_model="numpy")


def glue(func):
    """`inlined`, for a middle function that only hands arrays from one call to the next (slices,
    counts, loops, no arithmetic on the numbers): it can also run as plain Python over the
    compiled leaves, its stepped twin (nnterm/warmup/twins.py)."""
    dispatcher = inlined(func)
    register_glue(dispatcher)
    return dispatcher
