"""Fixtures the reading-screen test files share: the read held at its first progress report,
so a test sees the app mid-read and opens the gate when it has looked; and a preset whose CSV
counts as big."""
import threading

import pytest

from nnterm.commands import reading_progress
from nnterm.data import csv_fast, csv_table
from nnterm.session import background_read
from nnterm.session.background_read import ReadingWatch


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


@pytest.fixture
def pixels_preset_file(tmp_path, monkeypatch):
    """A 16-pixel, 3-class CSV read in small chunks, counted as big; its preset as a TOML file."""
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    monkeypatch.setattr(reading_progress, "PROGRESS_FROM_BYTES", 0)
    monkeypatch.setattr(csv_table, "FAST_FROM_BYTES", 0)
    monkeypatch.setattr(csv_fast, "CHUNK_BYTES", 2048)
    monkeypatch.setattr(csv_fast, "_watchers", [background_read.watch_of_the_read])
    data = tmp_path / "pixels.csv"
    data.write_text("label," + ",".join(f"p{i}" for i in range(16)) + "\n"
                    + "".join(f"{i % 3}," + ",".join(str((i * k) % 256) for k in range(16)) + "\n" for i in range(3000)))
    preset = tmp_path / "pixels.toml"
    preset.write_text(f'name = "pixels"\n[data]\nkind = "csv"\npath = "{data}"\ntarget = "label"\n'
                      '[network]\nlayers = [{units = 8, activation = "relu"}, {units = 3, activation = "softmax"}]\n')
    return str(preset)
