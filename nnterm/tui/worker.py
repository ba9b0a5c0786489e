"""What the training thread does, as plain functions the app runs inside a Textual thread worker.

No widget is touched here: results go out through `post` as past-tense messages (DESIGN.md §5).
Posts are throttled at the source — at most one every POST_INTERVAL seconds — and each carries
every report since the previous post (for the loss chart) plus one snapshot of the latest
weights (for the views): the latest report wins.
"""
import time

from nnterm.tui.messages import EpochFinished, KernelsReady, SnapshotTaken, TrainingStopped

POST_INTERVAL = 0.05          # ≤ 20 posts a second


def take_snapshot(trainer):
    """A read-only copy of what the views draw (nnterm.snapshot, the visuals engineer's module)."""
    try:
        from nnterm.snapshot import take_snapshot as snapshot
    except ImportError:       # the views have not landed yet: the panels draw from reports alone
        return None
    return snapshot(trainer)


def warm_up(trainer, post) -> None:
    """Loads (or, the first time, compiles) every kernel the playground calls, on a throw-away
    network over the same data, so the real trainer's first epoch and the UI never wait for Numba."""
    from nnterm.trainer import Trainer
    start = time.perf_counter()
    try:
        scratch = Trainer(trainer.preset, seed=trainer.seed, data=trainer.data)
        scratch.step()
        take_snapshot(scratch)
        post(KernelsReady(time.perf_counter() - start))
    except Exception as err:                       # shown to the user; training will say it again
        post(KernelsReady(time.perf_counter() - start, error=f"{err.__class__.__name__}: {err}"))


def snapshot_now(trainer, generation: int, post) -> None:
    post(SnapshotTaken(generation, take_snapshot(trainer)))


def budget_left(trainer) -> int:
    return max(0, trainer.preset.training.epochs - trainer.epoch)


def train(trainer, epochs: int, generation: int, cancelled, post, clock=time.perf_counter) -> None:
    """Trains up to `epochs` epochs, stopping between epochs when `cancelled()` says so."""
    pending, last_post = [], clock()
    stop = None                                    # the stopping report (divergence, early stopping)
    done = 0

    def flush(now: float) -> None:
        nonlocal pending, last_post
        if pending:
            rate = len(pending) / max(now - last_post, 1e-9)
            post(EpochFinished(generation, tuple(pending), take_snapshot(trainer), rate))
        pending, last_post = [], now

    while done < epochs and not cancelled():
        report = trainer.step()
        if report.stopped:
            stop = report
        if trainer.history and trainer.history[-1] is report:    # a diverged epoch is undone, not reported
            pending.append(report)
            done += 1
        now = clock()
        if stop is not None or now - last_post >= POST_INTERVAL:
            flush(now)
        if stop is not None:
            break
    flush(clock())
    post(stopped_message(trainer, generation, stop, done, epochs))


def stopped_message(trainer, generation: int, stop, done: int, epochs: int) -> TrainingStopped:
    if stop is not None:
        diverged = not trainer.history or trainer.history[-1] is not stop
        return TrainingStopped(generation, stop.reason, diverged=diverged, early=not diverged)
    if done < epochs:
        return TrainingStopped(generation, f"paused at epoch {trainer.epoch}")
    if budget_left(trainer) == 0:
        return TrainingStopped(generation, f"finished the budget of {trainer.preset.training.epochs} epochs")
    return TrainingStopped(generation, f"stepped to epoch {trainer.epoch}" if epochs == 1 else f"trained {done} epochs")
