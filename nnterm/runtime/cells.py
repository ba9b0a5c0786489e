"""Text measured in terminal cells, not characters: a Hanzi takes two cells, a combining mark none.

Every place that pads or cuts text to line up a table or fit a panel uses these, never len() or
str.ljust (which count characters and would push a Chinese column out of line). A cut never
splits a character: a two-cell character that would straddle the edge is left out whole.
"""
import unicodedata
from functools import lru_cache

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
# typesetting's rule; the ASCII ones so that an English bracket stays with its word too).
NO_LINE_START = frozenset("，。、；：？！）》」』】…,.;:?!)]}")
NO_LINE_END = frozenset("（《「『【([{")


def wrap(text: str, cells: int) -> list[str]:
    """`text` in lines of at most `cells` cells: broken at spaces between words and between any two
    Hanzi (Chinese has no spaces to break at), never just before closing or after opening
    punctuation; a word longer than a line stands whole on its own line."""
    tokens: list[str] = []                       # words, single wide characters, and " "
    for char in " ".join(text.split()):
        previous = tokens[-1] if tokens else " "
        glued = (previous != " " and (char in NO_LINE_START or previous[-1] in NO_LINE_END
                                       or (char != " " and char_width(char) < 2 and char_width(previous[-1]) < 2)))
        if glued:
            tokens[-1] += char
        else:
            tokens.append(char)
    lines, line = [], ""
    for token in tokens:
        if token == " ":
            line += " " if line else ""
        elif line.strip() and width(line) + width(token) > cells:
            lines.append(line.rstrip())
            line = token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines
