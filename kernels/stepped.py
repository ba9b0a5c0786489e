"""The fused kernels' own source, run as plain Python over the compiled leaves, while the fused
kernels themselves are still being compiled.

The middle of the call tree — forward, backward, the update step, the optimizer's dispatch, the
epoch and evaluation loops — only hands arrays from one leaf to the next: it slices, counts and
loops, but every number is computed inside a leaf (activations, dense products, losses,
penalties, optimizer rules). Those middle functions are marked `glue` (kernels/jit.py). Run as
Python, with each glue function it calls run as Python too and every other call going to its
compiled dispatcher, the same source does the same arithmetic in the same order, so the same
seed gives the same loss history bit for bit (tests/test_kernel_stepped.py checks presets, every
optimizer, the penalties, clipping and float64 against the fused epoch).

Why: on an empty cache the fused epoch is the longest single compile (4–5 CPU-seconds: Numba
types the whole inlined tree, then LLVM optimizes all of it), while the leaves are many small
compiles that two processes can share. A twin needs only the leaves, so the first epoch can run
seconds sooner, slower per minibatch (xor: 2–3 ms an epoch with its evaluation instead of
0.2–0.3 ms, all Python dispatch), until the fused kernel is loaded. The kernel warm-up (nnterm/session/kernel_warm_up.py)
allows that while it runs (`allow_stepping`); without it every call compiles and runs the fused
kernel, as a library user expects.

`run(dispatcher, *args)` is how the Python entry points call a fused kernel: compiled when it has
been compiled (or loaded) for these argument types, or when stepping is not allowed; else its twin.
"""
import threading
import types
from contextlib import contextmanager

import numpy as np

_glue: set = set()                  # id() of every glue dispatcher
_twins: dict = {}                   # id(python function) → its twin
_loaded: set = set()                # (id(dispatcher), argument kinds) found compiled
_allowed = [0]                      # how many warm-ups allow stepping now
_lock = threading.Lock()
_local = threading.local()


def register_glue(dispatcher) -> None:
    _glue.add(id(dispatcher))


def twin(func):
    """`func` (a dispatcher or its Python function) as plain Python, calling the twins of the
    glue functions it names and the compiled dispatchers of everything else."""
    func = getattr(func, "py_func", func)
    found = _twins.get(id(func))
    if found is not None:
        return found
    with _lock:
        return _twin(func)


def _twin(func):
    found = _twins.get(id(func))
    if found is not None:
        return found
    scope = dict(func.__globals__)              # the module's names as they are now: all imports are done
    made = types.FunctionType(func.__code__, scope, func.__name__, func.__defaults__, func.__closure__)
    _twins[id(func)] = made                     # before the recursion: glue may name itself
    for name, value in scope.items():
        if id(value) in _glue:
            scope[name] = _twin(value.py_func)
    return made


@contextmanager
def allow_stepping():
    """While this lasts, a fused kernel not compiled yet runs as its twin instead of compiling."""
    with _lock:
        _allowed[0] += 1
    try:
        yield
    finally:
        with _lock:
            _allowed[0] -= 1


@contextmanager
def _thread_mode(mode: str):
    before = getattr(_local, "mode", None)
    _local.mode = mode
    try:
        yield
    finally:
        _local.mode = before


def compiled_only():
    """In this thread, every run() calls the fused kernel, so that it compiles (or loads from the
    cache) now: how the warm-up loads them."""
    return _thread_mode("compiled")


def stepped_only():
    """In this thread, every run() runs the twin, loaded kernel or not: how the warm-up compiles
    exactly what the twins call."""
    return _thread_mode("stepped")


def stepping_allowed() -> bool:
    return _allowed[0] > 0 and getattr(_local, "mode", None) != "compiled"


def run(dispatcher, *args):
    if getattr(_local, "mode", None) == "stepped" or (stepping_allowed() and not is_compiled(dispatcher, args)):
        return twin(dispatcher)(*args)
    return dispatcher(*args)


def argument_kinds(args) -> tuple:
    """What decides which compiled specialisation a call needs, cheaply: each array's dtype,
    dimensions and contiguity, each scalar's type."""
    return tuple((a.dtype.char, a.ndim, a.flags.c_contiguous) if isinstance(a, np.ndarray) else type(a)
                 for a in args)


def is_compiled(dispatcher, args) -> bool:
    """Whether calling `dispatcher` with `args` runs compiled code without compiling first."""
    if not dispatcher.overloads:
        return False
    kinds = (id(dispatcher), argument_kinds(args))
    if kinds in _loaded:
        return True
    if tuple(map(dispatcher.typeof_pyval, args)) in dispatcher.overloads:   # exact, but ~90 µs
        _loaded.add(kinds)
        return True
    return False
