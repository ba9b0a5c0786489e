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
    """One or more epochs finished since the last post; the latest snapshot wins."""

    def __init__(self, generation: int, reports: tuple, snapshot, epochs_per_second: float) -> None:
        super().__init__()
        self.generation = generation
        self.reports = reports                    # every EpochReport since the last post, oldest first
        self.snapshot = snapshot                  # nnterm.snapshot.Snapshot of the weights after the last one
        self.epochs_per_second = epochs_per_second

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
    """The training thread ended: paused by the user, budget spent, diverged or early-stopped."""

    def __init__(self, generation: int, reason: str, diverged: bool = False, early: bool = False) -> None:
        super().__init__()
        self.generation = generation
        self.reason = reason
        self.diverged = diverged
        self.early = early
