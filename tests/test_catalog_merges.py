"""The .po merges by union (several helpers add entries side by side), and a union merge can
interleave two entries so that one msgid gets the lines of another's: a learner would read an
unrelated English sentence where a Chinese one belongs. No Chinese msgstr is another msgid."""
from babel.messages.pofile import read_po

from nnterm.runtime.language import LOCALE_DIR


def first(value):
    """A plural entry's first form; a singular entry as it is."""
    return value[0] if isinstance(value, tuple) else value


def test_no_chinese_entry_holds_another_entrys_english():
    with (LOCALE_DIR / "zh" / "LC_MESSAGES" / "nnterm.po").open("rb") as stream:
        catalog = read_po(stream)
    ids = {first(message.id) for message in catalog if message.id}
    crossed = [first(m.id) for m in catalog if m.id and first(m.string) != first(m.id) and first(m.string) in ids]
    assert crossed == []
