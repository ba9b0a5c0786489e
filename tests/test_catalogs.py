"""The translation catalogs: every learner-facing string of the source has a translation in every
language, its placeholders are the msgid's own, and the language is chosen in gettext's order."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nnterm.runtime import language
from nnterm.runtime.language import LANGUAGES, SOURCE, choose, code_of

babel = pytest.importorskip("babel")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "N_plural": (1, 2)}
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")


def source_messages() -> set[str]:
    """Every msgid the source marks, as `.ci/catalogs` extracts them (babel.cfg's mapping)."""
    found = set()
    for folder in ("nnterm", "kernels"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS):
            found.add(message if isinstance(message, str) else message[0])
    return found


def catalog(code: str):
    with (ROOT / "nnterm" / "locale" / code / "LC_MESSAGES" / "nnterm.po").open("rb") as stream:
        return read_po(stream)


TRANSLATED = [code for code in LANGUAGES if code != SOURCE]


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_marked_string_has_a_translation(code):
    entries = {message.id if isinstance(message.id, str) else message.id[0]: message
               for message in catalog(code) if message.id}
    missing = sorted(source_messages() - entries.keys())
    assert not missing, f"{len(missing)} strings have no entry in {code} (run .ci/catalogs): {missing[:5]}"
    empty = sorted(key for key, message in entries.items()
                   if not (message.string if isinstance(message.string, str) else all(message.string)))
    assert not empty, f"{len(empty)} entries of {code} are untranslated: {empty[:5]}"
    fuzzy = sorted(key for key, message in entries.items() if message.fuzzy)
    assert not fuzzy, f"{len(fuzzy)} entries of {code} are marked fuzzy: {fuzzy[:5]}"


@pytest.mark.parametrize("code", TRANSLATED)
def test_placeholders_are_the_msgids_own(code):
    wrong = []
    for message in catalog(code):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            if string and set(PLACEHOLDER.findall(string)) != wanted:
                wrong.append((ids[0], string))
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong[:3]}"


def test_the_language_comes_from_the_flag_then_nnterm_lang_then_the_locale():
    assert choose("zh", {"NNTERM_LANG": "en"}) == "zh"
    assert choose(None, {"NNTERM_LANG": "zh", "LANG": "en_US.UTF-8"}) == "zh"
    assert choose(None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}) == "zh"
    assert choose(None, {"LC_MESSAGES": "zh_TW", "LANG": "en_GB"}) == "zh"
    assert choose(None, {"LANG": "zh_CN.UTF-8"}) == "zh"
    assert choose(None, {"LANG": "C.UTF-8"}) == SOURCE            # a locale nnterm has no language for
    assert choose(None, {"NNTERM_LANG": "fr", "LANG": "zh_CN"}) == "zh"   # one it lacks: the next source is asked
    assert choose(None, {}) == SOURCE
    assert code_of("zh-Hans") == "zh" and code_of("POSIX") is None


def test_a_switch_is_live_and_english_is_the_fallback():
    message = "the language to speak: {choices} (default: NNTERM_LANG, then the locale, then en)"
    try:
        language.use("zh")
        assert language._(message) != message and "{choices}" in language._(message)
        assert language._("a sentence nobody marked") == "a sentence nobody marked"
        language.use("en")
        assert language._(message) == message
    finally:
        language.use(SOURCE)


def test_an_unknown_lang_on_the_command_line_is_one_sentence_and_exit_2():
    done = subprocess.run([sys.executable, "-m", "nnterm", "--lang", "fr", "presets"], capture_output=True, text=True)
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "--lang" in done.stderr and "zh" in done.stderr


def test_the_help_speaks_the_language_asked_for():
    done = subprocess.run([sys.executable, "-m", "nnterm", "train", "--help", "--lang", "zh"], capture_output=True, text=True)
    assert done.returncode == 0 and "界面语言" in done.stdout
