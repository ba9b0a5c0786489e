"""The byte parser's stand-in while it is not compiled yet: a chunk of plain whole numbers, in numpy.

    got = parse_whole_numbers(buf, offset, stop, delimiter, inputs_at, targets_at, values, spans, row_lines, row0, line)
    got: (rows read, offset reached, line reached), or None: these lines are not that plain

On an empty kernel cache `kernels/csv_cells.py` compiles before its first row, 2 s on a quiet
core and several on a busy one, longer than reading the whole 133 MB Fashion-MNIST CSV takes.
Most files learners download are pixels or counts: cells of 1–9 digits, a delimiter, a `\\n`.
Such lines are parsed here with a few whole-array passes, and written exactly where and as
`parse_rows` writes them (the inputs in the array's dtype — an integer below 10⁹ becomes the
nearest float32 or float64 as a double would, once; each target cell's byte span; each row's
file line), so a table read this way is the one the compiled parser reads bit for bit.

Anything else in the lines — a sign, a point, a space, a quote, `\\r`, a blank line, an empty
cell, a row of the wrong length, a number of ten digits or more — is None: the caller hands the
chunk to the compiled parser, which reads it or stops at the row the precise rules then name
(docs/design.md, "Data").

A cell ends at the first byte that is not a digit; its value is Σ digit_k · 10^k, k counted from
its last digit; that byte must be the delimiter, or `\\n` at the end of a row.
"""
import numpy as np

NEWLINE = 10
MOST_DIGITS = 9                 # 999,999,999 < 2³¹: the sum stays an exact int32
POW10 = 10 ** np.arange(MOST_DIGITS, dtype=np.int32)


def parse_whole_numbers(buf: np.ndarray, offset: int, stop: int, delimiter: int, columns: int, inputs_at,
                        targets_at, values: np.ndarray, spans: np.ndarray, row_lines: np.ndarray, row0: int, line: int):
    """`buf[offset:stop]`: whole lines, or the file's last bytes (a last line without its `\\n`);
    `columns`: the file's; `inputs_at`, `targets_at`: the columns written to values[:, k], spans[:, k]."""
    part = buf[offset:stop]
    digit = part - np.uint8(48)                       # a digit's value; any other byte wraps to ≥ 10
    ends = np.flatnonzero(digit >= 10)                 # each cell's end: its delimiter or its line end
    if ends.size and ends[-1] == part.size - 1:
        last_line_end = 0
    elif stop == buf.size and part.size:               # the file's last line, without its line end
        ends, last_line_end = np.append(ends, part.size), 1
    else:
        return None
    rows = ends.size // columns
    if rows == 0 or rows * columns != ends.size or row0 + rows > values.shape[0]:
        return None
    enders = np.append(part[ends[:ends.size - last_line_end]], np.full(last_line_end, NEWLINE, np.uint8))
    is_line_end = enders == NEWLINE
    if (np.count_nonzero(is_line_end) != rows or not is_line_end[columns - 1::columns].all()
            or np.count_nonzero(enders == delimiter) != ends.size - rows):
        return None                                    # another byte, or a row of the wrong length
    lengths = np.diff(ends, prepend=-1) - 1
    longest = int(lengths.max())
    if lengths.min() == 0 or longest > MOST_DIGITS:
        return None                                    # an empty cell or a blank line; a long number
    number = digit[ends - 1].astype(np.int32)
    for k in range(1, longest):                        # the k-th digit from the end, where the cell has one
        number += np.where(lengths > k, digit[ends - 1 - k], 0).astype(np.int32) * POW10[k]
    grid = number.reshape(rows, columns)
    values[row0:row0 + rows] = grid[:, inputs_at]      # int32 → the dtype: one rounding, as from a double
    ends_grid = ends.reshape(rows, columns) + offset
    for k, column in enumerate(targets_at):
        spans[row0:row0 + rows, k, 1] = ends_grid[:, column]
        spans[row0:row0 + rows, k, 0] = ends_grid[:, column] - lengths.reshape(rows, columns)[:, column]
    row_lines[row0:row0 + rows] = np.arange(line, line + rows)
    return rows, stop + last_line_end, line + rows          # past the last line end, as the parser counts
