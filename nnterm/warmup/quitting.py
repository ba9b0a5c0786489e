"""Ending a process whose threads may be compiling kernels.

Numba compiles in the calling thread, and the warm-up's thread (or a training thread) can be in
the middle of one when a person quits. Python's shutdown then runs LLVM's static destructors
under a thread still inside LLVM, and LLVM stops the process with an assertion ("Aborted",
status 134) instead of exiting 0. So quitting first stops the warm-up (no next step starts; the
helper process is told to exit), then takes Numba's compiler lock — every compile and every
cache load runs under it — and keeps it, so that no compile can start again before the
process ends. If a compile still holds the lock after `QUIT_WAIT` seconds, the process leaves at
once with os._exit, after flushing its output: nnterm writes every file atomically (a
temporary name, then a rename, docs/design.md "Files"), and so does Numba's cache, so nothing
half-written is left behind.
"""
import os
import sys

from nnterm.errors import NntermError

QUIT_WAIT = 1.0        # seconds a quit waits for the compile in flight before leaving without it


def compiles_stopped(warm_up=None, wait: float = QUIT_WAIT) -> bool:
    """True once no compile runs and none can start again in this process; False if one was
    still running after `wait` seconds (then leave with leave_now)."""
    if warm_up is not None:
        warm_up.stop(0)
    if "numba" not in sys.modules:              # nothing was ever compiled here
        return True
    from numba.core.compiler_lock import global_compiler_lock
    return global_compiler_lock._lock.acquire(timeout=wait)     # kept: released only by the exit


def leave_now(code: int) -> None:
    """Ends the process with `code` without Python's shutdown (a compile is still running)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def quit_cleanly(code: int, warm_up=None) -> int:
    """What an interactive command returns once its screens are closed: `code`, after making
    sure that the process can end without a compile running (or ending it at once)."""
    if not compiles_stopped(warm_up):
        leave_now(code)
    return code


def stop_before_saying(sentence: str, warm_up) -> NntermError:
    """A reading's sentence (a big CSV that failed or was stopped) as the error the command line
    prints, once no compile runs: when one still does after a second, the sentence is printed
    here and the process leaves at once with status 2."""
    if warm_up is not None and not compiles_stopped(warm_up):
        from nnterm.runtime.language import _
        from nnterm.runtime.visible import visible
        print(_("nnterm: {message}").format(message=visible(sentence)), file=sys.stderr)   # as nnterm/cli.py says it
        leave_now(2)
    return NntermError(sentence)
