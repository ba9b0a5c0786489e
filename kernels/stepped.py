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
0.2–0.3 ms, all Python dispatch), until the fused kernel is loaded. The kernel warm-up allows
that while it runs (nnterm/warmup/stepping.py sets `choose_twin`); without it every call
compiles and runs the fused kernel, as a library user expects.

`run(dispatcher, *args)` is how the Python entry points call a fused kernel: its twin when
`choose_twin` says so (the warm-up's rule: stepping is allowed and the kernel is not compiled for
these argument types, `is_compiled`), else the kernel.
"""
import numpy as np

_glue: set = set()                  # id() of every glue dispatcher
_twins: dict = {}                   # id(python function) → its twin
_loaded: set = set()                # (id(dispatcher), argument kinds) found compiled
# choose_twin(dispatcher, args) → True to run the twin: set by whoever allows stepping
# (nnterm/warmup/stepping.py, for the kernel warm-up); None, every call runs the kernel.
choose_twin = None


def register_glue(dispatcher) -> None:
    _glue.add(id(dispatcher))


def twin(func):
    """`func` (a dispatcher or its Python function) as plain Python, calling the twins of the
    glue functions it names and the compiled dispatchers of everything else. Made once; a twin
    is published only when whole, so a thread never calls one half made."""
    func = getattr(func, "py_func", func)
    found = _twins.get(id(func))
    if found is None:
        building: dict = {}
        found = _build(func, building)
        for key, made in building.items():
            _twins.setdefault(key, made)
        found = _twins[id(func)]
    return found


def _build(func, building: dict):
    found = _twins.get(id(func)) or building.get(id(func))
    if found is not None:
        return found
    scope = dict(func.__globals__)              # the module's names as they are now: all imports are done
    made = type(func)(func.__code__, scope, func.__name__, func.__defaults__, func.__closure__)
    building[id(func)] = made                   # before the recursion: glue may name itself
    for name, value in scope.items():
        if id(value) in _glue:
            scope[name] = _build(value.py_func, building)
    return made


def run(dispatcher, *args):
    chooser = choose_twin
    if chooser is not None and chooser(dispatcher, args):
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
