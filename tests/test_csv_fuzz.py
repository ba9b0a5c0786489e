"""Hostile CSVs: cells beyond float32's range and typos in a regression target are named by file,
row and column; a seeded fuzzer over mangled files ends in a table or one sentence, never
another exception, and a table it gives holds only finite numbers."""
import random

import numpy as np
import pytest

from nnterm.data.csv_table import read_csv
from nnterm.errors import NntermError


def write(path, rows):
    path.write_text("\n".join(",".join(str(c) for c in row) for row in rows) + "\n")
    return str(path)


def houses(n=60, seed=0):
    rng = np.random.default_rng(seed)
    rows = [["rooms", "area", "price"]]
    for _ in range(n):
        rooms, area = int(rng.integers(1, 7)), float(rng.uniform(30, 200))
        rows.append([rooms, f"{area:.1f}", f"{1000 * area + 5000 * rooms + rng.normal(0, 100):.2f}"])
    return rows


@pytest.mark.parametrize("cell", ["1e154", "-3.5e38", "1e300", "4e38"])
def test_cells_beyond_float32_are_refused_with_row_and_column(cell, tmp_path):
    rows = houses()
    rows[7][1] = cell
    with pytest.raises(NntermError, match=rf'row 8, column "area": {cell} is beyond float32\'s range'):
        read_csv(write(tmp_path / "h.csv", rows), target="price")


def test_a_huge_target_cell_is_refused_too(tmp_path):
    rows = houses()
    rows[3][2] = "1e200"
    with pytest.raises(NntermError, match=r'row 4, column "price": 1e200 is beyond'):
        read_csv(write(tmp_path / "h.csv", rows), target="price")


def test_a_typo_in_a_regression_target_names_the_cells(tmp_path):
    rows = houses()
    rows[5][2], rows[20][2] = "12O000", "n/k"
    with pytest.raises(NntermError) as err:
        read_csv(write(tmp_path / "h.csv", rows), target="price")
    message = str(err.value)
    assert 'column "price" holds numbers except in 2 of 60 rows' in message
    assert 'row 6 ("12O000")' in message and 'row 21 ("n/k")' in message and "\n" not in message


def test_text_labels_are_still_classes_and_an_explicit_task_wins(tmp_path):
    rows = [["x", "label"]] + [[i, "cat" if i % 2 else "dog"] for i in range(40)]
    assert read_csv(write(tmp_path / "c.csv", rows), target="label").task == "binary"
    rows = houses()
    rows[5][2] = "oops"
    table = read_csv(write(tmp_path / "h.csv", rows), target="price", task="multiclass")
    assert table.task == "multiclass"


def mangle(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    for _ in range(rng.randint(1, 5)):
        i = rng.randrange(len(lines))
        action = rng.random()
        cells = lines[i].split(",")
        if action < 0.45:
            cells[rng.randrange(len(cells))] = rng.choice(
                ["", "nan", "inf", "-inf", "1e400", "1e154", "3.5e38", "-1e39", "x", "1,5", '"', '"a""b"', "NA", "?",
                 "0x1p3", "1_000", "١٢٣", "\x00", "  ", "1e-400", "True", "∞", "9" * 400])
        elif action < 0.6:
            cells = cells[:-1] if len(cells) > 1 else cells + ["1"]
        elif action < 0.7:
            cells.append(rng.choice(["1", ""]))
        elif action < 0.8:
            lines.insert(i, rng.choice(["", ";;;", "\t", "a;b;c", "#comment"]))
            continue
        elif action < 0.9:
            del lines[i]
            if not lines:
                return ""
            continue
        else:
            lines[i] = lines[i][:rng.randrange(len(lines[i]) + 1)]
            continue
        lines[i] = ",".join(cells)
    return "\n".join(lines) + rng.choice(["\n", "", "\r\n"])


def test_csv_fuzzer(tmp_path):
    rng = random.Random("csv-fuzz")
    base = "\n".join(",".join(str(c) for c in row) for row in houses(30)) + "\n"
    path = tmp_path / "fuzz.csv"
    read, refused = 0, 0
    for _ in range(600):
        path.write_text(mangle(base, rng), encoding="utf-8")
        target = rng.choice(["price", "", "rooms", "area,price", "nope"])
        task = rng.choice(["auto", "auto", "regression", "binary", "multiclass"])
        try:
            table = read_csv(str(path), target=target, task=task)
        except NntermError as err:
            assert str(err) and str(path) in str(err)
            refused += 1
            continue
        read += 1
        assert np.isfinite(table.inputs).all() and np.abs(table.inputs).max() <= 3.5e38
        if table.task == "regression":
            assert np.isfinite(table.targets).all()
    assert read > 15 and refused > 300
