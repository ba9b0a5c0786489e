"""The byte parser's stand-in until it is loaded: a chunk of plain whole numbers, in numpy.

    got = parse_whole_numbers(buf, offset, stop, delimiter, columns, inputs_at, targets_at, values, spans, row_lines, row0, line)
    got: (rows read, offset reached, line reached), or None: these lines are not that plain

On an empty kernel cache `kernels/csv_cells.py` compiles before its first row, 2 s on a quiet
core and several on a busy one, longer than reading the whole 133 MB Fashion-MNIST CSV takes; from
the cache, loading it still starts Numba's compiler context (0.75 s). Most files learners
download are pixels or counts: cells of 1–9 digits, a delimiter, a `\\n`. Such lines are parsed
here with a few whole-array passes, and written exactly where and as `parse_rows` writes them
(the inputs in the array's dtype — an integer below 10⁹ becomes the nearest float32 or float64,
one rounding, as from the parser's double; each target cell's byte span; each row's file line),
so a table read this way is the one the parser reads, bit for bit.

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
    enders = part[ends] if not last_line_end else np.append(part[ends[:-1]], np.uint8(NEWLINE))
    is_line_end = enders == NEWLINE
    if (np.count_nonzero(is_line_end) != rows or not is_line_end[columns - 1::columns].all()
            or np.count_nonzero(enders == delimiter) != ends.size - rows):
        return None                                    # another byte, or a row of the wrong length
    lengths = np.empty_like(ends)
    lengths[0] = ends[0]
    np.subtract(ends[1:], ends[:-1] + 1, out=lengths[1:])
    longest = int(lengths.max())
    if lengths.min() == 0 or longest > MOST_DIGITS:
        return None                                    # an empty cell or a blank line; a long number
    # The digits with every other byte 0, after MOST_DIGITS zeros: the k-th digit from a cell's end is
    # at its end − k; one step past a cell's first digit is the byte before it, 0; further back
    # lies the cell before, masked (k ≥ 2: the cells longer than k).
    padded = np.zeros(MOST_DIGITS + part.size, dtype=np.uint8)
    np.multiply(digit, digit < 10, out=padded[MOST_DIGITS:])
    at = ends + (MOST_DIGITS - 1)
    # Each digit becomes int32 before it is scaled: numpy 1.x casts by value, so uint8 digits
    # times a small power of ten would stay uint8 there and wrap (9 · 100 → 132).
    number = padded[at].astype(np.int32)
    if longest > 1:
        number += padded[at - 1].astype(np.int32) * np.int32(10)
    for k in range(2, longest):
        term = padded[at - k].astype(np.int32)
        term *= POW10[k]
        term *= lengths > k
        number += term
    grid = number.reshape(rows, columns)
    first = inputs_at[0]
    if list(inputs_at) == list(range(first, first + len(inputs_at))):
        values[row0:row0 + rows] = grid[:, first:first + len(inputs_at)]    # int32 → the dtype: one rounding,
    else:                                                                   # as from a double
        values[row0:row0 + rows] = grid[:, inputs_at]
    ends_grid = ends.reshape(rows, columns) + offset
    for k, column in enumerate(targets_at):
        spans[row0:row0 + rows, k, 1] = ends_grid[:, column]
        spans[row0:row0 + rows, k, 0] = ends_grid[:, column] - lengths.reshape(rows, columns)[:, column]
    row_lines[row0:row0 + rows] = np.arange(line, line + rows)
    return rows, stop + last_line_end, line + rows          # past the last line end, as the parser counts
