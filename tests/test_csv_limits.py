"""Files that are too big for the machine: a 200,000-column header is read in linear time (a hang
guard, not a timing), its duplicate names still named; a CSV that would need more than the memory
budget is refused before it is read, in one sentence naming its size and the budget."""
import threading

import numpy as np
import pytest

from nnterm.data import csv_budget, csv_table
from nnterm.data.csv_table import read_csv, read_inputs
from nnterm.errors import NntermError

WIDE = 200_000


def finishes(work, seconds=120):
    """work()'s result or exception, or a failure when it does not end: a guard against a hang."""
    out = {}

    def run():
        try:
            out["value"] = work()
        except Exception as err:          # noqa: BLE001 — handed back to the test
            out["error"] = err
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in out:
        raise out["error"]
    return out["value"]


def wide_file(path, names):
    path.write_text(",".join(names) + "\n" + ",".join("1" for _ in names) + "\n" + ",".join("0" for _ in names) + "\n")
    return str(path)


def test_a_200000_column_header_is_read_not_stuck(tmp_path):
    names = [f"c{i}" for i in range(WIDE)]
    path = wide_file(tmp_path / "wide.csv", names)
    table = finishes(lambda: read_csv(path, target=names[-1]))
    assert table.inputs.shape == (2, WIDE - 1)
    values, _ = finishes(lambda: read_inputs(path, tuple(names[:-1])))
    assert values.shape == (2, WIDE - 1)


def test_a_name_used_twice_in_a_wide_header_is_named_in_one_short_line(tmp_path):
    names = [f"c{i}" for i in range(WIDE)]
    names[-2] = "c7"
    path = wide_file(tmp_path / "twice.csv", names)
    with pytest.raises(NntermError) as err:
        finishes(lambda: read_csv(path))
    assert str(err.value) == f'{path}: row 1, column {WIDE - 1}: the name "c7" is used twice; give each column its own name'
    with pytest.raises(NntermError) as err:
        finishes(lambda: read_csv(wide_file(tmp_path / "w.csv", [f"c{i}" for i in range(WIDE)]), target="nope"))
    assert f"… ({WIDE} in all)" in str(err.value) and len(str(err.value)) < 300


def pixels_file(path, rows=3000, columns=100):
    rng = np.random.default_rng(0)
    lines = ["label," + ",".join(f"p{i}" for i in range(columns))]
    lines += [f"{i % 10}," + ",".join(map(str, row)) for i, row in enumerate(rng.integers(0, 256, (rows, columns)).tolist())]
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_a_csv_beyond_the_memory_budget_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = pixels_file(tmp_path / "pixels.csv")                       # about 1.1 MB: the fast pass's size
    monkeypatch.setattr(csv_table, "FAST_FROM_BYTES", 0)
    monkeypatch.setattr(csv_budget, "machine_memory", lambda: 4_000_000)
    opened = []
    monkeypatch.setattr(csv_table, "read_bytes", lambda *a: opened.append(a))
    monkeypatch.setattr(csv_table, "read_fast", lambda *a: opened.append(a))
    with pytest.raises(NntermError) as err:
        read_csv(path, target="label", dtype=np.float32)
    message = str(err.value)
    assert message.startswith(f"{path}: 1 MB with about 303,") and "cells would need about 4 MB of memory" in message
    assert "more than nnterm's budget of 2 MB (50% of this machine's 4 MB); use fewer rows or columns" in message
    assert not opened


def test_within_the_budget_the_same_file_reads(tmp_path, monkeypatch):
    path = pixels_file(tmp_path / "pixels.csv")
    monkeypatch.setattr(csv_table, "FAST_FROM_BYTES", 0)
    monkeypatch.setattr(csv_budget, "machine_memory", lambda: 20_000_000)
    assert read_csv(path, target="label", dtype=np.float32).inputs.shape == (3000, 100)


def test_a_file_the_fast_pass_gives_up_on_is_budgeted_as_the_precise_reader_needs(tmp_path, monkeypatch):
    path = pixels_file(tmp_path / "pixels.csv")
    text = open(path).read().replace("\n5,", '\n"5""",', 1)           # a quote inside a cell: cell by cell
    open(path, "w").write(text)
    monkeypatch.setattr(csv_table, "FAST_FROM_BYTES", 0)
    monkeypatch.setattr(csv_budget, "machine_memory", lambda: 20_000_000)
    with pytest.raises(NntermError, match=r"would need about 2\d MB of memory read cell by cell \(it is not plainly "
                                          r"numbered\), more than nnterm's budget of 10 MB"):
        read_csv(path, target="label", dtype=np.float32)
