"""Past-tense messages the training thread posts to the app (DESIGN.md §5).

Each carries the trainer generation it came from: a message from a trainer that has since been
rebuilt (new data, new architecture, a loaded preset) is stale and dropped by the app.
"""
from textual.message import Message


class KernelsReady(Message):
    """The warm-up thread finished: the compiled kernels are loaded (or compiled) and fast now."""

    def __init__(self, seconds: float, error: str = "") -> None:
        super().__init__()
        self.seconds = seconds
        self.error = error


class EpochFinished(Message):
    """Epochs finished: open the mailbox for every report since the last look and the latest
    snapshot (nnterm.tui.worker.Mailbox; the latest report wins)."""

    def __init__(self, generation: int, mailbox) -> None:
        super().__init__()
        self.generation = generation
        self.mailbox = mailbox
        self.reports: tuple = ()                  # filled by take()
        self.snapshot = None
        self.epochs_per_second = None

    def take(self) -> bool:
        """Empties the mailbox into this message; False if there was nothing new."""
        reports, self.snapshot, self.epochs_per_second = self.mailbox.take()
        self.reports = tuple(reports)
        return bool(self.reports)

    @property
    def report(self):
        return self.reports[-1]


class SnapshotTaken(Message):
    """A fresh snapshot of a trainer that is not training (after a rebuild, a weight edit, a screen)."""

    def __init__(self, generation: int, snapshot) -> None:
        super().__init__()
        self.generation = generation
        self.snapshot = snapshot


class TrainingStopped(Message):
    """The training thread ended: paused by the user, budget spent, diverged, early-stopped or failed."""

    def __init__(self, generation: int, reason: str, diverged: bool = False, early: bool = False,
                 failed: bool = False) -> None:
        super().__init__()
        self.generation = generation
        self.reason = reason
        self.diverged = diverged              # the weights were rolled back to the last good epoch
        self.early = early                    # early stopping
        self.failed = failed                  # an error, not the training's own verdict
