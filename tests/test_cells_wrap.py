"""Chinese text wraps like Chinese: a line may break between any two Hanzi, never before closing or
after opening punctuation; formulas and English stay whole where they fit; English wraps as before."""
import re

from hypothesis import given, strategies as st
from rich.console import Console
from rich.text import Text

from nnterm.runtime.cells import NO_LINE_END, NO_LINE_START, width, wrap

HANZI = "神经元权重偏置学习率训练轮次损失函数梯度下降的了是在和一个"
CLOSING = "，。、；：？！）」』"
OPENING = "（「『"
FORMULA = "z = Σ w·x + b"
PRICE_GAME = ("主持人藏了一个价格 1688。你只能听到“低了”或者“高了”：1000 低了，2000 高了，1500 低了……"
              "每次把区间砍掉一半（二分法），就能一步步逼近。猜的数和价格相差不超过 0.5，四舍五入后就等于价格，算猜对。")

latin_word = st.text(alphabet="abcxyz01", min_size=1, max_size=8)
hanzi_word = st.text(alphabet=HANZI, min_size=1, max_size=6)


@st.composite
def chinese_text(draw):
    """Sentences as a teacher writes them: Hanzi words, numbers and Latin words with spaces around
    them, a formula now and then, punctuation after a word, an opening bracket before one."""
    parts = []
    for _ in range(draw(st.integers(1, 30))):
        kind = draw(st.sampled_from(["hanzi", "hanzi", "latin", "formula", "open"]))
        if kind == "hanzi":
            parts.append(draw(hanzi_word))
        elif kind == "latin":
            parts.append(" " + draw(latin_word) + " ")
        elif kind == "formula":
            parts.append(draw(hanzi_word) + " " + FORMULA + " " + draw(hanzi_word))
        else:
            parts.append(draw(st.sampled_from(OPENING)) + draw(hanzi_word) + draw(st.sampled_from(CLOSING)))
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(CLOSING)))
        if draw(st.integers(0, 9)) == 0:
            parts.append("\n")
    return "".join(parts).strip(" ")


def no_spaces(text: str) -> str:
    return re.sub(r"\s", "", text)


@given(chinese_text(), st.integers(16, 90))
def test_every_line_fits_nothing_is_lost_and_punctuation_keeps_to_its_word(text, cells):
    lines = wrap(text, cells)
    assert all(width(line) <= cells for line in lines)
    assert no_spaces("".join(lines)) == no_spaces(text)           # in order, only spaces at breaks dropped
    assert not any(line and line[0] in NO_LINE_START for line in lines)
    assert not any(line and line[-1] in NO_LINE_END for line in lines)


@given(chinese_text(), st.integers(16, 90))
def test_a_formula_that_fits_on_a_line_is_never_split(text, cells):
    if FORMULA in text:
        formulas_in_lines = sum(line.count(FORMULA) for line in wrap(text, cells))
        assert formulas_in_lines == text.count(FORMULA)


@given(st.lists(st.text(alphabet="abcdefghij,.", min_size=1, max_size=10), min_size=1, max_size=40),
       st.integers(10, 80))
def test_english_wraps_exactly_as_rich_wrapped_it_before(words, cells):
    text = " ".join(words)
    before = [line.plain.rstrip() for line in Text(text).wrap(Console(width=cells), cells)]
    assert wrap(text, cells) == before


@given(st.text(alphabet="权重ab，（", min_size=1, max_size=80), st.integers(2, 12))
def test_a_word_wider_than_a_line_is_cut_by_cells_and_no_line_is_too_wide(text, cells):
    assert all(width(line) <= cells for line in wrap(text, cells))
    assert no_spaces("".join(wrap(text, cells))) == no_spaces(text)


def test_a_chinese_paragraph_fills_its_lines_instead_of_breaking_only_at_numbers():
    lines = wrap(PRICE_GAME, 76)
    assert all(width(line) >= 76 - 4 for line in lines[:-1])        # not "…2000 / 高了，1500 / 低了…"
    assert lines[0].startswith("主持人藏了一个价格 1688。")


def test_paragraphs_and_blank_lines_are_kept():
    assert wrap("权重很小。\n\n偏置是 b。", 40) == ["权重很小。", "", "偏置是 b。"]
    assert wrap("", 10) == [""]


def test_a_formula_moves_down_whole_rather_than_splitting_at_its_spaces():
    lines = wrap("神经元先算加权求和再加上偏置：" + FORMULA + "，然后过激活函数。", 36)
    assert any(FORMULA in line for line in lines)
    assert not any(line.endswith(("+", "=", "w·x")) for line in lines)


def test_a_code_span_in_chinese_text_stays_whole_where_it_fits_and_english_after_a_term_fills_the_line():
    command = "`nnterm train digits --save digits.safetensors`"
    lines = wrap("权重文件里存着每一个权重和偏置；命令行是 " + command + "）。digits 网络是 64 个输入。", 60)
    assert any(command in line for line in lines)
    definition = wrap("bce · 二元交叉熵 — binary cross-entropy, the loss for one sigmoid output", 40)
    assert definition[0] == "bce · 二元交叉熵 — binary cross-entropy,"      # not moved down whole
