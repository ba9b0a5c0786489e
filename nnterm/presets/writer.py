"""Preset → TOML text. Every field is written, so load → save → load gives the same Preset.

Strings go through tomli-w (in loader.show), which escapes everything TOML requires (newlines, quotes,
backslashes, control characters): a description is the user's text, and a saved preset that
does not parse would be a preset lost. The layout (sections, one layer per line) is ours.
"""
from dataclasses import fields

from nnterm.runtime.fileio import atomic_write_text
from nnterm.presets.loader import show
from nnterm.presets.spec import DESCRIPTIONS, Preset


def toml_value(value) -> str:
    if isinstance(value, float):
        return repr(value)                      # shortest repr that round-trips exactly
    if isinstance(value, tuple) and value and hasattr(value[0], "units"):
        rows = ",\n".join("    {" + ", ".join(f"{f.name} = {toml_value(getattr(layer, f.name))}" for f in fields(layer)) + "}"
                          for layer in value)
        return "[\n" + rows + ",\n]"
    if isinstance(value, tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return show(value)


def preset_to_toml(preset: Preset) -> str:
    lines = [f"name = {toml_value(preset.name)}",
             f"description = {toml_value(preset.description)}",
             *(f"{key} = {toml_value(getattr(preset, key))}" for key in DESCRIPTIONS[1:] if getattr(preset, key)),
             f"seed = {preset.seed}"]
    for section in ("data", "network", "training"):
        lines += ["", f"[{section}]"]
        spec = getattr(preset, section)
        lines += [f"{f.name} = {toml_value(getattr(spec, f.name))}" for f in fields(spec)]
    return "\n".join(lines) + "\n"


def save_preset(preset: Preset, path) -> None:
    atomic_write_text(path, preset_to_toml(preset))
