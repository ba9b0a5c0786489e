"""A preset as one command line that rebuilds it: `nnterm BUNDLED --set key=value …`.

The line starts from the bundled preset it differs from least and sets only what differs,
so a teacher can paste it into a chat and every student's playground is the same one:

    share_line(load_preset("spiral", ["training.learning_rate=0.03"]))
    → "nnterm spiral --set training.learning_rate=0.03"

Pasting it rebuilds an equal Preset (share_line checks that before it returns). Keys whose
default follows another key (momentum 0.9 for `momentum`, adagrad's ε, adamw's decay) are set
only where leaving them out would rebuild something else.
"""
from nnterm.runtime.language import _
import json
import shlex
import tomllib
from dataclasses import fields

from nnterm.errors import NntermError
from nnterm.presets.loader import SECTIONS, bundled_names, load_preset
from nnterm.presets.spec import DESCRIPTIONS, Preset
from nnterm.runtime.visible import has_hidden, visible

COMMAND = "nnterm"


def toml_text(value, nested: bool = False) -> str:
    """A value as `--set` reads it back (nnterm/presets/loader.py's apply_override): TOML, or a bare
    word for a plain string on its own (inside a list or table, strings are always quoted)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)                           # the shortest text that reads back as the same number
    if isinstance(value, str):
        return value if not nested and reads_back_bare(value) else json.dumps(value, ensure_ascii=False)   # JSON strings are TOML
    if value and hasattr(value[0], "units"):         # network.layers: inline tables, trainable only when false
        return "[" + ", ".join("{" + ", ".join(f"{f.name} = {toml_text(getattr(layer, f.name), nested=True)}" for f in fields(layer)
                                               if not (f.name == "trainable" and layer.trainable)) + "}"
                               for layer in value) + "]"
    return "[" + ", ".join(json.dumps(v, ensure_ascii=False) for v in value) + "]"


def reads_back_bare(text: str) -> bool:
    """Text that --set takes as this very string: apply_override strips it, then reads it as TOML
    (true, 1e3, inf, "…") and keeps it as written only where that fails."""
    if not text or text != text.strip():
        return False
    try:
        tomllib.loads(f"v = {text}")
    except tomllib.TOMLDecodeError:
        return True
    return False


def differences(base: Preset, preset: Preset) -> list[tuple[str, object]]:
    """Every key where `preset` differs from `base`, as (dotted key, preset's value)."""
    out = [(key, getattr(preset, key)) for key in ("name", *DESCRIPTIONS, "seed") if getattr(base, key) != getattr(preset, key)]
    for section in SECTIONS:
        mine, theirs = getattr(preset, section), getattr(base, section)
        out += [(f"{section}.{f.name}", getattr(mine, f.name)) for f in fields(mine)
                if getattr(mine, f.name) != getattr(theirs, f.name)]
    return out


# Keys that presets/loader.py's resolve_defaults fills from another key: equal values can still
# rebuild differently (momentum 0 under `sgd` becomes 0.9 under `momentum`), so they start set.
DERIVED = ("training.momentum", "training.eps", "training.weight_decay")


def minimal_sets(name: str, preset: Preset) -> list[str] | None:
    """The fewest `key=value` items (found greedily) that turn bundled `name` into `preset`
    (None where no `--set` can: a value the loader would refuse)."""
    base = load_preset(name)
    keys = dict(differences(base, preset))
    for key in DERIVED:
        section, field_name = key.split(".")
        keys.setdefault(key, getattr(getattr(preset, section), field_name))
    items = [f"{key}={toml_text(value)}" for key, value in keys.items()]
    if not rebuilds(name, items, preset):
        return None
    for item in [i for i in items if i.split("=", 1)[0] in DERIVED] + [i for i in items if i.split("=", 1)[0] not in DERIVED]:
        fewer = [i for i in items if i != item]
        if rebuilds(name, fewer, preset):
            items = fewer
    return items


def rebuilds(name: str, items: list[str], preset: Preset) -> bool:
    try:
        return load_preset(name, items) == preset
    except NntermError:                            # e.g. without its loss the output layer takes another
        return False


def share_args(preset: Preset) -> tuple[str, list[str]]:
    """(the nearest bundled preset, the `key=value` items that rebuild `preset` from it)."""
    best = None
    for name in bundled_names():
        items = minimal_sets(name, preset)
        if items is None:
            continue
        rank = (len(items), len(" ".join(items)), name != preset.name, name)
        if best is None or rank < best[0]:
            best = (rank, name, items)
    if best is None:
        raise NntermError(_("{name}: no bundled preset becomes this one with --set; share its TOML file instead").format(name=preset.name))
    return best[1], best[2]


def share_line(preset: Preset) -> str:
    name, items = share_args(preset)
    return " ".join([COMMAND, shell_word(name)] + [part for item in items for part in ("--set", shell_word(item))])


def shell_word(text: str) -> str:
    """`text` as one shell word that shows every character it holds: shlex's quoting, or — where
    the text holds an escape sequence, a carriage return, a bidi or zero-width character (which
    would act on the terminal, or make what is seen differ from what is pasted) — bash's and
    zsh's $'…' with each of those written as \\xHH or \\uHHHH (nnterm/runtime/visible.py's rule).
    A NUL cannot travel in a command line at all: pasted, it would end the word early."""
    if "\0" in text:
        raise NntermError(_("{text}: holds a NUL character, which no command line can carry; share the preset's TOML file instead").format(text=visible(text)[:80]))
    if not has_hidden(text):
        return shlex.quote(text)
    body = "".join("\\\\" if c == "\\" else "\\'" if c == "'" else shell_escape(c) for c in text)
    return f"$'{body}'"


def shell_escape(char: str) -> str:
    """One character inside $'…': bash reads \\xHH as a byte, so past ASCII it is \\uHHHH (UTF-8)."""
    if not has_hidden(char) or ord(char) < 0x80:
        return visible(char)
    return f"\\u{ord(char):04x}" if ord(char) < 0x10000 else f"\\U{ord(char):08x}"
