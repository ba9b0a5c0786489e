"""Untrusted text made visible before it reaches a terminal (docs/design.md, "Files").

A preset's name, a CSV header, a lesson's title or a path typed by someone else can hold escape
sequences (set the window title, write the clipboard, clear the screen), a carriage return that
writes over what came before, bidi overrides and zero-width characters that make what is seen
differ from what is pasted, a NUL, or a newline that splits a one-line sentence in two. Every one
of them is shown as an escape instead: ESC as \\x1b, a newline as \\n, U+202E as \\u202e.

What is escaped: Unicode's control (Cc) and format (Cf: bidi controls, zero-width characters,
the byte-order mark) categories, line and paragraph separators, and lone surrogates (an
undecodable file name), which a terminal cannot even be sent. Everything else — letters of any
script, µ, ², ·, emoji — is left as it is.
"""
import unicodedata

NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}
ESCAPED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}


def escaped(char: str) -> str:
    if char in NAMED:
        return NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def hidden(char: str, keep_newlines: bool = False) -> bool:
    """Whether `char` is shown as an escape."""
    if keep_newlines and char == "\n":
        return False
    return unicodedata.category(char) in ESCAPED_CATEGORIES


def visible(text, keep_newlines: bool = False) -> str:
    """`text` with every hidden character escaped; newlines too unless `keep_newlines` (a sentence
    is one line; a listing of several is joined by the caller's own newlines)."""
    text = str(text)
    if all(not hidden(c, keep_newlines) for c in text):       # the usual case: nothing to do
        return text
    return "".join(escaped(c) if hidden(c, keep_newlines) else c for c in text)


def has_hidden(text: str) -> bool:
    return any(hidden(c) for c in text)
