"""When the kernels' Python entry points run a stepped twin instead of the fused kernel
(kernels/stepped.py): while a kernel warm-up allows it, and the kernel is not compiled for the
call's arguments yet. Threads, counters and context managers live here, on the warm-up's rung;
the kernels only ask `stepped.choose_twin`.

    allow_stepping()   while it lasts (the warm-up's whole run), a kernel not compiled yet runs
                       as its twin instead of compiling on the caller's thread
    compiled_only()    in this thread, every call runs the kernel, so that it compiles or loads
                       now: how the warm-up loads the fused kernels
    stepped_only()     in this thread, every call runs the twin, loaded kernel or not: how the
                       warm-up compiles exactly what the twins call
"""
import threading
from contextlib import contextmanager

from nnterm.kernels import stepped

_allowed = [0]                      # how many warm-ups allow stepping now
_lock = threading.Lock()
_local = threading.local()


def choose_twin(dispatcher, args) -> bool:
    mode = getattr(_local, "mode", None)
    if mode is not None:
        return mode == "stepped"
    return _allowed[0] > 0 and not stepped.is_compiled(dispatcher, args)


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


def compiled_only():
    return _thread_mode("compiled")


def stepped_only():
    return _thread_mode("stepped")


def stepping_allowed() -> bool:
    return _allowed[0] > 0 and getattr(_local, "mode", None) != "compiled"
