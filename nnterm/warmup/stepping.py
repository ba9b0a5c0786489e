"""When the kernels' Python entry points run a stepped twin instead of the fused kernel
(nnterm/warmup/twins.py): while a kernel warm-up allows it, and the kernel is not compiled for
the call's arguments yet. Threads, counters, context managers and the twins live on the warm-up's
rung; the kernels only ask their hook, `stepped.choose_twin` (kernels/stepped.py).

    allow_stepping()   while it lasts (the warm-up's whole run), a kernel not compiled yet runs
                       as its twin instead of compiling on the caller's thread
    compiled_only()    in this thread, every call runs the kernel, so that it compiles or loads
                       now: how the warm-up loads the fused kernels
    stepped_only()     in this thread, every call runs the twin, loaded kernel or not: how the
                       warm-up compiles exactly what the twins call
    python_only()      in this thread, every small call (a teaching engine's) runs its Python
                       twin, compiled kernel or not: how the tests compare the two
    keep_python_twins()  from now on, for the process's life, a small call whose kernel is not
                       compiled runs its Python twin, warm-up or not: the teaching screens'
                       computations are tiny, so an interactive process never compiles them
                       on a screen's thread (docs/design.md, "Stepped twins")
"""
import threading
from contextlib import contextmanager

from nnterm.kernels import stepped
from nnterm.warmup import twins

_allowed = [0]                      # how many warm-ups allow stepping now
_python_kept = [False]              # keep_python_twins() was called
_when_missing = [None]              # when_missing(dispatcher, signature): a kernel the twins stand in for
_asked: set = set()                 # (id(dispatcher), argument kinds) already handed to it
_python_until = [None]              # ready() → True once the compiled kernels can be loaded (python_twins_until)
_lock = threading.Lock()
_local = threading.local()


def way(dispatcher, args, small: bool = False) -> str | None:
    """None: the kernel; "stepped": its twin over the compiled leaves; "python": its Python twin."""
    mode = getattr(_local, "mode", None)
    if mode == "python":
        return "python" if small else None
    if mode is not None:
        return "stepped" if mode == "stepped" else None
    if small and _python_kept[0] and not stepped.is_compiled(dispatcher, args):
        return "python"
    until = _python_until[0]
    if (until is not None and not small and not until() and stepped.work(args) <= stepped.PYTHON_TWIN_WORK
            and not stepped.is_compiled(dispatcher, args)):
        return "python"
    if _allowed[0] > 0 and not stepped.is_compiled(dispatcher, args):
        if not small:
            ask_for(dispatcher, args)
        return "python" if small else "stepped"
    return None


def choose_twin(dispatcher, args, small: bool = False):
    """The kernels' hook (kernels/stepped.py): the twin to call in the kernel's place, or None.
    A small call past PYTHON_TWIN_WORK multiply-adds goes the way any call goes."""
    chosen = way(dispatcher, args, small)
    if chosen == "python" and small and stepped.work(args) > stepped.PYTHON_TWIN_WORK:
        chosen = way(dispatcher, args, False)
    if chosen == "python":
        return twins.as_python(dispatcher)
    if chosen == "stepped":
        return twins.twin(dispatcher)
    return None


def on_missing_kernel(listener) -> None:
    """listener(dispatcher, signature) once for each fused kernel a stepped twin stood in for
    because it was not compiled: the warm-up compiles it in the background (lazily: another
    optimizer, float64), and the next call after that runs it."""
    _when_missing[0] = listener


def ask_for(dispatcher, args) -> None:
    listener = _when_missing[0]
    if listener is None:
        return
    key = (id(dispatcher), stepped.argument_kinds(args))
    with _lock:
        if key in _asked:
            return
        _asked.add(key)
    listener(dispatcher, tuple(map(dispatcher.typeof_pyval, args)))


stepped.choose_twin = choose_twin


@contextmanager
def allow_stepping():
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


@contextmanager
def python_twins_until(ready):
    """While it lasts and until ready() says the compiled kernels can be loaded, a call small
    enough (stepped.PYTHON_TWIN_WORK) whose kernel is not compiled runs its Python twin: a
    headless command's first epochs on an empty cache (nnterm/warmup/headless.py)."""
    _python_until[0] = ready
    try:
        yield
    finally:
        _python_until[0] = None


def keep_python_twins() -> None:
    _python_kept[0] = True


def python_only():
    return _thread_mode("python")


def compiled_only():
    return _thread_mode("compiled")


def stepped_only():
    return _thread_mode("stepped")


def stepping_allowed() -> bool:
    return _allowed[0] > 0 and getattr(_local, "mode", None) != "compiled"
