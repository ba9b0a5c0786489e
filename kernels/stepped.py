"""Where a fused kernel's Python entry point may hand its call to a twin instead.

The middle of the call tree — forward, backward, the update step, the optimizer's dispatch, the
epoch and evaluation loops — only hands arrays from one leaf to the next: those functions are
marked `glue` (kernels/jit.py), every compiled function is registered here, and the warm-up
(nnterm/warmup/twins.py) builds from their own source the twins that run them as Python: the
same arithmetic in the same order, the same numbers bit for bit (docs/design.md, "Stepped
twins" and "Python twins"). This module only keeps the registry and the hook, so that the
kernels need NumPy and Numba alone.

`run(dispatcher, *args)` is how the Python entry points call a fused kernel, `run_small` how a
teaching engine's tiny computation calls one: each asks `choose_twin(dispatcher, args, small)`,
which the warm-up sets (nnterm/warmup/stepping.py), for a function to call in the kernel's
place; None, or no chooser, runs the kernel, as a library user expects.
"""
import numpy as np

_glue: set = set()                  # id() of every glue dispatcher
_kernels: set = set()               # id() of every compiled function (kernel, inlined or glue)
_loaded: set = set()                # (id(dispatcher), argument kinds) found compiled
choose_twin = None


def register_glue(dispatcher) -> None:
    _glue.add(id(dispatcher))


def register_kernel(dispatcher) -> None:
    _kernels.add(id(dispatcher))


def is_glue(value) -> bool:
    return id(value) in _glue


def is_kernel(value) -> bool:
    return id(value) in _kernels


def run(dispatcher, *args):
    chooser = choose_twin
    chosen = chooser(dispatcher, args, False) if chooser is not None else None
    return (chosen or dispatcher)(*args)


def run_small(dispatcher, *args):
    """`run` for a computation small enough to run as Python (a teaching engine's)."""
    chooser = choose_twin
    chosen = chooser(dispatcher, args, True) if chooser is not None else None
    return (chosen or dispatcher)(*args)


# Multiply-adds (rows × parameters) up to which a call may run as its Python twin: a few tenths
# of a second of Python at most. A bigger one (the inspector's unit health over a large training
# set, a trace of a wide network) goes the way `run` goes: compiled, or its stepped twin.
PYTHON_TWIN_WORK = 200_000


def work(args) -> int:
    """A call's size, rows × parameters: the most rows of a 2-D array argument times the largest
    1-D array argument that is not a per-sample buffer (zs, outs, deltas: rows × units, the
    kernel ABI's flat buffers, which a pass fills rather than multiplies by)."""
    arrays = [a for a in args if isinstance(a, np.ndarray)]
    rows = max([a.shape[0] for a in arrays if a.ndim == 2], default=1)
    flat = max([a.shape[0] for a in arrays if a.ndim == 1 and (rows == 1 or a.shape[0] % rows)], default=1)
    return rows * flat


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
