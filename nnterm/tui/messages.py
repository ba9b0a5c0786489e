"""The one Textual message the session's threads send: an event from nnterm/session/events.py.

The session's threads call `App.post_message` (thread-safe, never blocking) with a
SessionEvent; the app hands the event to `Session.receive` on the UI thread and routes what
comes back to the screen (docs/design.md, "The session and its threads").
"""
from textual.message import Message


class SessionEvent(Message):
    """KernelsReady, EpochsDone, SnapshotReady, TrainingStopped or Notice, from a session thread."""

    def __init__(self, event) -> None:
        super().__init__()
        self.event = event
