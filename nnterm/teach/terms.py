"""The primers' words for the concepts, read from terms.toml (English = 中文, the one home of each
term's Chinese): the glossary and the explain screens show a term in both languages with them."""
import tomllib
from functools import lru_cache
from pathlib import Path

TERMS_FILE = Path(__file__).with_name("terms.toml")


@lru_cache(maxsize=1)
def chinese_terms() -> dict[str, str]:
    """English term → the primers' Chinese for it."""
    with TERMS_FILE.open("rb") as stream:
        return dict(tomllib.load(stream)["terms"])


def both(term: str) -> str:
    """`term` in both languages where the primers name it: "epoch · 训练轮次"; else as it is
    (an optimizer's name, an activation's: the primers write those in English too)."""
    chinese = chinese_terms().get(term)
    return f"{term} · {chinese}" if chinese and chinese != term else term
