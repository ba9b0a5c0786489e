"""Until the byte parser is loaded, numpy reads lines of plain whole numbers: exactly what the
parser writes for them, and None — the parser's turn — for anything else in the lines."""
import numpy as np
import pytest

from nnterm.data.csv_fast import parser_is_loaded
from nnterm.data.csv_whole_numbers import parse_whole_numbers
from nnterm.kernels import csv_cells


def both(text: str, columns: int = 3, inputs_at=(1, 2), targets_at=(0,), dtype=np.float32):
    """(numpy's (rows, offset, line), its arrays), (the parser's status, rows, offset, line, its arrays)."""
    buf = np.frombuffer(text.encode(), dtype=np.uint8)
    outs = []
    for _ in range(2):
        outs.append((np.zeros((8, len(inputs_at)), dtype), np.zeros((8, len(targets_at), 2), np.int64),
                     np.zeros(8, np.int64)))
    got = parse_whole_numbers(buf, 0, buf.size, ord(","), columns, list(inputs_at), list(targets_at), *outs[0], 0, 2)
    roles = np.full(columns, csv_cells.IGNORED, dtype=np.int64)
    roles[list(inputs_at)] = np.arange(len(inputs_at))
    roles[list(targets_at)] = csv_cells.TARGET - np.arange(len(targets_at))
    status, rows, offset, line, _column, _hard = csv_cells.parse_rows(
        buf, 0, buf.size, ord(","), roles, *outs[1][:3], np.zeros((4, 4), np.int64), 0, 2)
    return got, outs[0], (status, rows, offset, line), outs[1]


@pytest.mark.parametrize("text", ["7,0,255\n3,16777217,999999999\n", "1,2,3\n4,5,6", "0,00,007\n"])
def test_plain_whole_numbers_are_what_the_parser_writes(text):
    got, ours, parsed, theirs = both(text)
    assert parsed[0] == csv_cells.OK and got == parsed[1:]
    rows = got[0]
    for mine, its in zip(ours, theirs):
        assert np.array_equal(mine[:rows], its[:rows])


def test_ignored_columns_and_a_float64_array():
    got, ours, parsed, theirs = both("5,1,2,9\n6,3,4,8\n", columns=4, inputs_at=(3, 1), targets_at=(0,), dtype=np.float64)
    assert got == parsed[1:] and np.array_equal(ours[0][:2], [[9, 1], [8, 3]]) and np.array_equal(ours[0], theirs[0])


@pytest.mark.parametrize("text,stop", [(text, None) for text in (
    "1,-2,3\n", "1,2.5,3\n", "1, 2,3\n", '1,"2",3\n', "1,2,3\r\n", "1,2,3\n\n4,5,6\n", "1,,3\n", "1,2\n", "1,2,3,4\n",
    "1,1234567890,3\n", "a,2,3\n")] + [("1,2,3\n4,5,6\n", 9)])              # the last: it stops inside a line
def test_anything_else_is_the_parsers_turn(text, stop):
    buf = np.frombuffer(text.encode(), dtype=np.uint8)
    values, spans, lines = np.zeros((8, 2), np.float32), np.zeros((8, 1, 2), np.int64), np.zeros(8, np.int64)
    stop = buf.size if stop is None else stop
    assert parse_whole_numbers(buf, 0, stop, ord(","), 3, [1, 2], [0], values, spans, lines, 0, 2) is None


def test_the_parser_counts_as_loaded_once_called_with_those_types():
    buf = np.frombuffer(b"1,2,3\n", dtype=np.uint8)                 # read-only, as a file's bytes are
    args = (buf, 0, buf.size, ord(","), np.array([csv_cells.TARGET, 0, 1]), np.zeros((2, 2), np.float32),
            np.zeros((2, 1, 2), np.int64), np.zeros(2, np.int64), np.zeros((4, 4), np.int64), 0, 2)
    csv_cells.parse_rows(*args)
    assert parser_is_loaded(csv_cells.parse_rows, args)
