"""One line on stderr the first time a headless command has to compile kernels.

With an empty cache Numba compiles every kernel the command calls (about 10 s for `nnterm train`
on an idle core; cached after), and a command that prints nothing for that long looks hung.
Numba announces a real compile — not a load from its cache — with a "numba:compile" event;
the first one prints the line. stderr, so `--json` output stays clean. The TUI says it in its
status line instead.
"""
import sys

from numba.core import event
from nnterm.runtime.language import N_, _

MESSAGE = N_("nnterm: compiling the kernels (the first run only; they are cached for next time)…")


class FirstCompileNotice(event.Listener):
    def __init__(self) -> None:
        self.said = False

    def on_start(self, _event) -> None:
        if not self.said:
            self.said = True
            print(_(MESSAGE), file=sys.stderr, flush=True)

    def on_end(self, _event) -> None:
        pass


_notice: FirstCompileNotice | None = None


def say_cache_problem(sentence: str) -> None:
    print(_("nnterm: {message}").format(message=sentence), file=sys.stderr, flush=True)


def announce_compiles() -> FirstCompileNotice:
    """Listens for the rest of the process; once per process, however often it is called
    (cli.main may run several commands in one process: tests do). A kernel cache that cannot
    be read or written (kernels/jit.py) is said the same way, one line per problem."""
    global _notice
    if _notice is None:
        from nnterm.kernels.jit import on_cache_problem
        _notice = FirstCompileNotice()
        event.register("numba:compile", _notice)
        on_cache_problem(say_cache_problem)
    return _notice
