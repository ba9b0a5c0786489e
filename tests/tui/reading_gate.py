"""A fixture both reading-screen test files use: the read is held at its first progress report,
so a test sees the app mid-read and opens the gate when it has looked."""
import threading

import pytest

from nnterm.tui.reading_screen import ReadingWatch


@pytest.fixture
def gated(monkeypatch):
    """Each progress report waits for the test to open the gate (30 s at most: never a hang)."""
    gate, shown = threading.Event(), threading.Event()
    report = ReadingWatch.progress

    def progress(self, rows, done, total):
        report(self, rows, done, total)
        shown.set()
        gate.wait(30)
    monkeypatch.setattr(ReadingWatch, "progress", progress)
    return gate, shown
