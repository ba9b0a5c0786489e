"""The language nnterm speaks: gettext catalogs, one chosen per process, switchable live.

Every learner-facing sentence goes through `_()` (or `ngettext()` where a number decides the
form), with its numbers and names as named placeholders filled in after translation:

    _("{count} epochs to go").format(count=n)         never  _("…") + str(n) + _("…")

A word that sits in a table built at import (a kind's label, a key's description) is marked with
`N_()` where it is written and translated with `_()` where it is shown, so a live switch of the
language reaches it too. Formulas, numbers and identifiers are never marked.

The catalogs are gettext's: `nnterm/locale/<lang>/LC_MESSAGES/nnterm.po` is the source (edited by
translators, kept in the repository); the `.mo` beside it is compiled by the build (setup.py) and
ignored by git. A source checkout whose `.mo` is missing or older than its `.po` compiles it in
memory with Babel when Babel is installed (docs/design.md, "Languages").
"""
import gettext
import os
from pathlib import Path

DOMAIN = "nnterm"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
# The one table of languages: code → its own name (what a chooser shows). English is the source
# language: its "catalog" is the msgids themselves.
LANGUAGES = {"en": "English", "zh": "中文"}
SOURCE = "en"
# Where the language is read from when --lang is not given, first that is set wins (gettext's order).
ENVIRONMENT = ("NNTERM_LANG", "LC_ALL", "LC_MESSAGES", "LANG")

_state = {"code": SOURCE, "catalog": gettext.NullTranslations()}


def _(message: str) -> str:
    """`message` in the current language (itself where no translation exists)."""
    return _state["catalog"].gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form of a sentence that fits `count` (English has two; Chinese one)."""
    return _state["catalog"].ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Marks `message` for the catalog without translating it now: it is translated where shown."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Marks a sentence's two English forms for the catalog (as `ngettext` would) without choosing
    one now: for a table of messages another library looks up with its own ngettext."""
    return singular, plural


def current() -> str:
    """The code of the language in use now: a key of LANGUAGES."""
    return _state["code"]


def code_of(value: str | None) -> str | None:
    """A language code from a --lang value or a locale name (zh, zh_CN.UTF-8, en_US, C …);
    None when it names no language nnterm has, so the next source is asked."""
    if not value:
        return None
    code = value.split(".")[0].split("@")[0].split("_")[0].split("-")[0].lower()
    return code if code in LANGUAGES else None


def choose(flag: str | None = None, environ=None) -> str:
    """--lang first, then NNTERM_LANG, then the locale (LC_ALL, LC_MESSAGES, LANG); English last."""
    environ = os.environ if environ is None else environ
    for value in (flag, *(environ.get(name) for name in ENVIRONMENT)):
        code = code_of(value)
        if code:
            return code
    return SOURCE


def use(code: str) -> None:
    """Speak `code` from now on (an unknown code is refused: it is a programming error, the CLI
    and the app only pass codes from LANGUAGES)."""
    if code not in LANGUAGES:
        raise ValueError(f"no language {code!r}; nnterm has {', '.join(LANGUAGES)}")
    _state["catalog"] = gettext.NullTranslations() if code == SOURCE else load_catalog(code)
    _state["code"] = code


def load_catalog(code: str) -> gettext.NullTranslations:
    """The compiled catalog of `code`; compiled from its .po in memory when the .mo is missing or
    stale (a source checkout); no translation at all when neither can be had."""
    folder = LOCALE_DIR / code / "LC_MESSAGES"
    source, compiled = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if compiled.is_file() and (not source.is_file() or compiled.stat().st_mtime >= source.stat().st_mtime):
        with compiled.open("rb") as stream:
            return gettext.GNUTranslations(stream)
    if source.is_file():
        try:
            return compile_in_memory(source)
        except ImportError:
            pass
    return gettext.NullTranslations()


def compile_in_memory(source: Path) -> gettext.GNUTranslations:
    """A .po read and compiled by Babel, never written to disk (raises ImportError without Babel)."""
    import io
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    with source.open("rb") as stream:
        catalog = read_po(stream)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)
