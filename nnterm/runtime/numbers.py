"""Numbers as text, both ways: how every number is shown, and how a typed one is read.

It sits on the lowest rung that is not numeric code, so the engine's teaching layer, the CLI and
the TUI share it (docs/design.md, "The layers"). Each formatter has one purpose; two that look
alike (a column of the status line, a number in a sentence) stay two, named for what they do.
"""
from nnterm.runtime.language import _
import math
import re

from nnterm.errors import NntermError
from nnterm.runtime.language import N_

MINUS = "−"                     # U+2212, the minus sign people read (and may type)
EXAMPLE = "0.03 or 1e-4"        # what a number looks like, when a typed one is not one
# 1,500 and 12,345.5: commas read as thousands only where they group digits by three, so a
# decimal comma (1,5) is never silently taken for fifteen.
GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?([eE][+-]?\d+)?")


# --- shown ------------------------------------------------------------------------------------
# float64 keeps about 16 digits: a result this much smaller than the numbers it came from
# (8.9e−16 for a − y once a fit is exact) is rounding left over, zero in exact arithmetic.
ROUNDING = 2.0 ** -42           # ≈ 2.3e−13, some thousand units in the last place
ROUNDING_MARK = "≈0"
ROUNDING_NOTE = N_("≈0: zero up to float rounding (a leftover far below the numbers it was computed from)")


def num(value: float, scale: float | None = None) -> str:
    """A number for a person: 4 significant digits, a real minus sign — and never rounded onto
    ±1 when it is not ±1 (tanh(6) is 0.99999, not 1: a squashing function never reaches its
    limit), so as many digits as it takes to show that. With `scale`, the size of the numbers
    it was computed from, a float64 rounding leftover shows as ROUNDING_MARK (explained by
    ROUNDING_NOTE) instead of a number like 8.882e−16."""
    if value == 0:
        return "0"
    if scale is not None and is_rounding(value, scale):
        return ROUNDING_MARK
    digits = 4
    text = f"{value:.{digits}g}"
    while abs(float(text)) == 1 and abs(value) != 1 and digits < 17:
        digits += 1
        text = f"{value:.{digits}g}"
    return text.replace("-", MINUS)


def is_rounding(value: float, scale: float) -> bool:
    """Whether `value` is a float64 rounding leftover next to numbers of size `scale`."""
    return value != 0 and abs(value) <= ROUNDING * abs(scale)


def precise(value: float, digits: int = 6) -> str:
    """Up to `digits` significant digits, ASCII minus: a price or a guess as typed, a CLI table cell."""
    return f"{value:.{digits}g}"


def exact(value: float, digits: int = 6) -> str:
    """Up to `digits` significant digits with a real minus sign: a price, guess or position on a
    screen, where the text around it writes − too (precise keeps ASCII for CLI tables)."""
    return precise(value, digits).replace("-", MINUS)


def short(value: float) -> str:
    """1e-05, 0.003, 10, 0.25: the shortest exact form, to tell a list's values apart."""
    return f"{value:g}"


def axis_number(value: float) -> str:
    """An axis label: as short as it can be, with a real minus sign."""
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.3g}"
    return text.replace("-", MINUS)


def weight_text(value: float, decimals: int = 4) -> str:
    """Four decimals (scientific once huge) and a real minus sign, as every weight is shown."""
    return figure(value, decimals).replace("-", MINUS)


SCIENTIFIC_FROM = 1e6


def figure(value: float, decimals: int = 4) -> str:
    """Fixed decimals while that reads well, scientific notation once a number is too large for
    it (a diverging loss of 1e13 as "10000000000000.0000" is a number nobody can read):
    1.2346 · 123456.7890 · 1.2346e+13 · nan · inf. The figures of a progress line or report."""
    if value is None:
        return "—"
    value = float(value)
    if math.isfinite(value) and abs(value) >= SCIENTIFIC_FROM:
        return f"{value:.{decimals}e}"
    return f"{value:.{decimals}f}"


def json_text(obj) -> str:
    """JSON as the standard has it: NaN and ±infinity, which json.dumps writes as bare words no
    parser accepts, become null. Containers are walked (NumPy scalars become numbers first)."""
    import json
    return json.dumps(finite(obj), allow_nan=False)


def finite(obj):
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [finite(v) for v in obj]
    if hasattr(obj, "tolist") and not isinstance(obj, (str, bytes)):       # NumPy arrays and scalars
        return finite(obj.tolist())
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def counted(n: int, singular: str, plural: str = "") -> str:
    """1 guess, 2 guesses, 0 epochs: a count with its noun in the right number."""
    if n == 1:
        return f"1 {singular}"
    return f"{n} {plural or singular + ('es' if singular.endswith(('s', 'sh', 'x')) else 's')}"


def percent(value: float) -> str:
    """A fraction 0 … 1 as whole percent: 0.3 → "30 %"."""
    return f"{value * 100:.0f} %"


def fixed(value, decimals: int = 4, width: int = 6) -> str:
    """A number right-aligned in `width` columns with fixed decimals; "—" when there is none —
    a column that keeps its place while the number in it changes."""
    if value is None or not math.isfinite(value):
        return "—".rjust(width)
    text = f"{value:.{decimals}f}"
    if len(text) > width:
        text = f"{value:.{max(0, width - 6)}e}"
    return text.rjust(width)


# --- typed ------------------------------------------------------------------------------------
def read_number(text: str, whole: bool = False, thousands: bool = False,
                decimal_comma: bool = False) -> float | int | None:
    """What people type, as a number, or None if it is not one: surrounding spaces, − for minus,
    1_000; with `thousands` 1,500 for 1500 (where a comma cannot be a decimal one), with
    `decimal_comma` 1,5 for 1.5 (as many keyboards type it). NaN comes back as NaN."""
    cleaned = text.strip().replace(MINUS, "-").replace("_", "")
    if thousands and GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif decimal_comma and cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return int(cleaned) if whole else float(cleaned)
    except ValueError:
        return None


def parse_number(text: str, what: str = "", whole: bool = False, thousands: bool = False,
                 example: str = EXAMPLE) -> float | int:
    """A typed number, or an NntermError whose sentence says what was wrong (naming `what`, if given)."""
    value = read_number(text, whole, thousands)
    said = f'"{text.strip()}"'
    if value is None:
        sentence = _("{said} is not a whole number") if whole else _("{said} is not a number, such as {example}")
    elif value != value:
        sentence = _("NaN is not a number you can train with")
    elif value in (math.inf, -math.inf):           # passes every range check, like NaN
        sentence = _("{said} is infinite; give an ordinary number, such as {example}")
    else:
        return value
    sentence = sentence.format(said=said, example=example)
    raise NntermError(_("{what}: {sentence}").format(what=what, sentence=sentence) if what else sentence)
