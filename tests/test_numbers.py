"""Numbers as text (nnterm/runtime/numbers.py): what people type is read as they mean it, a bad
one is refused in words, and each formatter keeps its own purpose."""
import math

import pytest

from nnterm.errors import NntermError
from nnterm.runtime.numbers import (ROUNDING_MARK, ROUNDING_NOTE, axis_number, counted, exact, fixed, num, parse_number, percent, precise,
                                    read_number, short, weight_text)


@pytest.mark.parametrize("text, value", [
    ("0.03", 0.03), (" 1e-4 ", 1e-4), ("−3", -3.0), ("-3", -3.0), ("1_000", 1000.0), ("+2.5", 2.5),
])
def test_what_people_type_is_read(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text, value", [("1,500", 1500.0), ("12,345.5", 12345.5), ("−1,000,000", -1e6), ("1500", 1500.0)])
def test_thousands_where_asked(text, value):
    assert parse_number(text, thousands=True) == value


@pytest.mark.parametrize("text", ["1,5", "15,00", ",500", "1,500,"])
def test_a_comma_that_does_not_group_thousands_is_not_read_as_one(text):
    with pytest.raises(NntermError, match="is not a number"):
        parse_number(text, thousands=True)


def test_no_comma_is_read_unless_asked():
    with pytest.raises(NntermError, match="is not a number"):
        parse_number("1,500")


def test_a_decimal_comma_where_asked():
    assert read_number("1,5", decimal_comma=True) == 1.5
    assert read_number("1,5") is None


def test_bad_numbers_are_refused_in_words():
    with pytest.raises(NntermError, match=r'^learning rate: "fast" is not a number, such as 0.03 or 1e-4$'):
        parse_number(" fast ", "learning rate")
    with pytest.raises(NntermError, match=r'^"x" is not a number, such as 1500$'):
        parse_number("x", example="1500")
    with pytest.raises(NntermError, match="NaN is not a number"):
        parse_number("nan")
    for text in ("inf", "-inf", "Infinity", "1e400"):
        with pytest.raises(NntermError, match="is infinite"):
            parse_number(text, "learning rate")
    with pytest.raises(NntermError, match='"3.5" is not a whole number'):
        parse_number("3.5", "batch size", whole=True)
    assert parse_number("32", "batch size", whole=True) == 32


def test_each_formatter_keeps_its_purpose():
    assert num(0.0) == "0" and num(-0.123456) == "−0.1235"
    assert precise(1234.5678) == "1234.57" and precise(-1.23456, 4) == "-1.235" and exact(-1.23456, 4) == "−1.235"
    assert short(1e-5) == "1e-05" and short(0.25) == "0.25"
    assert weight_text(-0.5) == "−0.5000"
    assert percent(0.3) == "30 %"
    assert fixed(0.123456) == "0.1235" and fixed(None) == "     —" and fixed(math.inf, 1, 5) == "    —"
    assert axis_number(-6.0) == "−6" and axis_number(0.12345) == "0.123"


def test_num_never_rounds_a_squashed_value_onto_its_limit():
    """tanh(6) = 0.999988 and σ(20) never reach 1, though 4 digits alone would say "1"."""
    assert num(math.tanh(6.0)) == "0.99999" and num(math.tanh(5.0)) == "0.9999"
    assert num(0.99996) == "0.99996" and num(-0.99996) == "−0.99996"
    assert num(1 / (1 + math.exp(-20))) == "0.999999998"
    assert num(1.0) == "1" and num(-1.0) == "−1" and num(0.5) == "0.5" and num(1.234567) == "1.235"


def test_num_shows_a_float_rounding_leftover_as_zero_with_its_mark():
    """a − y once a fit is exact comes out as 8.9e−16: zero, up to rounding, next to numbers of size 2.5."""
    leftover = (0.1 + 0.2) - 0.3
    assert num(leftover, scale=1.0) == ROUNDING_MARK and ROUNDING_MARK in ROUNDING_NOTE
    assert num(8.881784197001252e-16, scale=2.5) == ROUNDING_MARK
    assert num(8.881784197001252e-16) == "8.882e−16"          # no scale given: the number as it is
    assert num(1e-9, scale=2.5) == "1e−09"                     # a small real number stays a number
    assert num(0.0, scale=1.0) == "0"


def test_a_count_says_its_noun_in_the_right_number():
    assert counted(1, "guess") == "1 guess" and counted(2, "guess") == "2 guesses"
    assert counted(0, "epoch") == "0 epochs" and counted(1, "training step") == "1 training step"
    assert counted(3, "child", "children") == "3 children"
