"""The detector the Chinese sweeps share (tests/english_left.py): it finds the English a learner
would notice on a Chinese screen, and lets be what stays as it is spelt (names, formulas, keys)."""
from english_left import command_line_names, english_phrases, screen_names


def test_an_untranslated_key_word_or_sentence_is_found_with_its_neighbours():
    assert english_phrases("按 Esc Back   训练场") == ["Back"]
    assert english_phrases("│ 学习率 0.03 │ the validation loss climbs │") == ["the validation loss climbs"]
    assert english_phrases("损失\nloss: 0.25") == ["loss"]


def test_names_formulas_keys_and_glossary_pairs_are_not_english_here():
    shown = ("激活函数 relu，优化器 sgd，损失 bce · 数据 xor.toml、val_loss、exp(z)、L = (guess − price)²、"
             "按 ctrl+l 或 Esc，F1 0.93，PRESET，`nnterm\nlearn`，先运行 `nnterm data\nfetch mnist`，weighted sum · 加权和，输入 64 pixel_0_0 pi…")
    assert english_phrases(shown, screen_names()) == []


def test_the_command_lines_own_words_are_allowed_only_on_the_command_line():
    text = "--phase: all, forward, backward, update"
    assert english_phrases(text, command_line_names()) == []
    assert english_phrases(text, screen_names()) == ["all, forward, backward, update"]
    assert english_phrases("nnterm train xor, then train it longer") == ["then train it longer"]
