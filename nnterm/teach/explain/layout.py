"""An Explanation and how its numbers are written: operands, sums, and "name = arithmetic = result"."""
from dataclasses import dataclass

from nnterm.runtime.numbers import num

MAX_TERMS = 72      # a sum with more terms, or longer than MAX_CHARS, is shown by its first ones and "…"
MAX_CHARS = 1600    # about 22 lines of an 80-column screen: a digit's 64 pixels still fit
SHOWN_WHEN_LONG = 6


@dataclass(frozen=True)
class Explanation:
    title: str                  # what the number is: "z of layer 2 unit 1, sample 3"
    formula: tuple              # the formula in symbols, a line each
    filled: tuple               # the same with the real operands: "name = arithmetic = result", a line each
    result: float
    words: str                  # one or two sentences
    terms: tuple = ()           # glossary terms it uses (nnterm/teach/glossary.py)

    def text(self) -> str:
        """Plain text, for a terminal or a test's eye."""
        return "\n".join([self.title, *self.formula, *self.filled, self.words])


def combined(first: Explanation, *more: Explanation) -> Explanation:
    """Several explanations of one thing as one (a unit's z then its a): the last one's result."""
    parts = (first, *more)

    def symbol_end(title: str) -> int:         # "z₂ of layer 1 unit 2, …" and "Δw₁₁, the weight …": the symbol
        return min(i for i in (title.find(","), title.find(" of "), len(title)) if i >= 0)

    symbols = " and ".join(p.title[:symbol_end(p.title)] for p in parts)
    return Explanation(symbols + first.title[symbol_end(first.title):],
                       tuple(f for p in parts for f in p.formula), tuple(f for p in parts for f in p.filled),
                       parts[-1].result, " ".join(p.words for p in parts),
                       tuple(dict.fromkeys(t for p in parts for t in p.terms)))


def n(value: float) -> str:
    """An operand: 4 significant digits, in brackets when negative so a sum reads unambiguously."""
    text = num(float(value))
    return f"({text})" if text.startswith("−") else text


def arg(value: float) -> str:
    """An operand inside a function's own brackets: σ(−0.5), not σ((−0.5))."""
    return num(float(value))


def plain(value: float) -> str:
    """A small constant written out in decimals (0.000001), as the arithmetic reads it."""
    return f"{value:.12f}".rstrip("0").rstrip(".")


def total(parts: list[str]) -> str:
    """A sum of shown parts; a long one shows its first few and says how many there are."""
    text = " + ".join(parts) if parts else "0"
    if len(parts) <= MAX_TERMS and len(text) <= MAX_CHARS:
        return text
    shown = SHOWN_WHEN_LONG
    while shown > 1 and len(" + ".join(parts[:shown])) > MAX_CHARS // 2:
        shown -= 1
    return " + ".join(parts[:shown]) + f" + … ({len(parts)} terms)"


def line(name: str, arithmetic: str, result: float) -> str:
    return f"{name} = {arithmetic} = {num(float(result))}"
