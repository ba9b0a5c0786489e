"""The fast pass over a well-numbered CSV: the file's bytes straight into the network's dtype.

    cells = read_fast(path, file, size, choose, dtype, watch)     # Cells, or None: let the precise reader judge

The header (and whether there is one) is read as the precise reader reads it, from the first two
rows; the body goes a chunk at a time, so `watch` can show how far it is and stop it, to the byte
parser `kernels/csv_cells.py` — or, while that is not loaded in this process, chunks of plain whole
numbers go to numpy (`nnterm/data/csv_whole_numbers.py`, the same numbers; see parser_is_loaded),
and Numba is not even imported for a file that is all such chunks. Input cells become numbers
in place (no Python string per cell: 60,000 × 785 pixels are 47 million cells); target cells
come back as text, a few per row, for the task rules. A cell the kernel cannot read is looked at once more by the precise rules
(`csv_rules.number_of`): when they name it, that sentence is the error, exactly what the precise
reader would say for the file; when they accept it (a rare spelling, `1_000`, a quote inside a
cell), this pass gives up and the precise reader reads the whole file (docs/design.md, "Data").
"""
from nnterm.runtime.language import _
import csv
import sys
from dataclasses import dataclass

import numpy as np

from nnterm.data.csv_whole_numbers import parse_whole_numbers
from nnterm.data.csv_rules import delimiter_of, header_of, is_missing, number_of, parse_number, FLOAT32_MAX
from nnterm.errors import NntermError

PARSER = "nnterm.kernels.csv_cells"
CHUNK_BYTES = 4 << 20          # between two progress reports (and two looks at Esc): ~10 ms of parsing
HARD_CELLS = 4096              # numbers with more than 15 digits, parsed by Python, per round
BOM = b"\xef\xbb\xbf"


class ReadingCancelled(NntermError):
    """The person stopped the reading (Esc in the app); nothing was loaded."""


@dataclass
class Cells:
    """A CSV's body as the table needs it: the chosen input columns as numbers, target cells as text."""
    header: list[str]
    inputs_at: list[int]
    targets_at: list[int]
    inputs: np.ndarray               # (rows, len(inputs_at)) in the dtype asked for
    targets: list[list[str]]         # each row's target cells, stripped
    lines: list[int]                 # each row's file line


class Watch:
    """What a caller sees of a long read: `progress(rows, bytes done, bytes in all)` after each chunk,
    `cancelled()` asked as often (True stops the read with ReadingCancelled), `finish()` at the end."""

    def progress(self, rows: int, done: int, total: int) -> None:
        pass

    def cancelled(self) -> bool:
        return False

    def finish(self) -> None:
        """The reading is over, whether it ended, was refused or was interrupted."""


_watchers: list = []


def watch_readings(make_watch) -> None:
    """make_watch(path, size) → a Watch, or None, for every fast read that is given none: the command
    line's progress line (nnterm/commands/reading_progress.py). Once per process, like the kernels'
    compile notice."""
    if make_watch not in _watchers:
        _watchers.append(make_watch)


def default_watch(path: str, size: int) -> Watch | None:
    for make_watch in _watchers:
        watch = make_watch(path, size)
        if watch is not None:
            return watch
    return None


def first_rows(data: bytes, start: int):
    """(delimiter, [(line, cells, offset after the row), … the first two non-blank rows], offset of the
    first) — or None when those lines are not plain (a quote across a line end, not UTF-8)."""
    end = data.find(b"\n", start)
    try:
        first_line = data[start:end if end >= 0 else len(data)].decode("utf-8")
        delimiter = delimiter_of(first_line)
    except UnicodeDecodeError:
        return None
    rows, at, line, first_at = [], start, 1, None
    while at < len(data) and len(rows) < 2:
        end = data.find(b"\n", at)
        end = len(data) if end < 0 else end
        try:
            text = data[at:end].decode("utf-8").rstrip("\r")
        except UnicodeDecodeError:
            return None
        if text.count('"') % 2 or "\r" in text:
            return None                                     # a quote or a line end the precise reader must judge
        try:
            cells = next(csv.reader([text], delimiter=delimiter), [])
        except csv.Error:
            return None
        if cells and any(c.strip() for c in cells):
            first_at = at if first_at is None else first_at
            rows.append((line, [c.strip() for c in cells], end + 1))
        at, line = end + 1, line + 1
    return (delimiter, rows, first_at) if rows else None


def read_head(file):
    """(the bytes read, whether that is the whole file, first_rows of them): chunks are read until the
    first two rows are whole, however wide the header."""
    data, eof = file.read(CHUNK_BYTES), False
    start = len(BOM) if data.startswith(BOM) else 0
    while True:
        head = first_rows(data, start)
        if eof or (head is not None and len(head[1]) == 2):
            return data, eof, head
        more = file.read(CHUNK_BYTES)
        data, eof = data + more, not more


def read_fast(path: str, file, size: int, choose, dtype, watch: Watch | None = None) -> Cells | None:
    watch = watch or default_watch(path, size) or Watch()
    try:
        return read_chunks(path, file, size, choose, dtype, watch)
    finally:
        watch.finish()                                     # read, refused or interrupted: the watch is done


def read_chunks(path: str, file, size: int, choose, dtype, watch: Watch) -> Cells | None:
    """The open binary `file` of `size` bytes → Cells, one sentence for a bad cell, or None (see the module).
    The file is read twice, a chunk at a time: once to count its lines (the rows to hold at most), once
    to parse them; only the numbers and one chunk are held."""
    kernel = sys.modules.get(PARSER)                        # numba loads only once the parser is needed
    most_rows = 1 + sum(chunk.count(b"\n") for chunk in iter(lambda: file.read(CHUNK_BYTES), b""))
    file.seek(0)
    data, eof, head = read_head(file)
    if head is None:
        return None
    delimiter, rows, first_at = head
    header, has_header = header_of([(line, cells) for line, cells, _raw in rows])
    if has_header and len(rows) < 2:
        return None                                         # header only: the precise reader says so
    inputs_at, targets_at = choose(header)
    offset, line = (rows[0][2], rows[0][0] + 1) if has_header else (first_at, rows[0][0])
    values = np.empty((most_rows, len(inputs_at)), dtype=dtype)
    spans = np.empty((most_rows, len(targets_at), 2), dtype=np.int64)
    row_lines = np.empty(most_rows, dtype=np.int64)
    hard = np.empty((HARD_CELLS, 4), dtype=np.int64)
    targets: list[list[str]] = []
    n, byte, before = 0, ord(delimiter), 0                  # rows read, the delimiter, bytes before `data`
    roles = None if kernel is None else roles_of(kernel, len(header), inputs_at, targets_at)
    plain = kernel is None or not parser_is_loaded(kernel.parse_rows, (np.frombuffer(data, dtype=np.uint8), offset,
                                                   offset, byte, roles, values, spans, row_lines, hard, n, line))
    while True:
        stop = len(data) if eof else data.rfind(b"\n") + 1   # whole lines only, until the last chunk
        if stop > offset:
            buf = np.frombuffer(data, dtype=np.uint8)
            got = parse_whole_numbers(buf, offset, stop, byte, len(header), inputs_at, targets_at, values, spans,
                                      row_lines, n, line) if plain else None
            plain = got is not None                         # else the parser from here on: it names a bad cell
            if plain:
                (done, offset, line), status, n_hard = got, None, 0
            else:
                if kernel is None:
                    from nnterm.kernels import csv_cells as kernel
                    roles = roles_of(kernel, len(header), inputs_at, targets_at)
                status, done, offset, line, column, n_hard = kernel.parse_rows(
                    buf, offset, stop, byte, roles, values, spans, row_lines, hard, n, line)
            if not set_hard_cells(data, values, hard[:n_hard]):
                return None
            try:
                targets += [[data[b:e].decode("utf-8").strip() for b, e in row] for row in spans[n:n + done].tolist()]
            except UnicodeDecodeError:
                return None                                 # the precise reader names the byte
            n += done
            watch.progress(n, before + offset, size)
            if status is not None and status != kernel.OK:
                if status == kernel.TOO_MANY_HARD and n_hard:
                    continue                                # room for more hard cells: go on from that row
                name_the_cell(path, data, offset, line, delimiter, header, inputs_at)
                return None
        if eof:
            break
        if watch.cancelled():
            raise ReadingCancelled(_("{path}: reading stopped after {n:,} rows; nothing was loaded").format(path=path, n=n))
        more = file.read(CHUNK_BYTES)
        before, data, offset, eof = before + offset, data[offset:] + more, 0, not more
    if n == 0:
        return None
    lines = row_lines[:n].tolist()
    for row, cells in enumerate(targets):
        for k, cell in enumerate(cells):
            if is_missing(cell):
                raise NntermError(_("{path}: row {row}, column \"{column}\": the value is missing; fill it in or remove the row").format(path=path, row=lines[row], column=header[targets_at[k]]))
    return Cells(header, inputs_at, targets_at, values[:n], targets, lines)


def roles_of(kernel, columns: int, inputs_at, targets_at) -> np.ndarray:
    """What the parser makes of each file column: input k, a target, or nothing (kernels/csv_cells.py)."""
    roles = np.full(columns, kernel.IGNORED, dtype=np.int64)
    roles[inputs_at] = np.arange(len(inputs_at))
    roles[targets_at] = kernel.TARGET - np.arange(len(targets_at))
    return roles


def parser_is_loaded(dispatcher, args) -> bool:
    """Whether the byte parser is loaded in this process for these arguments' types. When it is
    not, plain whole numbers are read by numpy instead (nnterm/data/csv_whole_numbers.py): on an
    empty kernel cache the parser compiles first (2 s on a quiet core, many more on a busy one),
    and even from the cache its load starts Numba's compiler context, 0.75 s. Reading the 133 MB
    Fashion-MNIST CSV in a fresh process took 1.9–2.3 s that way against 2.1–2.7 s with the cached
    parser (`nnterm bench --csv`, load 2.4–3.6 on two shared cores)."""
    try:
        return tuple(dispatcher.typeof_pyval(arg) for arg in args) in dispatcher.overloads
    except Exception:                                      # should Numba's dispatcher change: the parser
        return True


def set_hard_cells(data: bytes, values: np.ndarray, hard: np.ndarray) -> bool:
    """Numbers the kernel left to Python (too many digits, a large exponent): False for one that is
    not finite or beyond float32 (the precise reader words that)."""
    for row, column, begin, end in hard.tolist():
        value = parse_number(data[begin:end].decode("ascii"))
        if value is None or abs(value) > FLOAT32_MAX:
            return False
        values[row, column] = value
    return True


def name_the_cell(path: str, data: bytes, offset: int, line: int, delimiter: str, header, inputs_at) -> None:
    """The kernel stopped at the row starting at `offset`: raise the precise rules' sentence for it,
    or return when they accept the row (the precise reader then reads the file)."""
    end = data.find(b"\n", offset)
    try:
        text = data[offset:end if end >= 0 else len(data)].decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return
    if '"' in text:
        return
    try:
        cells = [c.strip() for c in next(csv.reader([text], delimiter=delimiter), [])]
    except csv.Error:
        return
    if not any(cells):
        return                                             # blank to the precise reader, not to the kernel
    for col in inputs_at:
        number_of(path, header, line, cells, col, _("input columns"))
