"""A CSV body's bytes → numbers, in one pass, for the well-numbered files learners download.

    status, rows, offset, line, column, n_hard = parse_rows(buf, offset, stop, delimiter, roles, values,
                                                            spans, row_lines, hard, row0, line)

Reads whole lines from `buf[offset:]` until `stop` (a line that begins before it is finished)
or until `values` is full, and writes row `row0 + r`. `roles[c]` says what file column c is:
k ≥ 0 the input written to `values[:, k]`; IGNORED; or TARGET − k, target k, whose cell is not
parsed here but its byte span kept in `spans[row, k]` (the caller decodes labels as text);
`row_lines[row]` is the row's file line.

A cell is a number when it is, after spaces, `[+-]digits[.digits][(e|E)[+-]digits]` (at least
one digit before the exponent), optionally inside plain quotes. Its value is m·10^e with m the
digits as an integer: when m ≤ 2^53 and |e| ≤ 22 both are exact doubles and one multiply or
divide rounds once, so the double is the correctly rounded one (Clinger's fast path), the same
as Python's float(); any other number goes to `hard` as (row, column, begin, end) for the
caller to parse. Anything else — text, a missing cell, a row of the wrong length, a quote inside
a cell, a lone carriage return, a cell longer than FIELD_LIMIT — stops the pass with its status, line and column: the caller's
precise reader then names the problem (docs/design.md, "Data").

Blank lines (nothing but spaces and delimiters) are skipped and counted, as an editor counts
lines, so `line` is the file line of the row being read.
"""
import numpy as np

from .jit import kernel

OK, FULL, NOT_A_NUMBER, WRONG_LENGTH, AWKWARD_QUOTE, TOO_MANY_HARD, BEYOND_FLOAT32 = range(7)
IGNORED, TARGET = -1, -2
FLOAT32_MAX = float(np.finfo(np.float32).max)
POW10 = np.array([10.0 ** k for k in range(23)])        # exact doubles: 10^22 < 2^53·5^22 fits
TWO_53 = 2 ** 53
MANTISSA_ROOM = (TWO_53 - 9) // 10      # one more digit keeps the mantissa ≤ 2^53, an exact double
NEWLINE, RETURN, QUOTE, SPACE, TAB = 10, 13, 34, 32, 9
FIELD_LIMIT = 131072       # the longest cell Python's csv reader takes (csv.field_size_limit()); longer: refused


@kernel
def blank_line_end(buf, at, delimiter):
    """The offset past the line starting at `at` when it holds only spaces and delimiters, else −1."""
    n = buf.shape[0]
    while at < n:
        b = buf[at]
        if b == NEWLINE:
            return at + 1
        if b == RETURN and at + 1 < n and buf[at + 1] == NEWLINE:
            return at + 2
        if b != SPACE and b != TAB and b != delimiter:
            return -1
        at += 1
    return n


@kernel
def skip_spaces(buf, at, end, delimiter):
    while at < end and (buf[at] == SPACE or (buf[at] == TAB and delimiter != TAB)):
        at += 1
    return at


@kernel
def cell_end(buf, at, delimiter):
    """(offset of the byte that ends the cell starting at `at`, end of its content, status): the cell
    is plain up to a delimiter or line end, or "quoted" with no quote inside."""
    n = buf.shape[0]
    if at < n and buf[at] == QUOTE:
        close = at + 1
        while close < n and buf[close] != QUOTE:
            if buf[close] == NEWLINE or buf[close] == RETURN:
                return close, close, AWKWARD_QUOTE
            close += 1
        if close >= n or (close + 1 < n and buf[close + 1] == QUOTE):
            return close, close, AWKWARD_QUOTE
        after = skip_spaces(buf, close + 1, n, delimiter)
        if after < n and buf[after] != delimiter and buf[after] != NEWLINE and buf[after] != RETURN:
            return after, after, AWKWARD_QUOTE
        return after, close, OK
    end = at
    while end < n:
        b = buf[end]
        if b == delimiter or b == NEWLINE or b == RETURN:
            break
        if b == QUOTE:
            return end, end, AWKWARD_QUOTE
        end += 1
    return end, end, OK


@kernel
def number_in(buf, begin, end, delimiter):
    """(value, status) of the bytes begin..end: OK, NOT_A_NUMBER, or TOO_MANY_HARD for a number
    the fast path cannot round exactly (the caller parses it)."""
    at = skip_spaces(buf, begin, end, delimiter)
    stop = end
    while stop > at and (buf[stop - 1] == SPACE or buf[stop - 1] == TAB):
        stop -= 1
    negative = False
    if at < stop and (buf[at] == 43 or buf[at] == 45):           # + -
        negative = buf[at] == 45
        at += 1
    mantissa, digits, exponent, exact = 0, 0, 0, True
    while at < stop and 48 <= buf[at] <= 57:
        if mantissa <= MANTISSA_ROOM:
            mantissa = mantissa * 10 + (buf[at] - 48)
        else:
            exact, exponent = False, exponent + 1
        digits += 1
        at += 1
    if at < stop and buf[at] == 46:                                 # .
        at += 1
        while at < stop and 48 <= buf[at] <= 57:
            if mantissa <= MANTISSA_ROOM:
                mantissa = mantissa * 10 + (buf[at] - 48)
                exponent -= 1
            elif buf[at] != 48:
                exact = False
            digits += 1
            at += 1
    if digits == 0:
        return 0.0, NOT_A_NUMBER
    if at < stop and (buf[at] == 101 or buf[at] == 69):             # e E
        at += 1
        sign = 1
        if at < stop and (buf[at] == 43 or buf[at] == 45):
            sign = -1 if buf[at] == 45 else 1
            at += 1
        if at >= stop:
            return 0.0, NOT_A_NUMBER
        written = 0
        while at < stop and 48 <= buf[at] <= 57:
            if written < 100000:
                written = written * 10 + (buf[at] - 48)
            at += 1
        exponent += sign * written
    if at != stop:
        return 0.0, NOT_A_NUMBER
    if not exact or exponent > 22 or exponent < -22:
        return 0.0, TOO_MANY_HARD
    value = mantissa * POW10[exponent] if exponent >= 0 else mantissa / POW10[-exponent]
    return (-value if negative else value), OK


@kernel
def parse_rows(buf, offset, stop, delimiter, roles, values, spans, row_lines, hard, row0, line):
    """See the module docstring; returns (status, rows read, offset reached, line, column, hard cells)."""
    n, columns, row, n_hard = buf.shape[0], roles.shape[0], row0, 0
    while offset < n and offset < stop:
        blank = blank_line_end(buf, offset, delimiter)
        if blank >= 0:
            offset, line = blank, line + 1
            continue
        if row >= values.shape[0]:
            return FULL, row - row0, offset, line, 0, n_hard
        at = offset
        row_lines[row] = line
        for c in range(columns):
            role = roles[c]
            if role >= 0:
                # the common cell, `[-]digits[.digits]` up to its delimiter, parsed in the same pass
                p, negative, mantissa, exponent, digits = at, False, 0, 0, 0
                if p < n and (buf[p] == 45 or buf[p] == 43):
                    negative, p = buf[p] == 45, p + 1
                while p < n:
                    d = np.int64(buf[p]) - 48
                    if d < 0 or d > 9 or mantissa > MANTISSA_ROOM:
                        break
                    mantissa, digits, p = mantissa * 10 + d, digits + 1, p + 1
                if p < n and buf[p] == 46:
                    p += 1
                    while p < n:
                        d = np.int64(buf[p]) - 48
                        if d < 0 or d > 9 or mantissa > MANTISSA_ROOM:
                            break
                        mantissa, digits, exponent, p = mantissa * 10 + d, digits + 1, exponent - 1, p + 1
                if digits > 0 and p - at <= FIELD_LIMIT and (p >= n or buf[p] == delimiter or buf[p] == NEWLINE
                                                            or buf[p] == RETURN):
                    value = np.float64(mantissa) if exponent == 0 else mantissa / POW10[-exponent]
                    values[row, role] = -value if negative else value     # |value| < 2^53: within float32's range
                    end = p
                else:                                                    # spaces, an exponent, quotes, text: slowly
                    end, content_end, status = cell_end(buf, at, delimiter)
                    if status == OK and end - at > FIELD_LIMIT:
                        status = AWKWARD_QUOTE
                    if status != OK:
                        return status, row - row0, offset, line, c, n_hard
                    begin = at + 1 if at < n and buf[at] == QUOTE else at
                    value, status = number_in(buf, begin, content_end, delimiter)
                    if status == TOO_MANY_HARD:
                        if n_hard >= hard.shape[0]:
                            return TOO_MANY_HARD, row - row0, offset, line, c, n_hard
                        hard[n_hard, 0], hard[n_hard, 1], hard[n_hard, 2], hard[n_hard, 3] = row, role, begin, content_end
                        n_hard += 1
                    elif status != OK:
                        return status, row - row0, offset, line, c, n_hard
                    elif value > FLOAT32_MAX or value < -FLOAT32_MAX:
                        return BEYOND_FLOAT32, row - row0, offset, line, c, n_hard
                    else:
                        values[row, role] = value
            else:
                end, content_end, status = cell_end(buf, at, delimiter)
                if status == OK and end - at > FIELD_LIMIT:
                    status = AWKWARD_QUOTE
                if status != OK:
                    return status, row - row0, offset, line, c, n_hard
                if role <= TARGET:
                    begin = at + 1 if at < n and buf[at] == QUOTE else at
                    spans[row, TARGET - role, 0], spans[row, TARGET - role, 1] = begin, content_end
            last = c == columns - 1
            if end >= n or buf[end] != delimiter:                    # the line ends here
                if not last:
                    return WRONG_LENGTH, row - row0, offset, line, c, n_hard
                if end < n and buf[end] == RETURN:
                    if end + 1 >= n or buf[end + 1] != NEWLINE:
                        return AWKWARD_QUOTE, row - row0, offset, line, c, n_hard   # a lone \r: csv's line end
                    end += 1
                at = end + 1
            elif last:
                return WRONG_LENGTH, row - row0, offset, line, c, n_hard
            else:
                at = end + 1
        offset, row, line = at, row + 1, line + 1
    return OK, row - row0, offset, line, 0, n_hard
