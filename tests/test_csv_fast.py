"""The fast CSV pass gives what the precise reader gives: the same numbers, labels and row numbers for
every file it reads, the same sentence for a bad cell, and it hands anything unusual (a quote inside a
cell, `1_000`) to the precise reader. Files here are small, so the fast pass is switched on for them
and its chunks made tiny: every chunk boundary falls inside some row."""
import random

import numpy as np
import pytest

from nnterm.data import csv_fast, csv_table
from nnterm.data.csv_fast import ReadingCancelled, Watch
from nnterm.data.csv_table import read_csv, read_inputs
from nnterm.errors import NntermError
from nnterm.kernels import csv_cells  # noqa: F401  imported, so that "the parser is loaded" takes the parser

from test_csv_fuzz import houses, mangle


def read_both(monkeypatch, path, **options):
    """(the precise reader's table or sentence, the fast pass's), the fast one in 7-byte chunks —
    once with the byte parser loaded, once before (numpy reading what is plain whole numbers):
    those two give the same table or the same sentence."""
    outcomes = []
    for fast_from, chunk, loaded in ((1 << 62, csv_fast.CHUNK_BYTES, True), (0, 7, True), (0, 7, False)):
        monkeypatch.setattr(csv_table, "FAST_FROM_BYTES", fast_from)
        monkeypatch.setattr(csv_fast, "CHUNK_BYTES", chunk)
        monkeypatch.setattr(csv_fast, "parser_is_loaded", lambda dispatcher, args, loaded=loaded: loaded)
        try:
            outcomes.append(read_csv(str(path), **options))
        except NntermError as err:
            outcomes.append(str(err))
    precise, fast, before_compiling = outcomes
    assert before_compiling == fast if isinstance(fast, str) else same_table(fast, before_compiling)
    return precise, fast


def same_table(a, b):
    return (isinstance(a, csv_table.CsvTable) and isinstance(b, csv_table.CsvTable)
            and np.array_equal(a.inputs, b.inputs) and np.array_equal(a.targets, b.targets)
            and a.inputs.dtype == b.inputs.dtype and (a.feature_names, a.target_names, a.task, a.class_names)
            == (b.feature_names, b.target_names, b.task, b.class_names))


FILES = {
    "text labels": ("x,y,label\n1,2,cat\n3,4,dog\n5,6,cat\n", {"target": "label"}),
    "semicolons, decimals, regression": ("a;b;y\n0.5;-1.25;3.75\n1e-3;2E2;-0.0\n .5 ; 7. ;1e5\n", {"target": "y"}),
    "tabs, no header": ("1\t2\t0\n3\t4\t1\n5\t6\t0\n", {}),
    "quoted cells": ('"x","y","label"\n"1",2,"a b"\n3,"4",c\n"5" ,6, "d"\n', {"target": "label"}),
    "byte order mark and CRLF": ("\ufeffx,y,c\r\n1,2,0\r\n3,4,1\r\n", {}),
    "blank lines": ("\n\nx,y,c\n\n1,2,0\n,,\n  \n3,4,1\n\n", {}),
    "long digits": ("x,y,c\n3.14159265358979323846,12345678901234567890,0\n1e-30,0.1000000000000000055511151231257827,1\n", {}),
    "ignored text columns": ("name,x,y,c\nann,1,2,0\n\"bo, b\",3,4,1\n", {"columns": "x,y", "target": "c"}),
    "two targets": ("x,a,b\n1,2,3\n4,5,6\n7,8,9.5\n", {"target": "a,b"}),
    "no final newline": ("x,y,c\n1,2,0\n3,4,1", {}),
    "old Mac line ends": ("x,y,c\r1,2,0\r3,4,1\r", {}),
    "a lone carriage return inside": ("x,y,c\n1,2,0\r3,4,1\n5,6,0\n", {}),
}


@pytest.mark.parametrize("name", FILES)
def test_the_fast_pass_reads_what_the_precise_reader_reads(monkeypatch, tmp_path, name):
    text, options = FILES[name]
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode("utf-8"))
    precise, fast = read_both(monkeypatch, path, **options)
    assert same_table(precise, fast), (precise, fast)


@pytest.mark.parametrize("body,expected", [
    ("1,2,0\n3,oops,1\n", 'row 3, column "b": "oops" is not a finite number'),
    ("1,2,0\n3,,1\n", 'row 3, column "b": the value is missing'),
    ("1,2,0\n\n3,NA,1\n", 'row 4, column "b": the value is missing'),
    ("1,2,0\n3,4\n", "row 3 has 2 cells but the header has 3 columns"),
    ("1,2,0\n3,4,1,9\n", "row 3 has 4 cells but the header has 3 columns"),
    ("1,2,0\n3,4e39,1\n", 'row 3, column "b": 4e39 is beyond float32\'s range'),
    ("1,2,0\n3,1e400,1\n", 'row 3, column "b": "1e400" is not a finite number'),
    ("1,2,0\n3,4,\n", 'row 3, column "y": the value is missing'),
    ("1,2,0\n3,inf,1\n", 'row 3, column "b": "inf" is not a finite number'),
    ("1,2,0\n3,4," + "a" * 140_000 + "\n", "row 3: not valid CSV (field larger than field limit"),
    ("1,2,0\n3," + "0" * 140_000 + "1,1\n", "row 3: not valid CSV (field larger than field limit"),
])
def test_a_bad_cell_is_the_same_sentence_from_either_pass(monkeypatch, tmp_path, body, expected):
    path = tmp_path / "bad.csv"
    path.write_text("a,b,y\n" + body)
    precise, fast = read_both(monkeypatch, path, target="y")
    assert precise == fast and expected in fast and fast.startswith(str(path) + ": ")


def test_a_spelling_only_python_reads_goes_to_the_precise_reader(monkeypatch, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text('a,b,y\n1_000,2,0\n3,"4""",1\n5,6,1\n')           # 1_000 is 1000 to Python; "4""" is text
    precise, fast = read_both(monkeypatch, path, target="y")
    assert precise == fast and '"4"" is not a finite number' in fast


def test_inputs_come_in_the_dtype_asked_for_and_round_like_python(monkeypatch, tmp_path):
    rng = np.random.default_rng(3)
    values = rng.normal(0, 1e3, (50, 4))
    path = tmp_path / "v.csv"
    path.write_text("a,b,c,d,y\n" + "".join(",".join(repr(float(v)) for v in row) + f",{i % 2}\n" for i, row in enumerate(values)))
    monkeypatch.setattr(csv_table, "FAST_FROM_BYTES", 0)
    wide = read_csv(str(path), target="y")
    assert wide.inputs.dtype == np.float64 and np.array_equal(wide.inputs, values)     # repr round-trips exactly
    narrow = read_csv(str(path), target="y", dtype=np.float32)
    assert narrow.inputs.dtype == np.float32 and np.array_equal(narrow.inputs, values.astype(np.float32))


def test_predict_inputs_take_the_fast_pass_too(monkeypatch, tmp_path):
    path = tmp_path / "new.csv"
    path.write_text("id,x,y\n7,1.5,2\n\n8,3,4.25\n")
    monkeypatch.setattr(csv_table, "FAST_FROM_BYTES", 0)
    values, lines = read_inputs(str(path), ("y", "x"))
    assert values.tolist() == [[2.0, 1.5], [4.25, 3.0]] and lines == [2, 4]


def test_progress_is_reported_and_esc_stops_the_read(monkeypatch, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("x,y,c\n" + "".join(f"{i},{i * 2},{i % 2}\n" for i in range(2000)))
    monkeypatch.setattr(csv_table, "FAST_FROM_BYTES", 0)
    monkeypatch.setattr(csv_fast, "CHUNK_BYTES", 4096)
    seen = []

    class Counting(Watch):
        def progress(self, rows, done, total):
            seen.append((rows, done, total))

    assert read_csv(str(path), dtype=np.float32, watch=Counting()).inputs.shape == (2000, 2)
    assert len(seen) > 3 and seen[-1] == (2000, path.stat().st_size, path.stat().st_size)
    assert all(a[0] <= b[0] and a[1] <= b[1] for a, b in zip(seen, seen[1:]))

    class Stopping(Watch):
        def cancelled(self):
            return True

    with pytest.raises(ReadingCancelled, match=r"big.csv: reading stopped after [\d,]+ rows; nothing was loaded"):
        read_csv(str(path), watch=Stopping())


def test_fuzzed_files_read_alike_in_both_passes(monkeypatch, tmp_path):
    """Whatever the precise reader makes of a mangled file, the fast pass makes the same table, or
    refuses it too in one sentence naming the file."""
    rng = random.Random("csv-fast-fuzz")
    base = "\n".join(",".join(str(c) for c in row) for row in houses(30)) + "\n"
    path = tmp_path / "fuzz.csv"
    agreed = 0
    for _ in range(300):
        path.write_text(mangle(base, rng), encoding="utf-8")
        options = {"target": rng.choice(["price", "", "rooms", "area,price"]),
                   "task": rng.choice(["auto", "regression", "multiclass"])}
        precise, fast = read_both(monkeypatch, path, **options)
        if isinstance(precise, str):
            assert isinstance(fast, str) and fast.startswith(str(path) + ": "), (precise, fast)
        else:
            assert same_table(precise, fast), (path.read_text(), precise, fast)
            agreed += 1
    assert agreed > 10


def test_the_warm_up_helper_reads_a_file_once_while_it_is_unchanged(monkeypatch, tmp_path):
    path = tmp_path / "kept.csv"
    path.write_text("x,y,c\n1,2,0\n3,4,1\n")
    monkeypatch.setattr(csv_table, "_kept", {})
    assert read_csv(str(path)) is not read_csv(str(path))              # not kept unless asked
    csv_table.keep_last_table()
    first = read_csv(str(path))
    assert read_csv(str(path)) is first and read_csv(str(path), dtype=np.float32) is not first
    path.write_text("x,y,c\n1,2,0\n3,4,1\n5,6,0\n")                   # changed: read again
    assert read_csv(str(path)).inputs.shape == (3, 2)


def test_a_label_that_is_not_utf8_is_the_precise_readers_sentence(monkeypatch, tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"x,y,label\n1,2,caf\xe9\n3,4,tea\n")
    precise, fast = read_both(monkeypatch, path, target="label")
    assert precise == fast and "not a UTF-8 text file" in fast
