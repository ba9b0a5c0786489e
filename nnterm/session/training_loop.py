"""What the session's training thread does, as plain functions (no textual).

Results go out through `post` as past-tense events (nnterm/session/events.py; docs/design.md,
"The session and its threads").

Latest report wins. Reports go into a Mailbox; the thread posts an EpochFinished only when the
box was empty, i.e. when the UI has taken everything it was sent. A UI busy painting therefore
never has more than one EpochFinished waiting in its queue (keys are never stuck behind a pile
of stale frames), and the thread takes a snapshot only for a box the UI will actually open.
Deliveries are also throttled at the source: at most one every POST_INTERVAL seconds.

nnterm.engine.snapshot (and through it Numba) is imported inside the functions that run in the thread,
never when this module loads: the UI thread's imports are what the first frame waits for.
"""
import threading
import time

from nnterm.session.events import EpochsDone, KernelsReady, SnapshotReady, TrainingStopped
from nnterm.runtime.language import _, ngettext

POST_INTERVAL = 0.1           # ≤ 10 deliveries a second


class Mailbox:
    """Reports since the UI last looked, plus the latest snapshot; shared by one thread and the UI."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reports: list = []
        self.snapshot = None
        self.epochs_per_second = None
        self.measured = None                # (epochs, seconds) the rate is epochs ÷ seconds of
        self.taken_measured = None          # … as of the last take (only the UI takes)

    def empty(self) -> bool:
        with self.lock:
            return not self.reports

    def deliver(self, reports, snapshot, epochs_per_second: float, measured: tuple | None = None) -> bool:
        """Adds reports and replaces the snapshot; True if the box was empty (the UI needs a nudge).
        `measured` is the (epochs, seconds) the rate was measured over, for a person who asks."""
        with self.lock:
            was_empty = not self.reports
            self.reports.extend(reports)
            self.snapshot, self.epochs_per_second, self.measured = snapshot, epochs_per_second, measured
            return was_empty

    def take(self) -> tuple[list, object, float | None]:
        """Everything delivered since the last take (no reports: nothing new)."""
        with self.lock:
            out = (self.reports, self.snapshot, self.epochs_per_second)
            self.taken_measured = self.measured
            self.reports, self.snapshot = [], None
            return out


def report_kernels(warm_up, post) -> None:
    """Waits for the kernel warm-up (nnterm/warmup/kernel_warm_up.py, started at launch) and says when it is done."""
    seconds, error = warm_up.wait()
    post(KernelsReady(seconds, error=error))


def sketch_now(trainer, generation: int, post) -> None:
    """The network drawn before its kernels are loaded: a snapshot without predictions, for data
    that is not a plane (a plane's boundary is the network's predictions). A 784-input CSV's
    evaluation kernels can still be compiling seconds after the file is read; its weights can be
    drawn at once (docs/design.md, "Data")."""
    if trainer.data.raw_2d:
        return
    from nnterm.engine.snapshot import take_snapshot
    post(SnapshotReady(generation, take_snapshot(trainer, compare=False)))


def snapshot_now(trainer, generation: int, post) -> None:
    from nnterm.engine.snapshot import take_snapshot
    post(SnapshotReady(generation, take_snapshot(trainer)))


def budget_left(trainer) -> int:
    return max(0, trainer.preset.training.epochs - trainer.epoch)


def train(trainer, epochs: int | None, generation: int, cancelled, post, clock=time.perf_counter,
          mailbox: Mailbox | None = None, run: int = 0, until=None, kept: list | None = None) -> TrainingStopped:
    """Trains `epochs` epochs — None: up to the budget, read again after every epoch, so a budget
    raised while training counts — stopping between epochs when `cancelled()` says so, or before
    one when `until()` does (a lesson's "train until the loss is below …"). Every report, a
    diverged epoch's too, also goes into `kept`, when given. Returns the TrainingStopped it posts last."""
    from nnterm.engine.snapshot import take_snapshot
    mailbox = mailbox or Mailbox()
    pending, last_post = [], clock()
    stop = None                                    # the stopping report (divergence, early stopping)
    done = 0

    def deliver(now: float, final: bool) -> None:
        nonlocal pending, last_post
        if not pending or not (final or mailbox.empty()):
            return                                 # the UI has not opened the last box yet: keep going
        seconds = max(now - last_post, 1e-9)
        rate = len(pending) / seconds
        if mailbox.deliver(pending, take_snapshot(trainer), rate, (len(pending), seconds)):
            post(EpochsDone(generation, mailbox, run=run))
        pending, last_post = [], now

    def more() -> bool:
        return done < epochs if epochs is not None else budget_left(trainer) > 0

    while more() and not cancelled() and not (until is not None and until()):
        report = trainer.train_epoch()
        if kept is not None:
            kept.append(report)
        if report.stopped:
            stop = report
        if trainer.history and trainer.history[-1] is report:    # a diverged epoch is undone, not reported
            pending.append(report)
            done += 1
        now = clock()
        if stop is not None:
            break
        if now - last_post >= POST_INTERVAL:
            deliver(now, final=False)
    deliver(clock(), final=True)
    stopped = stopped_message(trainer, generation, stop, done, epochs, more() and not (until is not None and until()), run)
    post(stopped)
    return stopped


def stopped_message(trainer, generation: int, stop, done: int, epochs: int | None, unfinished: bool,
                    run: int = 0) -> TrainingStopped:
    if stop is not None:
        diverged = stop.diverged
        return TrainingStopped(generation, stop.reason, diverged=diverged, early=not diverged, run=run)
    if unfinished:
        return TrainingStopped(generation, _("paused at epoch {epoch}").format(epoch=trainer.epoch), run=run)
    if budget_left(trainer) == 0:
        return TrainingStopped(generation, _("finished the budget of {epochs} epochs").format(epochs=trainer.preset.training.epochs), run=run)
    said = (_("stepped to epoch {epoch}").format(epoch=trainer.epoch) if epochs == 1
            else ngettext("trained {count} epoch", "trained {count} epochs", done).format(count=done))
    return TrainingStopped(generation, said,
                           run=run)
