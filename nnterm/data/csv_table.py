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
from nnterm.runtime.language import _
import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnterm.data.csv_budget import HEAD_BYTES, check_budget
from nnterm.data.csv_fast import Cells, Watch, read_fast, read_head
from nnterm.data.csv_rules import (cell_of, delimiter_of, header_of, listed, number_of, parse_number,
                                   value_of)
from nnterm.errors import NntermError
from nnterm.runtime.reading import open_regular

MAX_AUTO_CLASSES = 20
FAST_FROM_BYTES = 1 << 20      # below a megabyte the precise reader takes well under a second and no kernel compiles
TYPO_SHARE = 0.05


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




def csv_file(path: str, where: str) -> Path:
    if not path:
        raise NntermError(_("{where}: data.kind = \"csv\" needs data.path, the CSV file to read").format(where=where))
    file = Path(path)
    if not os.path.lexists(file):
        raise NntermError(_("{path}: no such CSV file (data.path is read relative to {folder})").format(path=path, folder=Path.cwd()))
    return file


def cannot_read(path: str, err: OSError) -> NntermError:
    return NntermError(_("{path}: cannot read the file ({reason})").format(path=path, reason=err.strerror or err.__class__.__name__))


def open_csv(path: str, where: str):
    """The file, open for reading bytes: the one place a CSV is opened."""
    return open_regular(csv_file(path, where))      # a FIFO or a device is refused, never waited on


def peek(path: str, where: str) -> tuple[int, bytes]:
    """(the file's size, its first HEAD_BYTES): enough to judge the memory it needs before reading it."""
    try:
        with open_csv(path, where) as file:
            return os.fstat(file.fileno()).st_size, file.read(HEAD_BYTES)
    except OSError as err:
        raise cannot_read(path, err) from None


def read_bytes(path: str, where: str) -> bytes:
    """The whole file, or the sentence: no path, no such file, unreadable."""
    try:
        with open_csv(path, where) as file:
            return file.read()
    except OSError as err:
        raise cannot_read(path, err) from None


def read_rows(path: str, data: bytes) -> list[tuple[int, list[str]]]:
    """[(row number, cells), ...] for every non-blank line of the file's bytes `data`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise NntermError(_("{path}: not a UTF-8 text file (byte {start}); save the CSV as UTF-8").format(path=path, start=err.start)) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")      # line ends as Python's text files read them
    delimiter = delimiter_of(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            if cells and any(c.strip() for c in cells):
                rows.append((reader.line_num, [c.strip() for c in cells]))
    except csv.Error as err:
        raise NntermError(_("{path}: row {line_num}: not valid CSV ({err})").format(path=path, line_num=reader.line_num, err=err)) from None
    if not rows:
        raise NntermError(_("{path}: the file is empty; a CSV needs a row per sample, with a header row naming the columns").format(path=path))
    return rows


def check_unique_names(path: str, header: list[str]) -> dict[str, int]:
    """{name: column index}, built in one pass (a 200,000-column header in milliseconds, not
    minutes), or the sentence naming the first name used twice."""
    at: dict[str, int] = {}
    for i, name in enumerate(header):
        if at.setdefault(name, i) != i:
            raise NntermError(_("{path}: row 1, column {column}: the name \"{name}\" is used twice; give each column its own name").format(path=path, column=i + 1, name=name))
    return at




def pick_columns(path: str, header: list[str], target: str, columns: str) -> tuple[list[int], list[int]]:
    """(input column indices, target column indices), named by the preset's `columns` and `target`."""
    at = check_unique_names(path, header)

    def index_of(name: str, key: str) -> int:
        if name not in at:
            raise NntermError(_("{path}: row 1 (the header) has no column \"{name}\" (data.{key}); the columns are {columns}").format(path=path, name=name, key=key, columns=listed(header)))
        return at[name]

    targets = [index_of(name, "target") for name in split_names(target)] or [len(header) - 1]
    target_set = set(targets)
    if columns.strip():
        inputs = [index_of(name, "columns") for name in split_names(columns)]
        clash = next((i for i in inputs if i in target_set), None)
        if clash is not None:
            raise NntermError(_("{path}: column \"{column}\" is both an input (data.columns) and a target (data.target)").format(path=path, column=header[clash]))
    else:
        inputs = [i for i in range(len(header)) if i not in target_set]
    if not inputs:
        raise NntermError(_("{path}: no input columns are left besides the target {targets}; a CSV needs at least one input column").format(path=path, targets=', '.join(header[t] for t in targets)))
    return inputs, targets



def column_names(path: str, where: str = "preset") -> tuple[str, ...]:
    """The columns a preset's `target` and `columns` may name (for a picker, say)."""
    try:
        with open_csv(path, where) as file:
            _size, _encoding, head = read_head(file)                    # the first two rows, not the whole file
    except OSError as err:
        raise cannot_read(path, err) from None
    if head is not None:
        return tuple(header_of([(line, cells) for line, cells, _raw in head[1]])[0])
    return tuple(header_of(read_rows(path, read_bytes(path, where)))[0])


def read_cells(path: str, where: str, choose, dtype=np.float64, watch: Watch | None = None) -> Cells:
    """The file's body: the fast pass when the file is big enough to need it, else (or when it gives
    up) the precise reader. `choose(header)` → (input columns, target columns) or a sentence."""
    size, head = peek(path, where)
    big = size >= FAST_FROM_BYTES
    delimiter = delimiter_of(head.split(b"\n", 1)[0].decode("utf-8", "replace"))
    if big:
        check_budget(path, size, head, delimiter, np.dtype(dtype).itemsize)
    if big:
        try:
            with open_csv(path, where) as file:
                cells = read_fast(path, file, size, choose, dtype, watch)
        except OSError as err:
            raise cannot_read(path, err) from None
        if cells is not None:
            return cells
        check_budget(path, size, head, delimiter, np.dtype(dtype).itemsize, precise=True)
    data = read_bytes(path, where)
    rows = read_rows(path, data)
    header, has_header = header_of(rows)
    body = rows[1:] if has_header else rows
    if not body:
        raise NntermError(_("{path}: the file has a header but no data rows").format(path=path))
    inputs_at, targets_at = choose(header)
    inputs = np.array([[number_of(path, header, line, cells, c, _("input columns")) for c in inputs_at]
                       for line, cells in body], dtype=dtype).reshape(len(body), len(inputs_at))
    targets = [[cell_of(path, header, line, cells, c) for c in targets_at] for line, cells in body]
    return Cells(header, inputs_at, targets_at, inputs, targets, [line for line, _cells in body])


_kept: dict = {}            # the last table read, by what it was read from, when keep_last_table() asked


def keep_last_table() -> None:
    """From now on the last table read is kept and given again while its file is unchanged: for the
    kernel warm-up's helper process, whose every scratch trainer would otherwise read the file anew."""
    _kept["on"] = True


def read_csv(path: str, target: str = "", columns: str = "", task: str = "auto", where: str = "preset",
             dtype=np.float64, watch: Watch | None = None) -> CsvTable:
    """`dtype`: the inputs' (the network's, so a big file is held once); `watch`: progress and Esc."""
    if not _kept:
        return read_table(path, target, columns, task, where, dtype, watch)
    try:
        stat = os.stat(path)
    except OSError:
        return read_table(path, target, columns, task, where, dtype, watch)
    key = (path, stat.st_ino, stat.st_size, stat.st_mtime_ns, target, columns, task, np.dtype(dtype).name)
    if _kept.get("key") != key:
        _kept.pop("table", None)                    # one table held at a time
        _kept["table"], _kept["key"] = read_table(path, target, columns, task, where, dtype, watch), key
    return _kept["table"]


def read_table(path: str, target: str, columns: str, task: str, where: str, dtype, watch: Watch | None) -> CsvTable:
    cells = read_cells(path, where, lambda header: pick_columns(path, header, target, columns), dtype, watch)
    header, raw_targets, body_lines = cells.header, cells.targets, cells.lines
    names_in, names_out = tuple(header[c] for c in cells.inputs_at), tuple(header[c] for c in cells.targets_at)
    inputs = cells.inputs
    task = infer_task(path, raw_targets, names_out, task, body_lines)
    if task == "regression":
        values = np.array([[value_of(path, name, line, cell, _("regression targets")) for name, cell in zip(names_out, row)]
                           for line, row in zip(body_lines, raw_targets)], dtype=np.float64)
        return CsvTable(inputs, values, names_in, names_out, task, ())
    labels = [r[0] for r in raw_targets]
    class_names = class_order(labels)
    index = {name: i for i, name in enumerate(class_names)}
    at = {label: index[label_key(label)] for label in set(labels)}      # each spelling once: 60,000 labels, ten keys
    targets = np.array([at[label] for label in labels], dtype=np.int64)
    lines = f"rows {body_lines[0]} … {body_lines[-1]}"
    if len(class_names) < 2:
        raise NntermError(_("{path}: column \"{column}\" has only one class (\"{class_name}\") in {lines}; a classifier needs at least two (or set data.task = \"regression\")").format(path=path, column=names_out[0], class_name=class_names[0], lines=lines))
    if task == "binary" and len(class_names) != 2:
        raise NntermError(_("{path}: data.task = \"binary\" but column \"{column}\" has {class_names_count} classes ({classes}) in {lines}").format(path=path, column=names_out[0], class_names_count=len(class_names), classes=", ".join(class_names[:6]) + (", …" if len(class_names) > 6 else ""), lines=lines))
    if task == "classification":                    # auto: the class count decides
        task = "binary" if len(class_names) == 2 else "multiclass"
    return CsvTable(inputs, targets, names_in, names_out, task, class_names)


def read_inputs(path: str, names: tuple[str, ...], where: str = "--input") -> tuple[np.ndarray, list[int]]:
    """New rows for a trained network: the columns `names`, found by name (others are ignored),
    → ((n, len(names)) float64, each row's number in the file). Every cell must be a finite number."""
    def choose(header):
        index = check_unique_names(path, header)
        absent = [name for name in names if name not in index]
        if absent:
            if len(absent) > 1:
                sentence = _("{path}: row 1 (the header) has no column \"{column}\" (nor {count} more); the network takes the columns {wanted}, by name, and the file has {columns}")
            else:
                sentence = _("{path}: row 1 (the header) has no column \"{column}\"; the network takes the columns {wanted}, by name, and the file has {columns}")
            raise NntermError(sentence.format(path=path, column=absent[0], count=len(absent) - 1, wanted=listed(names), columns=listed(header)))
        return [index[name] for name in names], []

    cells = read_cells(path, where, choose)
    return cells.inputs, cells.lines


def label_key(label: str) -> str:
    """One spelling per class: "1", "1.0" and "01" are the same number; text stays as written."""
    value = parse_number(label)
    if value is None:
        return label
    return str(int(value)) if value.is_integer() else repr(value)


def class_order(labels: list[str]) -> tuple[str, ...]:
    """Class names in a stable order: numerically when every label is a number, else alphabetically."""
    keys = sorted({label_key(label) for label in set(labels)})
    if all(parse_number(k) is not None for k in keys):
        keys.sort(key=float)
    return tuple(keys)


def infer_task(path: str, raw_targets: list[list[str]], names: tuple[str, ...], task: str, lines: list[int]) -> str:
    """The preset's task, checked against the target columns. "auto" gives "regression" or
    "classification" (binary or multiclass, once the classes are counted), as the module says."""
    if len(names) > 1:
        if task not in ("auto", "regression"):
            raise NntermError(_("{path}: data.task = \"{task}\" takes one target column, but data.target names {names_count} ({columns}); only regression takes several").format(path=path, task=task, names_count=len(names), columns=", ".join(names)))
        return "regression"
    if task != "auto":
        return task
    number = {cell: parse_number(cell) for cell in {r[0] for r in raw_targets}}      # each spelling once
    values = [number[r[0]] for r in raw_targets]
    numbers = {v for v in values if v is not None}
    regression_like = bool(numbers) and (not all(v.is_integer() for v in numbers) or len(numbers) > MAX_AUTO_CLASSES)
    text = [(line, r[0]) for line, r, v in zip(lines, raw_targets, values) if v is None]
    if not text:
        return "regression" if regression_like else "classification"
    if regression_like and len(text) <= max(1, TYPO_SHARE * len(values)):
        shown = ", ".join(f'row {line} ("{cell}")' for line, cell in text[:5]) + (", …" if len(text) > 5 else "")
        raise NntermError(_("{path}: column \"{column}\" holds numbers except in {text_count} of {values_count} rows: {shown}; fix those cells, or set data.task = \"multiclass\" to treat every value as a class").format(path=path, column=names[0], text_count=len(text), values_count=len(values), shown=shown))
    return "classification"
