"""The glossary in Chinese: each definition in the primers' words with its formulas and numbers
as they are, and each term shown in both languages from the one two-column file."""
import re

from nnterm.runtime.language import use
from nnterm.teach.glossary import TERMS, define, lines
from nnterm.teach.rules import RULES
from nnterm.teach.terms import both, chinese_terms


def test_every_definition_reads_in_chinese_with_its_formulas_untouched():
    use("zh")
    for term in TERMS:
        chinese = define(term)
        assert re.search(r"[\u4e00-\u9fff]", chinese), f"{term}: {chinese}"
    assert RULES["adam"].update() in define("adam")
    assert "20 个训练轮次" in define("overfitting") and "1%" in define("overfitting")
    assert define("epoch") == dict(lines(["epoch"]))["epoch"]


def test_english_stays_the_source_and_tables_keep_english():
    use("zh")
    assert TERMS["epoch"].startswith("one pass over every minibatch")     # what lessons and tests read
    use("en")
    assert define("epoch") == TERMS["epoch"]


def test_a_term_is_shown_in_both_languages_in_the_primers_words():
    assert both("epoch") == "epoch · 训练轮次" and both("bias") == "bias · 偏置"
    assert both("adam") == "adam"                          # a name the primers leave in English
    assert chinese_terms()["learning rate"] == "学习率"
