"""`nnterm tui`'s start: the kernel warm-up, and a big CSV read behind its reading screen, in
the order that lets them overlap.

A big CSV's warm-up starts before the file is read, on a stand-in of its header's shape
(stand_in.from_header): on an empty cache the training kernels then compile in the helper
process while this one reads, instead of after the read (the 784-input CSV's network came
2–3 s after its read); this process's own share waits for the read's end, so that the CSV
parser's compile never waits behind it (kernel_warm_up.KernelWarmUp.hold_until_after). A file whose header gives no stand-in is read first, and its warm-up
started on its real rows, as any other preset's is started at once.

The helper processes yield to the read while it lasts (nice HELPER_NICE, as each does for
itself once the fused epoch is compiled): on two cores the read and two compiling helpers are
three processes, and at equal priority the read got two thirds of a core (the 133 MB CSV took
17 s to read on an empty cache, 1.6 s alone). Niced, the read keeps a core — the scheduler's
weights are 1024 to 335 — and the helpers still compile on what is left. Once read, they get
their priority back where the system lets a process raise one (it does not for an ordinary
user: they then stay niced, as they would after the fused epoch anyway).
"""
import os
import threading

from nnterm.errors import NntermError
from nnterm.warmup.kernel_warm_up import HELPER_NICE, start_warm_up
from nnterm.warmup.stand_in import from_header


def read_while_warming_up(preset, read_first=None):
    """(trainer, warm-up): the trainer read behind the reading screen (or a sentence saying why
    not), or None for a preset whose data is built in the app; the warm-up started, or None
    when the reading failed before one was. `read_first(preset)`: the reading (the TUI probe's
    observes it), by default nnterm/tui/reading_screen.py's."""
    from nnterm.commands.reading_progress import reads_a_big_file
    if not reads_a_big_file(preset):
        return None, start_warm_up(preset)       # loads the kernels while Textual paints
    if read_first is None:
        from nnterm.tui.reading_screen import read_first
    stand_in, read = from_header(preset), threading.Event()
    warm_up = start_warm_up(preset, data=stand_in, after=read) if stand_in is not None else None
    if warm_up is not None:
        threading.Thread(target=helpers_yield_to_the_read, args=(warm_up, read), name="nnterm-helpers-yield",
                         daemon=True).start()
    try:
        trainer = read_first(preset)             # behind a screen that says how far it is
    finally:
        read.set()                               # this process's share of the warm-up may compile now
    if warm_up is None and not isinstance(trainer, str):
        warm_up = start_warm_up(preset, data=trainer.data)
    return trainer, warm_up


HELPER_LOOK = 0.05          # seconds between two looks for a helper just started


def helpers_yield_to_the_read(warm_up, read: threading.Event) -> None:
    """Each helper the warm-up starts is niced until `read` is set (see the module), then given
    its priority back where that is allowed."""
    added = {}                                   # pid → the nice added here
    while True:
        for helper in warm_up.helpers():
            pid = helper.process.pid
            if pid not in added:
                before = priority_of(pid)
                added[pid] = max(0, HELPER_NICE - before)
                set_priority(pid, before + added[pid])
        if read.wait(HELPER_LOOK):
            break
    for pid, nice in added.items():              # only what was added: a helper past the fused epoch
        if nice:                                 # has niced itself meanwhile, and stays so
            set_priority(pid, priority_of(pid) - nice)


def priority_of(pid: int) -> int:
    try:
        return os.getpriority(os.PRIO_PROCESS, pid)
    except (OSError, AttributeError):            # gone already; or no priorities here (not a Unix)
        return 0


def set_priority(pid: int, nice: int) -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, pid, nice)
    except (OSError, AttributeError):            # gone, or not ours to raise: it stays as it is
        pass


def stop_before_saying(sentence: str, warm_up) -> NntermError:
    """The reading's sentence as the error the command line prints, once no compile runs (a
    compile running while Python shuts down aborts the process): when one still does after a
    second, the sentence is printed here and the process leaves at once with status 2."""
    from nnterm.warmup.quitting import compiles_stopped, leave_now
    if warm_up is not None and not compiles_stopped(warm_up):
        import sys

        from nnterm.runtime.language import _
        from nnterm.runtime.visible import visible
        print(_("nnterm: {message}").format(message=visible(sentence)), file=sys.stderr)   # as nnterm/cli.py says it
        leave_now(2)
    return NntermError(sentence)
