"""Loading (or, the first time, compiling) the kernels in a background thread, from launch.

With a warm cache, loading the kernels still costs about half a second of Python: Numba's
import, its registries (and scipy's BLAS bindings) on the first cached load, one cache lookup
per kernel. `nnterm tui` starts this thread before Textual is even imported, so that work
overlaps Textual's import and first paint instead of following them; the app waits on it only
when the first epoch is asked for. Both halves hold the GIL most of the time, so the gain is
in ordering, not in parallelism: together with a lighter first frame (no double focus, one
footer recompose), the TUI's first xor epoch went from 1.41–1.48 s after launch to 1.09–1.20 s
(`nnterm bench --startup`, warm cache, 2 cores; 0.95–1.25 s with the later kernel work).

Engine side: no textual. The thread trains one epoch of a throw-away trainer on the same
preset and takes one snapshot, so every kernel the playground calls (train_epoch,
evaluate_loss, predict, forward) is loaded before the real trainer needs it; the real
trainer's weights and optimizer state are never touched.
"""
import threading
import time


class KernelWarmUp:
    """`KernelWarmUp(preset).start()`; later `wait()` → (seconds it took, error sentence or "")."""

    def __init__(self, preset, data=None) -> None:
        self.preset, self.data = preset, data
        self.done = threading.Event()
        self.seconds = 0.0
        self.error = ""
        self.thread = threading.Thread(target=self.run, name="nnterm-kernel-warm-up", daemon=True)

    def start(self) -> "KernelWarmUp":
        self.thread.start()
        return self

    def run(self) -> None:
        start = time.perf_counter()
        try:
            from nnterm.engine.snapshot import take_snapshot
            from nnterm.engine.trainer import Trainer
            scratch = Trainer(self.preset, data=self.data)
            scratch.train_epoch()
            take_snapshot(scratch)
        except Exception as err:                   # shown to the user; training will say it again
            self.error = f"{err.__class__.__name__}: {err}"
        finally:
            self.seconds = time.perf_counter() - start
            self.done.set()

    def wait(self) -> tuple[float, str]:
        self.done.wait()
        return self.seconds, self.error


def start_warm_up(preset, data=None) -> KernelWarmUp:
    return KernelWarmUp(preset, data).start()
