"""Your own data: a CSV file → numeric inputs and targets, or one sentence naming file, row and column.

    table = read_csv("houses.csv", target="price")            # task inferred
    table.inputs (n, d) float64, table.targets (n,) class indices or (n, k) values

Rules, in the order a user meets them:
- The delimiter is the one of `,` `;` tab that the first line uses most (comma by default).
- The first row is a header when all its cells are text, or when a column holds text there and
  a number in the next row (csv.Sniffer's idea); otherwise the columns are named by their number,
  "1", "2", … (so `target = "3"` works for a file without a header, text labels and all).
- Blank lines are skipped; every other row must have one cell per column.
- Input cells must be finite numbers within float32's range (±3.4e38: beyond it the squares
  standardising takes overflow). Empty cells and NA, N/A, NaN, null, None, ? are missing.
- Task "auto": several target columns, or a numeric target that is not whole numbers or has
  more than MAX_AUTO_CLASSES values, is regression; anything else is classification (text
  labels included), binary for two classes and multiclass for more. A target column that is
  numeric and regression-like but for a few text cells (at most TYPO_SHARE of its rows) is
  refused naming those cells: a typo must not turn prices into dozens of classes.
Rows are counted as the file's lines are (the header is row 1), so an editor's line numbers
point at the cell.
"""
import csv
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnterm.errors import NntermError
from nnterm.runtime.reading import read_regular

MISSING = {"", "na", "n/a", "nan", "null", "none", "?"}
MAX_AUTO_CLASSES = 20
FLOAT32_MAX = float(np.finfo(np.float32).max)
TYPO_SHARE = 0.05
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class CsvTable:
    inputs: np.ndarray                 # (n, d) float64
    targets: np.ndarray                # (n,) int64 class indices, or (n, k) float64 for regression
    feature_names: tuple[str, ...]
    target_names: tuple[str, ...]
    task: str                          # "binary", "multiclass" or "regression"
    class_names: tuple[str, ...]       # class index → the label in the file; () for regression

    @property
    def n_classes(self) -> int:
        return len(self.class_names)


def split_names(text: str) -> list[str]:
    """`"a, b"` → ["a", "b"]: the comma-separated column lists of a preset."""
    return [name.strip() for name in text.split(",") if name.strip()]


def parse_number(cell: str) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def is_missing(cell: str) -> bool:
    return cell.strip().lower() in MISSING


def read_rows(path: str, where: str) -> list[tuple[int, list[str]]]:
    """[(row number, cells), ...] for every non-blank line of the file."""
    if not path:
        raise NntermError(f'{where}: data.kind = "csv" needs data.path, the CSV file to read')
    file = Path(path)
    if not os.path.lexists(file):
        raise NntermError(f"{path}: no such CSV file (data.path is read relative to {Path.cwd()})")
    try:
        text = read_regular(file).decode("utf-8-sig")      # a FIFO or a device is refused, never waited on
    except UnicodeDecodeError as err:
        raise NntermError(f"{path}: not a UTF-8 text file (byte {err.start}); save the CSV as UTF-8") from None
    except OSError as err:
        raise NntermError(f"{path}: cannot read the file ({err.strerror or err.__class__.__name__})") from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(DELIMITERS, key=first_line.count) if any(d in first_line for d in DELIMITERS) else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            if cells and any(c.strip() for c in cells):
                rows.append((reader.line_num, [c.strip() for c in cells]))
    except csv.Error as err:
        raise NntermError(f"{path}: row {reader.line_num}: not valid CSV ({err})") from None
    if not rows:
        raise NntermError(f"{path}: the file is empty; a CSV needs a row per sample, with a header row naming the columns")
    return rows


def check_unique_names(path: str, header: list[str]) -> None:
    for i, name in enumerate(header):
        if header.index(name) != i:
            raise NntermError(f'{path}: row 1, column {i + 1}: the name "{name}" is used twice; give each column its own name')


def cell_of(path: str, header: list[str], line: int, cells: list[str], col: int) -> str:
    """The cell in column `col` of row `line`, or a sentence: a short or long row, a missing value."""
    if len(cells) != len(header):
        end = min(len(cells), len(header))
        raise NntermError(f'{path}: row {line} has {len(cells)} cells but the header has {len(header)} columns '
                          f'(it {"ends after" if len(cells) < len(header) else "goes past"} column {end}, "{header[end - 1]}")')
    cell = cells[col]
    if is_missing(cell):
        raise NntermError(f'{path}: row {line}, column "{header[col]}": the value is missing; fill it in or remove the row')
    return cell


def number_of(path: str, header: list[str], line: int, cells: list[str], col: int, role: str) -> float:
    cell = cell_of(path, header, line, cells, col)
    value = parse_number(cell)
    if value is None:
        raise NntermError(f'{path}: row {line}, column "{header[col]}": "{cell}" is not a finite number; {role} must be numeric')
    if abs(value) > FLOAT32_MAX:
        raise NntermError(f'{path}: row {line}, column "{header[col]}": {cell} is beyond float32\'s range '
                          f"(±{FLOAT32_MAX:.1e}); rescale the column, e.g. to thousands or millions")
    return value


def pick_columns(path: str, header: list[str], target: str, columns: str) -> tuple[list[int], list[int]]:
    """(input column indices, target column indices), named by the preset's `columns` and `target`."""
    check_unique_names(path, header)

    def index_of(name: str, key: str) -> int:
        if name not in header:
            raise NntermError(f'{path}: row 1 (the header) has no column "{name}" (data.{key}); '
                              f'the columns are {", ".join(header)}')
        return header.index(name)

    targets = [index_of(name, "target") for name in split_names(target)] or [len(header) - 1]
    if columns.strip():
        inputs = [index_of(name, "columns") for name in split_names(columns)]
        clash = next((i for i in inputs if i in targets), None)
        if clash is not None:
            raise NntermError(f'{path}: column "{header[clash]}" is both an input (data.columns) and a target (data.target)')
    else:
        inputs = [i for i in range(len(header)) if i not in targets]
    if not inputs:
        raise NntermError(f"{path}: no input columns are left besides the target {', '.join(header[t] for t in targets)}; "
                          "a CSV needs at least one input column")
    return inputs, targets


def header_of(rows) -> tuple[list[str], bool]:
    """(column names, whether the first row is a header rather than data)."""
    first = rows[0][1]
    has_header = looks_like_header(first, rows[1][1] if len(rows) > 1 else None)
    return (first if has_header else [str(i + 1) for i in range(len(first))]), has_header


def column_names(path: str, where: str = "preset") -> tuple[str, ...]:
    """The columns a preset's `target` and `columns` may name (for a picker, say)."""
    return tuple(header_of(read_rows(path, where))[0])


def read_csv(path: str, target: str = "", columns: str = "", task: str = "auto", where: str = "preset") -> CsvTable:
    rows = read_rows(path, where)
    header, has_header = header_of(rows)
    body = rows[1:] if has_header else rows
    if not body:
        raise NntermError(f"{path}: the file has a header but no data rows")
    inputs_at, targets_at = pick_columns(path, header, target, columns)
    cell_at = lambda line, cells, col: cell_of(path, header, line, cells, col)
    number_at = lambda line, cells, col, role: number_of(path, header, line, cells, col, role)
    inputs = np.array([[number_at(line, cells, c, "input columns") for c in inputs_at] for line, cells in body],
                      dtype=np.float64).reshape(len(body), len(inputs_at))
    raw_targets = [[cell_at(line, cells, c) for c in targets_at] for line, cells in body]
    names_in, names_out = tuple(header[c] for c in inputs_at), tuple(header[c] for c in targets_at)
    task = infer_task(path, raw_targets, names_out, task, [line for line, _ in body])
    if task == "regression":
        values = np.array([[number_at(line, cells, c, "regression targets") for c in targets_at] for line, cells in body],
                          dtype=np.float64)
        return CsvTable(inputs, values, names_in, names_out, task, ())
    labels = [r[0] for r in raw_targets]
    class_names = class_order(labels)
    index = {name: i for i, name in enumerate(class_names)}
    targets = np.array([index[label_key(label)] for label in labels], dtype=np.int64)
    lines = f"rows {body[0][0]} … {body[-1][0]}"
    if len(class_names) < 2:
        raise NntermError(f'{path}: column "{names_out[0]}" has only one class ("{class_names[0]}") in {lines}; '
                          "a classifier needs at least two (or set data.task = \"regression\")")
    if task == "binary" and len(class_names) != 2:
        raise NntermError(f'{path}: data.task = "binary" but column "{names_out[0]}" has {len(class_names)} classes '
                          f'({", ".join(class_names[:6])}{", …" if len(class_names) > 6 else ""}) in {lines}')
    if task == "classification":                    # auto: the class count decides
        task = "binary" if len(class_names) == 2 else "multiclass"
    return CsvTable(inputs, targets, names_in, names_out, task, class_names)


def read_inputs(path: str, names: tuple[str, ...], where: str = "--input") -> tuple[np.ndarray, list[int]]:
    """New rows for a trained network: the columns `names`, found by name (others are ignored),
    → ((n, len(names)) float64, each row's number in the file). Every cell must be a finite number."""
    rows = read_rows(path, where)
    header, has_header = header_of(rows)
    check_unique_names(path, header)
    body = rows[1:] if has_header else rows
    if not body:
        raise NntermError(f"{path}: the file has a header but no data rows")
    absent = [name for name in names if name not in header]
    if absent:
        listed = lambda items: ", ".join(items[:8]) + (", …" if len(items) > 8 else "")
        raise NntermError(f'{path}: row 1 (the header) has no column "{absent[0]}"'
                          f'{f" (nor {len(absent) - 1} more)" if len(absent) > 1 else ""}; the network takes the columns '
                          f'{listed(names)}, by name, and the file has {listed(header)}')
    at = [header.index(name) for name in names]
    values = np.array([[number_of(path, header, line, cells, c, "input columns") for c in at] for line, cells in body],
                      dtype=np.float64).reshape(len(body), len(at))
    return values, [line for line, _ in body]


def looks_like_header(first: list[str], second: list[str] | None) -> bool:
    text = [parse_number(cell) is None for cell in first]
    if all(text) or second is None:
        return any(text)
    return any(is_text and i < len(second) and parse_number(second[i]) is not None for i, is_text in enumerate(text))


def label_key(label: str) -> str:
    """One spelling per class: "1", "1.0" and "01" are the same number; text stays as written."""
    value = parse_number(label)
    if value is None:
        return label
    return str(int(value)) if value.is_integer() else repr(value)


def class_order(labels: list[str]) -> tuple[str, ...]:
    """Class names in a stable order: numerically when every label is a number, else alphabetically."""
    keys = sorted({label_key(label) for label in labels})
    if all(parse_number(k) is not None for k in keys):
        keys.sort(key=float)
    return tuple(keys)


def infer_task(path: str, raw_targets: list[list[str]], names: tuple[str, ...], task: str, lines: list[int]) -> str:
    """The preset's task, checked against the target columns. "auto" gives "regression" or
    "classification" (binary or multiclass, once the classes are counted), as the module says."""
    if len(names) > 1:
        if task not in ("auto", "regression"):
            raise NntermError(f'{path}: data.task = "{task}" takes one target column, but data.target names '
                              f'{len(names)} ({", ".join(names)}); only regression takes several')
        return "regression"
    if task != "auto":
        return task
    values = [parse_number(r[0]) for r in raw_targets]
    numbers = {v for v in values if v is not None}
    regression_like = bool(numbers) and (not all(v.is_integer() for v in numbers) or len(numbers) > MAX_AUTO_CLASSES)
    text = [(line, r[0]) for line, r, v in zip(lines, raw_targets, values) if v is None]
    if not text:
        return "regression" if regression_like else "classification"
    if regression_like and len(text) <= max(1, TYPO_SHARE * len(values)):
        shown = ", ".join(f'row {line} ("{cell}")' for line, cell in text[:5]) + (", …" if len(text) > 5 else "")
        raise NntermError(f'{path}: column "{names[0]}" holds numbers except in {len(text)} of {len(values)} rows: '
                          f'{shown}; fix those cells, or set data.task = "multiclass" to treat every value as a class')
    return "classification"
