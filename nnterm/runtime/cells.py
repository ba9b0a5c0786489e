"""Text measured in terminal cells, not characters: a Hanzi takes two cells, a combining mark none.

Every place that pads or cuts text to line up a table or fit a panel uses these, never len() or
str.ljust (which count characters and would push a Chinese column out of line). A cut never
splits a character: a two-cell character that would straddle the edge is left out whole.
"""
import re
import unicodedata
from functools import lru_cache
from itertools import accumulate

ELLIPSIS = "…"


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Cells one character takes: 2 for East Asian wide and fullwidth, 0 for combining marks and
    zero-width characters, 1 otherwise (Unicode's East Asian Width, as terminals draw it)."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    """Cells `text` takes on one line."""
    return sum(char_width(char) for char in text)


def cut(text: str, cells: int, ellipsis: str = ELLIPSIS) -> str:
    """`text` in at most `cells` cells: whole if it fits, else cut at a character boundary with
    `ellipsis` at the end (the ellipsis counted in the cells)."""
    if width(text) <= cells:
        return text
    room = cells - width(ellipsis)
    if room < 0:
        return ellipsis[:max(cells, 0)]
    kept, used = [], 0
    for char in text:
        w = char_width(char)
        if used + w > room:
            break
        kept.append(char)
        used += w
    return "".join(kept) + ellipsis


def pad(text: str, cells: int, align: str = "<") -> str:
    """`text` padded with spaces to `cells` cells: "<" left-aligned, ">" right, "^" centred.
    Text wider than `cells` is returned as it is (cut it first where it must fit)."""
    gap = max(cells - width(text), 0)
    if align == ">":
        return " " * gap + text
    if align == "^":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def fit(text: str, cells: int, align: str = "<") -> str:
    """`text` cut if it is too wide, then padded: exactly `cells` cells."""
    return pad(cut(text, cells), cells, align)


# Where a line may not break: before closing punctuation, after opening punctuation (Chinese
# typesetting's rule, kinsoku; the ASCII ones so that an English bracket stays with its word too).
NO_LINE_START = frozenset("，。、；：？！）》」』】…,.;:?!)]}”’")
NO_LINE_END = frozenset("（《「『【([{“‘")


# A space beside one of these lies inside a formula (z = Σ w·x + b, w − lr·g): in Chinese text,
# where a line would otherwise break anywhere, it does not break there while the formula fits.
FORMULA_MARKS = frozenset("=+−-×÷·/<>≤≥≈≠→←Σ∑Π∏∂∇^*±|")


def wrap(text: str, cells: int) -> list[str]:
    """`text` in lines of at most `cells` cells, each paragraph ("\n") on lines of its own.

    English breaks at spaces, as Rich and Textual break it. Chinese has no spaces between words,
    so a line may also break between any two wide characters (Hanzi), never just before closing
    or just after opening punctuation. In a paragraph with Chinese in it, a formula (its spaces
    beside = + − · Σ …) and a `code span` are kept whole on one line when they fit on one, else
    broken at their spaces as English is. A word wider than a line is cut across lines by cells.
    The spaces at a break are dropped, spaces inside a line kept."""
    return [text[start:end] for start, end in line_spans(text, cells)]


def line_spans(text: str, cells: int) -> list[tuple[int, int]]:
    """`wrap`'s lines as (start, end) offsets into `text`, so that a styled text can be cut at
    the same places (nnterm/tui/widgets/wrapped_text.py)."""
    cells = max(cells, 2)                        # room for one Hanzi at least
    spans, start = [], 0
    for paragraph in text.split("\n"):
        spans += [(start + a, start + b) for a, b in _paragraph_spans(paragraph, cells)]
        start += len(paragraph) + 1
    return spans


def _paragraph_spans(text: str, cells: int) -> list[tuple[int, int]]:
    units = _units(text)
    if not units:
        return [(0, 0)]
    lines = [[0, units[0][0][0]]]                # [start, end] of each line; a paragraph's indent stays

    before = list(accumulate((char_width(char) for char in text), initial=0))    # cells before each offset

    def fits(start: int, end: int) -> bool:
        return before[end] - before[start] <= cells

    def put(start: int, end: int) -> None:       # one atom: on this line, the next, or cut across lines
        if fits(lines[-1][0], end):
            lines[-1][1] = end
        elif fits(start, end):
            lines.append([start, end])
        else:
            lines.extend([list(piece) for piece in _cut_by_cells(text, start, end, cells)])

    for unit in units:
        start, end = unit[0][0], unit[-1][1]
        if fits(lines[-1][0], end):
            lines[-1][1] = end
        elif len(unit) > 1 and fits(start, end):  # a formula that fits a line is not split
            lines.append([start, end])
        else:
            for atom in unit:
                put(*atom)
    return [(start, end) for start, end in lines if text[start:end].strip()]


def _units(text: str) -> list[list[tuple[int, int]]]:
    """The paragraph's atoms (never broken inside, unless one is wider than a line) as (start, end),
    grouped in units: atoms joined by spaces that break only when the unit cannot fit on a line
    of its own (a formula, a code span). English alone has no such spaces: it breaks as before."""
    chinese = any(_is_wide(char) for char in text)
    in_code = [False] * len(text)
    if chinese:
        for code in re.finditer(r"`[^`]*`", text):
            in_code[code.start():code.end()] = [True] * (code.end() - code.start())
    units: list[list[tuple[int, int]]] = []
    for word in re.finditer(r"\S+", text):
        chars, atom_start = word.group(), word.start()
        for i in range(1, len(chars) + 1):
            if i < len(chars) and not _may_break(chars[i - 1], chars[i]):
                continue
            atom = (atom_start, word.start() + i)
            after_space = units and atom_start == word.start()
            before = text[units[-1][-1][1] - 1] if after_space else ""
            if after_space and _kept_together(before, text[atom_start]):
                units[-1][-1] = (units[-1][-1][0], atom[1])
            elif after_space and chinese and (in_code[word.start() - 1] or before in FORMULA_MARKS
                                               or text[atom_start] in FORMULA_MARKS):
                units[-1].append(atom)
            else:
                units.append([atom])
            atom_start = atom[1]
    return units


def _is_wide(char: str) -> bool:
    return char_width(char) == 2


def _may_break(before: str, after: str) -> bool:
    """Between two characters with no space between: a break beside a wide character unless
    punctuation forbids it; never inside a run of narrow characters (an English word, a number)."""
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return _is_wide(before) or _is_wide(after)


def _kept_together(before: str, after: str) -> bool:
    """Chinese punctuation keeps to its word even across a space (the space stays on the line)."""
    return (_is_wide(after) and after in NO_LINE_START) or (_is_wide(before) and before in NO_LINE_END)


def _cut_by_cells(text: str, start: int, end: int, cells: int) -> list[tuple[int, int]]:
    """text[start:end], wider than a line, in pieces of at most `cells` cells, a piece never
    beginning with closing punctuation where the character before it can move down with it."""
    pieces, piece_start, used = [], start, 0
    for i in range(start, end):
        w = char_width(text[i])
        if used + w > cells and i > piece_start:
            cut_at = i
            if text[i] in NO_LINE_START and i - 1 > piece_start and char_width(text[i - 1]) + w <= cells:
                cut_at = i - 1
            pieces.append((piece_start, cut_at))
            piece_start, used = cut_at, width(text[cut_at:i])
        used += w
    pieces.append((piece_start, end))
    return pieces
