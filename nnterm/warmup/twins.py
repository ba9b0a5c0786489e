"""The kernels' twins: their own source run as plain Python, built here and handed to the kernels'
hook (kernels/stepped.py) by the warm-up's chooser (nnterm/warmup/stepping.py).

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

The kernels' entry points call through `stepped.run`; the warm-up's chooser answers with
`twin(dispatcher)` when stepping is allowed and the kernel is not compiled for these argument
types (`stepped.is_compiled`), else with nothing, and the kernel runs.

**Python twins** go one step further, for the teaching engines' tiny computations (one neuron, a
2-D race, one traced sample; `run_small`): every kernel they call, leaves included, runs as
plain Python, so a screen needs nothing compiled at all. The same source then computes with
NumPy scalars in place of Numba's machine numbers, and three things would round differently:
a float or int literal is "weak" in NumPy 2 (float32 · 0.5 stays float32) but a float64 or
int64 in Numba (float32 · 0.5 is float64), so the twin's literals, module constants and scalar
arguments become np.float64 / np.int64; `math.exp` and its kin take a float32 to a float32 in Numba (libm's expf),
so the twin's `math` calls the same libm function for a float32; and Numba's `max`/`min` of a
float32 and a float64 is a float64, so the twin's are too; and Numba raises a float to an
integer power by repeated squaring, not by libm's pow, so the twin's `**` does the same. The twin then does the arithmetic
Numba does, in the same order and precision (tests/test_python_twins.py checks every teaching
engine against its compiled kernels, bit for bit).
"""
import ast
import ctypes
import ctypes.util
import dis
import inspect
import math
import textwrap

import numpy as np

from nnterm.kernels import stepped

_twins: dict = {}                   # id(python function) → its twin
_python_twins: dict = {}            # id(python function) → its Python twin
_python_calls: dict = {}            # id(dispatcher) → its Python twin, called with Numba's argument types


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
        if stepped.is_glue(value):
            scope[name] = _build(value.py_func, building)
    return made


# --- Python twins -------------------------------------------------------------------------------
def python_twin(func):
    """`func` (a dispatcher or its Python function) as plain Python all the way down, with
    Numba's number types (see the module docstring). Made once; published only when whole."""
    func = getattr(func, "py_func", func)
    found = _python_twins.get(id(func))
    if found is None:
        building: dict = {}
        _build_python(func, building)
        for key, made in building.items():
            _python_twins.setdefault(key, made)
        found = _python_twins[id(func)]
    return found


def _numba_constant(value):
    """A literal or module constant as Numba types it: a float is a float64, an int an int64."""
    if type(value) is float:
        return np.float64(value)
    if type(value) is int:
        return np.int64(value)
    if type(value) is tuple:
        return tuple(_numba_constant(v) for v in value)
    return value


def _build_python(func, building: dict):
    found = _python_twins.get(id(func)) or building.get(id(func))
    if found is not None:
        return found
    scope = {name: _numba_constant(value) for name, value in func.__globals__.items()}
    if scope.get("math") is math:
        scope["math"] = NUMBA_MATH
    scope["max"], scope["min"], scope["numba_power"] = numba_max, numba_min, numba_power
    code = _with_numba_power(func)
    code = code.replace(co_consts=tuple(_numba_constant(c) for c in code.co_consts))
    made = type(func)(code, scope, func.__name__, func.__defaults__, func.__closure__)
    building[id(func)] = made                   # before the recursion: a kernel may name itself
    for name, value in list(scope.items()):
        if stepped.is_kernel(value):
            scope[name] = _build_python(value.py_func, building)
    return made


class _PowerAsCall(ast.NodeTransformer):
    def visit_BinOp(self, node):
        self.generic_visit(node)
        if isinstance(node.op, ast.Pow):
            return ast.copy_location(ast.Call(ast.Name("numba_power", ast.Load()), [node.left, node.right], []), node)
        return node


def _with_numba_power(func):
    """func's code, with every `a ** b` made numba_power(a, b) (only where it has one)."""
    if not _raises_to_a_power(func.__code__):      # most kernels: no source to read and parse
        return func.__code__
    source = inspect.getsource(func)
    tree = ast.parse(textwrap.dedent(source))
    definition = tree.body[0]
    definition.decorator_list = []
    tree = ast.fix_missing_locations(_PowerAsCall().visit(tree))
    made: dict = {}
    exec(compile(tree, func.__code__.co_filename, "exec"), dict(func.__globals__), made)
    return made[func.__name__].__code__


def _raises_to_a_power(code) -> bool:
    """Whether the compiled code (or code nested in it) has a `**`: its bytecode, read cheaply."""
    for op in dis.get_instructions(code):
        if op.opname in ("BINARY_POWER", "INPLACE_POWER") or (op.opname == "BINARY_OP" and "**" in op.argrepr):
            return True
    return any(_raises_to_a_power(c) for c in code.co_consts if isinstance(c, type(code)))


def numba_power(a, b):
    """a ** b as Numba compiles it: an integer power by squaring (numba.cpython.numbers.int_power_impl)."""
    if not isinstance(b, (int, np.integer)) or isinstance(b, bool):
        return a ** b
    kind = a.dtype.type if isinstance(a, np.generic) else (np.float64 if isinstance(a, float) else np.int64)
    r, a, exp = kind(1), kind(a), int(b)
    invert = exp < 0
    exp = -exp if invert else exp
    if exp > 0x10000:
        return kind(math.pow(a, float(b)))
    while exp != 0:
        if exp & 1:
            r *= a
        exp >>= 1
        a *= a
    return kind(1.0) / r if invert else r


def _unified(value, args):
    """`value` (one of `args`) in the type Numba gives max/min of `args`: their common type."""
    kind = np.result_type(*args)
    return kind.type(value) if kind.kind in "fiu" else value


_max, _min = max, min


def numba_max(*args):
    return _unified(_max(*args), args)


def numba_min(*args):
    return _unified(_min(*args), args)


class _NumbaMath:
    """`math` as Numba compiles it: a float32 argument gives a float32, by libm's float32
    function (expf, logf, …) as Numba's machine code calls it; anything else is Python's math."""

    def __init__(self) -> None:
        found = ctypes.util.find_library("m")
        libm = None
        try:
            libm = ctypes.CDLL(found) if found else ctypes.CDLL(None)
        except OSError:
            pass
        for name in ("exp", "log", "log1p", "tanh", "sqrt"):
            setattr(self, name, self._both(name, getattr(math, name), libm))

    @staticmethod
    def _both(name, of_double, libm):
        single = getattr(libm, name + "f", None) if libm is not None else None
        if single is not None:
            single.restype, single.argtypes = ctypes.c_float, [ctypes.c_float]

        def call(x):
            if isinstance(x, np.float32):
                if single is None:                   # no libm to ask: NumPy's own float32 function
                    return getattr(np, name)(x)
                return np.float32(single(x))
            try:
                return np.float64(of_double(x))
            except (OverflowError, ValueError):      # Python raises where Numba gives inf or NaN
                return getattr(np, name)(np.float64(x))
        return call

    def __getattr__(self, name):
        return getattr(math, name)


NUMBA_MATH = _NumbaMath()


def as_python(dispatcher):
    """A function that runs `dispatcher`'s Python twin on a call's arguments as Numba types them,
    with Numba's error_model="numpy": inf and NaN, silently."""
    found = _python_calls.get(id(dispatcher))
    if found is None:
        made = python_twin(dispatcher)

        def found(*args):
            with np.errstate(all="ignore"):
                return made(*(_numba_constant(a) for a in args))
        _python_calls[id(dispatcher)] = found
    return found
