"""A big CSV read on the command line says how far it is — rows, MB, how to stop — on a terminal
only, and wipes the line when done, so the command's own output starts clean."""
import io

import numpy as np

from nnterm.commands import reading_progress
from nnterm.data import csv_fast, csv_table
from nnterm.data.csv_table import read_csv


class Terminal(io.StringIO):
    def isatty(self):
        return True


def big_file(path, rows=3000):
    path.write_text("x,y,c\n" + "".join(f"{i},{i * 2},{i % 2}\n" for i in range(rows)))
    return path


def test_the_progress_line_names_the_file_rows_and_megabytes_then_goes(tmp_path, monkeypatch):
    path = big_file(tmp_path / "big.csv")
    terminal = Terminal()
    monkeypatch.setattr(reading_progress.sys, "stderr", terminal)
    monkeypatch.setattr(reading_progress, "PROGRESS_FROM_BYTES", 0)
    monkeypatch.setattr(reading_progress, "REDRAW_SECONDS", 0.0)
    monkeypatch.setattr(csv_table, "FAST_FROM_BYTES", 0)
    monkeypatch.setattr(csv_fast, "CHUNK_BYTES", 8192)
    monkeypatch.setattr(csv_fast, "_watchers", [])
    reading_progress.show_reading_progress()
    reading_progress.show_reading_progress()                       # once, however often it is asked
    assert read_csv(str(path), dtype=np.float32).inputs.shape == (3000, 2)
    drawn = terminal.getvalue().split("\r")
    lines = [d.strip() for d in drawn if d.strip()]
    assert lines and all(line.startswith(f"nnterm: reading {path}: ") and line.endswith(" MB (Ctrl+C stops)")
                         for line in lines)
    assert any(" rows, 0 / 0 MB" in line for line in lines)
    assert drawn[-1] == "" and drawn[-2].strip() == ""            # wiped at the end


def test_no_progress_line_off_a_terminal_or_for_a_small_file(tmp_path, monkeypatch):
    path = big_file(tmp_path / "big.csv")
    pipe = io.StringIO()
    monkeypatch.setattr(reading_progress.sys, "stderr", pipe)
    monkeypatch.setattr(csv_table, "FAST_FROM_BYTES", 0)
    monkeypatch.setattr(csv_fast, "_watchers", [])
    reading_progress.show_reading_progress()
    read_csv(str(path))
    assert pipe.getvalue() == ""
    assert reading_progress.make_watch(str(path), 1000) is None


def test_a_refused_file_wipes_the_line_before_its_sentence(tmp_path, monkeypatch):
    import pytest

    from nnterm.errors import NntermError
    path = big_file(tmp_path / "bad.csv")
    path.write_text(path.read_text() + "1,oops,0\n")
    terminal = Terminal()
    monkeypatch.setattr(reading_progress.sys, "stderr", terminal)
    monkeypatch.setattr(reading_progress, "PROGRESS_FROM_BYTES", 0)
    monkeypatch.setattr(reading_progress, "REDRAW_SECONDS", 0.0)
    monkeypatch.setattr(csv_table, "FAST_FROM_BYTES", 0)
    monkeypatch.setattr(csv_fast, "CHUNK_BYTES", 8192)
    monkeypatch.setattr(csv_fast, "_watchers", [])
    reading_progress.show_reading_progress()
    with pytest.raises(NntermError, match='row 3002, column "y": "oops" is not a finite number'):
        read_csv(str(path))
    drawn = terminal.getvalue().split("\r")
    assert "rows," in terminal.getvalue() and drawn[-1] == "" and drawn[-2].strip() == ""
