"""What a CSV cell and a header are, and the sentences that name a bad one by file, row and column.

Shared by the precise reader (nnterm/data/csv_table.py) and the fast one (nnterm/data/csv_fast.py),
so both say the same thing about the same cell; the rules themselves are listed in csv_table's
docstring.
"""
from nnterm.runtime.language import _
import math

import numpy as np

from nnterm.errors import NntermError

MISSING = {"", "na", "n/a", "nan", "null", "none", "?"}
FLOAT32_MAX = float(np.finfo(np.float32).max)
DELIMITERS = (",", ";", "\t")


def delimiter_of(first_line: str) -> str:
    """The one of `,` `;` tab that the first line uses most (comma when it has none)."""
    return max(DELIMITERS, key=first_line.count) if any(d in first_line for d in DELIMITERS) else ","


def parse_number(cell: str) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def is_missing(cell: str) -> bool:
    return cell.strip().lower() in MISSING


def listed(names, at_most: int = 8) -> str:
    """The first few names, then "…": a sentence stays one line even for a 200,000-column header."""
    names = list(names)
    return ", ".join(names[:at_most]) + (f", … ({len(names)} in all)" if len(names) > at_most else "")


def cell_of(path: str, header: list[str], line: int, cells: list[str], col: int) -> str:
    """The cell in column `col` of row `line`, or a sentence: a short or long row, a missing value."""
    if len(cells) != len(header):
        end = min(len(cells), len(header))
        if len(cells) < len(header):
            sentence = _("{path}: row {line} has {cells_count} cells but the header has {header_count} columns (it ends after column {end}, \"{column}\")")
        else:
            sentence = _("{path}: row {line} has {cells_count} cells but the header has {header_count} columns (it goes past column {end}, \"{column}\")")
        raise NntermError(sentence.format(path=path, line=line, cells_count=len(cells), header_count=len(header), end=end, column=header[end - 1]))
    cell = cells[col]
    if is_missing(cell):
        raise NntermError(_("{path}: row {line}, column \"{column}\": the value is missing; fill it in or remove the row").format(path=path, line=line, column=header[col]))
    return cell


def number_of(path: str, header: list[str], line: int, cells: list[str], col: int, role: str) -> float:
    return value_of(path, header[col], line, cell_of(path, header, line, cells, col), role)


def value_of(path: str, name: str, line: int, cell: str, role: str) -> float:
    """A present cell of column `name` as a number within float32's range, or the sentence."""
    value = parse_number(cell)
    if value is None:
        raise NntermError(_("{path}: row {line}, column \"{name}\": \"{cell}\" is not a finite number; {role} must be numeric").format(path=path, line=line, name=name, cell=cell, role=role))
    if abs(value) > FLOAT32_MAX:
        raise NntermError(_("{path}: row {line}, column \"{name}\": {cell} is beyond float32's range (±{FLOAT32_MAX:.1e}); rescale the column, e.g. to thousands or millions").format(path=path, line=line, name=name, cell=cell, FLOAT32_MAX=FLOAT32_MAX))
    return value


def looks_like_header(first: list[str], second: list[str] | None) -> bool:
    text = [parse_number(cell) is None for cell in first]
    if all(text) or second is None:
        return any(text)
    return any(is_text and i < len(second) and parse_number(second[i]) is not None for i, is_text in enumerate(text))


def header_of(rows) -> tuple[list[str], bool]:
    """(column names, whether the first row is a header rather than data)."""
    first = rows[0][1]
    has_header = looks_like_header(first, rows[1][1] if len(rows) > 1 else None)
    return (first if has_header else [str(i + 1) for i in range(len(first))]), has_header
