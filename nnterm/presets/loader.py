"""TOML → Preset, validated once, with sentences for every mistake (docs/design.md, "Presets").

A message names the file, the key, the bad value and what is allowed:
    presets/my.toml: training.optimizer = "adamm" is not one of gd, sgd, momentum, ...
"""
from nnterm.runtime.language import _
import math
import os
import tomllib
import types
from dataclasses import fields, is_dataclass, replace
from importlib import resources
from pathlib import Path

import tomli_w

from nnterm.errors import PresetError
from nnterm.runtime.home import nnterm_home
from nnterm.runtime.paths import path_problem
from nnterm.runtime.reading import read_regular
from nnterm.presets.spec import DESCRIPTIONS, SEED_MAX, DataSpec, LayerSpec, NetworkSpec, Preset, TrainingSpec

SECTIONS = {"data": DataSpec, "network": NetworkSpec, "training": TrainingSpec}
# Keys that were renamed: still read, under their new name. `restore_best` is Keras's
# `restore_best_weights` now.
RENAMED = {"training.restore_best": "restore_best_weights"}


def user_preset_dir() -> Path:
    """Where the app saves presets: nnterm's own folder's presets/ (nnterm/runtime/home.py)."""
    return nnterm_home() / "presets"


def bundled_dir():
    return resources.files("nnterm.presets.bundled")


def bundled_names() -> list[str]:
    return sorted(p.name[:-5] for p in bundled_dir().iterdir() if p.name.endswith(".toml"))


def user_names() -> list[str]:
    folder = user_preset_dir()
    try:
        return sorted(p.stem for p in folder.glob("*.toml") if p.is_file()) if folder.is_dir() else []
    except OSError:                              # an unreadable preset folder lists nothing of the user's
        return []


def show(value) -> str:
    """A value as the user would write it in TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):                # escaped as TOML would: a message stays one line
        return tomli_w.dumps({"v": value})[len("v = "):-1]
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {show(v)}" for k, v in value.items()) + "}"
    return str(value)


def read_preset_text(path, label: str) -> str:
    """A preset file's text, or a sentence: a file that is not UTF-8 or cannot be read is the
    user's to fix, never a traceback (and never a broken listing)."""
    try:
        return read_regular(path).decode("utf-8")
    except UnicodeDecodeError as err:
        raise PresetError(_("{label}: not a text file in UTF-8 (byte {start} is 0x{byte:02x})").format(label=label, start=err.start, byte=err.object[err.start])) from None
    except OSError as err:
        raise PresetError(_("{label}: cannot read the preset file ({reason})").format(label=label, reason=err.strerror or err.__class__.__name__)) from None


def resolve_source(name_or_path: str) -> tuple[str, str]:
    """(label for messages, TOML text) for a bundled name, a user preset name or a path."""
    path = Path(name_or_path)
    looks_like_path = name_or_path.endswith(".toml") or os.sep in name_or_path or "/" in name_or_path
    if looks_like_path:
        if not os.path.lexists(path):
            raise PresetError(_("{name_or_path}: no such preset file").format(name_or_path=name_or_path))
        return name_or_path, read_preset_text(path, name_or_path)
    bundled = bundled_dir() / f"{name_or_path}.toml"
    if bundled.is_file():
        return f"presets/{name_or_path}.toml", bundled.read_text(encoding="utf-8")
    user = user_preset_dir() / f"{name_or_path}.toml"
    if os.path.lexists(user):                   # a FIFO or a folder there is said, never waited on
        return str(user), read_preset_text(user, str(user))
    known = ", ".join(bundled_names() + user_names())
    raise PresetError(_("unknown preset \"{name_or_path}\"; the known presets are {known} (or give a path to a .toml file)").format(name_or_path=name_or_path, known=known))


def parse_toml(text: str, label: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise PresetError(_("{label}: not valid TOML ({err})").format(label=label, err=err)) from None
    except RecursionError:                       # arrays nested thousands deep
        raise PresetError(_("{label}: not a preset (its values are nested too deeply)").format(label=label)) from None


def preset_listing() -> list[tuple[str, str, str, str]]:
    """(name, what load_preset takes, description, problem) for every bundled preset, then every
    saved one. A saved preset that does not load is listed with its problem, never raised: one
    broken file must not hide the others."""
    rows = []
    for name in bundled_names():
        rows.append((name, name, load_preset(name).described(), ""))
    folder = user_preset_dir()
    for name in user_names():
        path = str(folder / f"{name}.toml")
        try:
            rows.append((name, path, load_preset(path).described(), ""))
        except PresetError as err:
            rows.append((name, path, "", str(err)))
    return rows


def load_bundled_preset(name: str, overrides: list[str] | tuple[str, ...] = ()) -> Preset:
    """A bundled preset by name, never a saved one or a path: what a lesson may load, so a lesson from
    elsewhere cannot make nnterm open a file a saved preset names (its data.path, its weights)."""
    if name not in bundled_names():
        raise PresetError(_("{name} is not a bundled preset; a lesson loads only those: {presets}").format(name=show(name), presets=", ".join(bundled_names())))
    return load_preset(name, overrides)


def load_preset(name_or_path: str = "xor", overrides: list[str] | tuple[str, ...] = ()) -> Preset:
    """A bundled preset name, a saved preset name, or a path to a .toml file → Preset."""
    label, text = resolve_source(str(name_or_path))
    raw = parse_toml(text, label)
    overridden = set()
    for item in overrides:
        overridden.add(apply_override(raw, item))
    return preset_from_dict(raw, label, overridden)


def apply_override(raw: dict, item: str) -> str:
    """Applies `section.key=value` (value in TOML syntax, bare words taken as strings)."""
    if "=" not in item:
        raise PresetError(_("--set {item}: expected KEY=VALUE, for example training.learning_rate=0.3").format(item=item))
    key, text = (part.strip() for part in item.split("=", 1))
    parts = key.split(".")
    if not key or any(not p for p in parts) or len(parts) > 2:
        raise PresetError(_("--set {item}: the key must be name, seed, description or SECTION.KEY (sections: data, network, training)").format(item=item))
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except (tomllib.TOMLDecodeError, RecursionError):
        value = text
    if len(parts) == 1:
        raw[parts[0]] = value
    else:
        section = raw.setdefault(parts[0], {})
        if not isinstance(section, dict):
            raise PresetError(_("--set {item}: {section} is not a section").format(item=item, section=parts[0]))
        section[parts[1]] = value
    return key


def preset_from_dict(raw: dict, label: str = "preset", overridden: set[str] | frozenset = frozenset()) -> Preset:
    def where(key: str) -> str:
        return "--set" if key in overridden else label

    top = {f.name for f in fields(Preset)}
    for key in raw:
        if key not in top:
            raise PresetError(_("{where}: unknown key {key} (allowed: {allowed})").format(where=where(key), key=key, allowed=', '.join(sorted(top))))
    values = {}
    for key in ("name", *DESCRIPTIONS):
        if key in raw:
            if not isinstance(raw[key], str):
                raise PresetError(_("{where}: {key} = {shown} must be a string").format(where=where(key), key=key, shown=show(raw[key])))
            values[key] = raw[key]
    if "seed" in raw:
        seed = raw["seed"]
        if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= SEED_MAX:
            raise PresetError(_("{where}: seed = {seed} must be a whole number from 0 to {SEED_MAX}").format(where=where('seed'), seed=show(seed), SEED_MAX=SEED_MAX))
        values["seed"] = seed
    for section, cls in SECTIONS.items():
        body = raw.get(section, {})
        if not isinstance(body, dict):
            raise PresetError(_("{where}: {section} must be a table ([{section}])").format(where=where(section), section=section))
        values[section] = build(cls, body, section, where)
    preset = Preset(**values)
    check_consistency(preset, where)
    return resolve_defaults(preset)


def build(cls, body: dict, prefix: str, where):
    known = {f.name: f for f in fields(cls)}
    body = {RENAMED.get(f"{prefix}.{key}", key): value for key, value in body.items()}
    for key in body:
        if key not in known:
            raise PresetError(_("{where}: unknown key {prefix}.{key} (allowed: {allowed})").format(where=where(prefix + '.' + key), prefix=prefix, key=key, allowed=', '.join(known)))
    values = {}
    for name, f in known.items():
        if name in body:
            dotted = f"{prefix}.{name}"
            values[name] = check_value(f, body[name], dotted, where(dotted), where)
    return cls(**values)


def check_value(f, value, dotted: str, origin: str, where):
    kind = f.type
    if isinstance(kind, types.UnionType):          # `float | None`: None means "resolve later"
        kind = next(t for t in kind.__args__ if t is not type(None))
    bad = f"{origin}: {dotted} = {show(value)}"
    if f.name == "layers":
        if not isinstance(value, list) or not value:
            raise PresetError(_("{bad} must be a non-empty list of tables such as {{units = 8, activation = \"tanh\"}}").format(bad=bad))
        layers = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                raise PresetError(_("{bad}: layer {i} must be a table such as {{units = 8, activation = \"tanh\"}}").format(bad=bad, i=i))
            layers.append(build(LayerSpec, item, f"{dotted}[{i}]", lambda _k: origin))
        return tuple(layers)
    if kind is bool:
        if not isinstance(value, bool):
            raise PresetError(_("{bad} must be true or false").format(bad=bad))
    elif kind is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise PresetError(_("{bad} must be a whole number").format(bad=bad))
    elif kind is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise PresetError(_("{bad} must be a number").format(bad=bad))
        value = float(value)
        if not math.isfinite(value):              # nan slips through every comparison below
            raise PresetError(_("{bad} must be a finite number (nan and inf are not allowed)").format(bad=bad))
    elif kind is str:
        if not isinstance(value, str):
            raise PresetError(_("{bad} must be a string").format(bad=bad))
    else:                                            # tuple[str, ...]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PresetError(_("{bad} must be a list of strings").format(bad=bad))
        allowed = f.metadata.get("each")
        for v in value:
            if allowed and v not in allowed:
                raise PresetError(_("{origin}: {dotted} has \"{v}\", which is not one of {allowed}").format(origin=origin, dotted=dotted, v=v, allowed=', '.join(allowed)))
        if not value or len(set(value)) != len(value):
            raise PresetError(_("{bad} must name at least one feature, each once").format(bad=bad))
        value = tuple(value)
    choices = f.metadata.get("choices")
    if choices and value not in choices:
        raise PresetError(_("{bad} is not one of {choices}").format(bad=bad, choices=', '.join(choices)))
    limits = f.metadata.get("range")
    if limits:
        low, high, low_open, high_open = limits
        too_low = low is not None and (value <= low if low_open else value < low)
        too_high = high is not None and (value >= high if high_open else value > high)
        if too_low or too_high:
            raise PresetError(_("{bad} must be {range}").format(bad=bad, range=describe_range(low, high, low_open, high_open)))
    return value


def describe_range(low, high, low_open, high_open) -> str:
    lo = f"{'>' if low_open else '≥'} {low:g}" if low is not None else ""
    hi = f"{'<' if high_open else '≤'} {high:g}" if high is not None else ""
    return _("{low} and {high}").format(low=lo, high=hi) if lo and hi else lo or hi


def check_consistency(preset: Preset, where) -> None:
    """Rules that span fields: where a softmax may go, which loss fits which output."""
    layers = preset.network.layers
    for i, layer in enumerate(layers[:-1]):
        if layer.activation == "softmax":
            key = "network.layers"
            raise PresetError(_("{where}: network.layers[{i}].activation = \"softmax\" is only allowed on the output layer").format(where=where(key), i=i))
    out = layers[-1]
    loss = preset.training.loss                     # "auto" always fits but for a 1-unit softmax
    if loss == "cce" and out.units < 2:
        raise PresetError(_("{where}: training.loss = \"cce\" needs at least 2 output units; the output layer has {units}").format(where=where("training.loss"), units=out.units))
    if loss == "cce" and out.activation != "softmax":
        raise PresetError(_("{where}: training.loss = \"cce\" needs a softmax output layer; the output layer is \"{activation}\"").format(where=where("training.loss"), activation=out.activation))
    if out.activation == "softmax" and out.units < 2:
        raise PresetError(_("{where}: a softmax output layer needs at least 2 units; it has {units} (use one sigmoid unit for two classes)").format(where=where("network.layers"), units=out.units))
    if loss == "bce" and out.activation not in ("sigmoid", "softmax"):
        raise PresetError(_("{where}: training.loss = \"bce\" needs a sigmoid output layer (outputs between 0 and 1); the output layer is \"{activation}\"").format(where=where("training.loss"), activation=out.activation))
    for key, value in (("data.path", preset.data.path), ("network.weights", preset.network.weights)):
        problem = path_problem(value) if value else ""
        if problem:
            shown = show(value) if len(show(value)) <= 80 else show(value)[:80] + "…"
            raise PresetError(_("{where}: {key} = {shown}: {problem}").format(where=where(key), key=key, shown=shown, problem=problem))
    data = preset.data
    if data.train_fraction + data.test_fraction > 1.0 + 1e-9:
        raise PresetError(_("{where}: data.train_fraction + data.test_fraction = {total:g} must be at most 1 (validation gets the rest)").format(where=where('data.test_fraction'), total=data.train_fraction + data.test_fraction))
    if preset.training.early_stopping and data.train_fraction + data.test_fraction >= 1.0 - 1e-9:
        raise PresetError(_("{where}: training.early_stopping = true needs a validation split; lower data.train_fraction").format(where=where('training.early_stopping')))


def resolve_defaults(preset: Preset) -> Preset:
    """Fills the `None` fields whose default depends on another field."""
    t = preset.training
    momentum = t.momentum if t.momentum is not None else (0.9 if t.optimizer == "momentum" else 0.0)
    eps = t.eps if t.eps is not None else (1e-10 if t.optimizer == "adagrad" else 1e-8)
    decay = t.weight_decay if t.weight_decay is not None else (0.01 if t.optimizer == "adamw" else 0.0)
    training = replace(t, momentum=momentum, eps=eps, weight_decay=decay)
    return replace(preset, training=training)


def as_raw(value):
    """A Preset (or any part of one) as the plain values a TOML file holds: tables as dicts,
    tuples as lists. What `validated` checks, and what a writer writes."""
    if is_dataclass(value):
        # None is "not set": a default that depends on another field, resolved on the way in
        return {f.name: as_raw(getattr(value, f.name)) for f in fields(value) if getattr(value, f.name) is not None}
    if isinstance(value, tuple):
        return [as_raw(v) for v in value]
    return value


def validated(preset: Preset, label: str = "playground") -> Preset:
    """`preset` through every rule a preset file meets (ranges, choices, cross-field rules), so
    an edit is refused with the same sentence a file would get, and what is saved loads back."""
    return preset_from_dict(as_raw(preset), label)

