"""What the session's threads say, in the past tense: plain objects, no textual.

Each carries the trainer generation it came from, and a training thread's events the number of
its run (Session numbers every run from 1). `Session.receive` drops a report from a trainer that
has since been rebuilt or reset, so a stale report never reaches a screen, and knows a late
event from an earlier run for what it is: its "stopped" never ends the run now going, and its
failure is said as a Notice, never dropped. The TUI wraps each in one Textual message
(nnterm/tui/messages.py).
"""
from dataclasses import dataclass, field


@dataclass
class KernelsReady:
    """The warm-up finished: the compiled kernels are loaded (or compiled) and fast now."""
    seconds: float
    error: str = ""


@dataclass
class EpochsDone:
    """Epochs finished: `take()` empties the mailbox into `reports` and `snapshot` (the latest
    report wins; nnterm/session/training_loop.py explains the mailbox)."""
    generation: int
    mailbox: object
    reports: tuple = ()
    snapshot: object = None
    epochs_per_second: float | None = None
    measured: tuple | None = None           # (epochs, seconds) of that rate
    run: int = 0                            # the training run it came from

    def take(self) -> bool:
        """Empties the mailbox into this event; False if there was nothing new."""
        reports, self.snapshot, self.epochs_per_second = self.mailbox.take()
        self.measured = getattr(self.mailbox, "taken_measured", None)
        self.reports = tuple(reports)
        return bool(self.reports)

    @property
    def report(self):
        return self.reports[-1]


@dataclass
class SnapshotReady:
    """A fresh snapshot of a trainer that is not training (after a rebuild, an edit, a screen)."""
    generation: int
    snapshot: object


@dataclass
class TrainingStopped:
    """The training thread ended: paused, budget spent, diverged, early-stopped or failed."""
    generation: int
    reason: str
    diverged: bool = False        # the weights were rolled back to the last good epoch
    early: bool = False           # early stopping
    failed: bool = False          # an error, not the training's own verdict
    run: int = 0                  # the training run that ended


@dataclass
class Notice:
    """Something the session says on its own, not as a verb's answer: a pause that outlived its
    wait, an earlier run's failure that arrived after a rebuild."""
    said: str
    error: bool = False


@dataclass(frozen=True)
class Change:
    """What a session verb did, in one sentence. `error`: refused, nothing changed; `rebuilt`:
    a new trainer (fresh weights, and new data unless the data stayed)."""
    said: str
    error: bool = False
    rebuilt: bool = False
    paused: bool = False          # training was running and the verb paused it
    extra: dict = field(default_factory=dict)
