"""`nnterm tui`'s start: the kernel warm-up, and a big CSV read behind its reading box, in the
order that lets them overlap.

A big CSV's warm-up starts before the file is read, on a stand-in of its header's shape
(stand_in.from_header): on an empty cache the training kernels then compile in the helper
process while this one reads, instead of after the read (the 784-input CSV's network came
2–3 s after its read); this process's own share waits for the read's end, so that the CSV
parser's compile never waits behind it (kernel_warm_up.KernelWarmUp.hold_until_after).

The playground opens at once on a trainer over that stand-in, and the file is read in a thread
(nnterm/session/background_read.py) behind a box over it (nnterm/tui/reading_screen.py): the
network's weights depend on the seed and the layer sizes alone, so the network drawn before the
read ends is the one the read data's trainer starts from. Reading first in an app of its own,
then starting the playground's, put that network 2.3–3.2 s after the first frame (0.5–1 s of it
Textual's second start), where pandas reads the file in 1.6–2.0 s. A file whose header gives no
stand-in is read first, and its warm-up started on its real rows, as any other preset's is
started at once.

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

from nnterm.warmup.kernel_warm_up import HELPER_NICE, start_warm_up
from nnterm.warmup.stand_in import from_header


def read_while_warming_up(preset, read_first=None):
    """(trainer, warm-up, reading), by what the preset reads:
    - a small file or none: (None, the warm-up started, None); the app builds the data;
    - a big CSV whose header gives a stand-in: (a trainer on the stand-in, the warm-up started on
      it, a BackgroundRead): the app opens on that trainer and reads the file behind its reading
      box; this process's share of the warm-up waits for the read's end;
    - a big CSV without: (the trainer read behind the reading screen, or a sentence saying why
      not; the warm-up started on its rows, or None when the reading failed; None).
    `read_first(preset)`: that last reading (the TUI probe's observes it), by default
    nnterm/tui/reading_screen.py's."""
    from nnterm.commands.reading_progress import reads_a_big_file
    if not reads_a_big_file(preset):
        return None, start_warm_up(preset), None       # loads the kernels while Textual paints
    stand_in = from_header(preset)
    if stand_in is not None:
        from nnterm.engine.trainer import Trainer
        from nnterm.session.background_read import BackgroundRead
        read = threading.Event()
        warm_up = start_warm_up(preset, data=stand_in, after=read)
        threading.Thread(target=helpers_yield_to_the_read, args=(warm_up, read), name="nnterm-helpers-yield",
                         daemon=True).start()
        # Started by its box, after the playground's first frame: started before Textual, the read
        # and Textual's start shared the GIL and the first frame came 0.3–0.5 s later (1.15–1.47 s
        # from the spawn against 0.82–1.00), the read ending no sooner.
        return Trainer(preset, data=stand_in), warm_up, BackgroundRead(preset, finished=read)
    if read_first is None:
        from nnterm.tui.reading_screen import read_first
    trainer = read_first(preset)                       # behind a screen that says how far it is
    return trainer, (None if isinstance(trainer, str) else start_warm_up(preset, data=trainer.data)), None


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
