"""An Explanation and how its numbers are written: operands, sums, and "name = arithmetic = result"."""
from dataclasses import dataclass

from nnterm.runtime.language import _
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
    symbol: str = ""            # the symbol the title names ("z₂", "Δw₁₁"), where it names one
    heading: str = ""           # the title with "{symbol}" standing for the symbol, so `combined` can name several

    def text(self) -> str:
        """Plain text, for a terminal or a test's eye."""
        return "\n".join([self.title, *self.formula, *self.filled, self.words])


def titled(template: str, symbol: str, **fields) -> dict:
    """The title fields of an Explanation from one translated sentence with a {symbol} placeholder:
    `Explanation(**titled(_("{symbol} of {unit}"), "z₂", unit=…), …)`. The heading keeps {symbol}
    unfilled, so `combined` can put several symbols in the same sentence, in any language."""
    heading = template.format(symbol="{symbol}", **fields)
    return {"title": heading.replace("{symbol}", symbol), "symbol": symbol, "heading": heading}


def noted(formula: str, note: str) -> str:
    """A formula with its meaning in words beside it (the note translated, the formula not)."""
    return _("{formula}  ({note})").format(formula=formula, note=note)


def combined(first: Explanation, *more: Explanation) -> Explanation:
    """Several explanations of one thing as one (a unit's z then its a): the last one's result.
    The title is the first one's sentence naming every part's symbol ("z₂ and a₂ of …")."""
    parts = (first, *more)
    if first.heading and all(p.symbol for p in parts):
        symbols = parts[0].symbol
        for p in parts[1:]:
            symbols = _("{first} and {second}").format(first=symbols, second=p.symbol)
        title = first.heading.replace("{symbol}", symbols)
    else:
        title = first.title
    return Explanation(title,
                       tuple(f for p in parts for f in p.formula), tuple(f for p in parts for f in p.filled),
                       parts[-1].result, "\n".join(p.words for p in parts),    # a paragraph a part: any language
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
