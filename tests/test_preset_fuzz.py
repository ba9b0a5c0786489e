"""Presets as hostile input: every string survives a save, no number that is not a number gets
in, a broken saved preset is listed as broken, and thousands of mutated presets and `--set`s end
in a Preset or one PresetError sentence — never another exception. Seeded: the same cases every run."""
import copy
import math
import random
import tomllib
from dataclasses import fields, replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nnterm.cli import main
from nnterm.errors import PresetError
from nnterm.runtime.paths import path_problem
from nnterm.presets.loader import bundled_names, load_preset, preset_from_dict, preset_listing
from nnterm.presets.spec import DataSpec, LayerSpec, TrainingSpec
from nnterm.presets.writer import preset_to_toml, save_preset

SEEDED = settings(derandomize=True, max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Any text a user can type or paste: newlines, quotes, backslashes, control characters, non-ASCII.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60) | st.sampled_from(
    ['line one\nline two', 'say "hi"', "back\\slash", "\x00\x01\x1f\x7f", "tab\there", "'''", '"""', "é漢字🙂", "\r\n", "[/]"])


def free_string_fields():
    """(section or None, key) of every string field a user writes freely (not a list of choices)."""
    out = [(None, "name"), (None, "description")]
    for section, cls in (("data", DataSpec), ("network", type(load_preset("xor").network))):
        out += [(section, f.name) for f in fields(cls) if f.type is str and "choices" not in f.metadata]
    return out


@SEEDED
@given(st.lists(TEXT, min_size=len(free_string_fields()), max_size=len(free_string_fields())))
def test_every_string_field_survives_a_save(texts):
    preset = load_preset("xor")
    for (section, key), text in zip(free_string_fields(), texts):
        if section is None:
            preset = replace(preset, **{key: text})
        else:
            preset = replace(preset, **{section: replace(getattr(preset, section), **{key: text})})
    saved = preset_to_toml(preset)
    refused = [key for (section, key), text in zip(free_string_fields(), texts)
               if key in ("path", "weights") and text and path_problem(text)]
    if refused:         # a file name with a control character is refused by name, never saved as another file
        with pytest.raises(PresetError, match=f"{section_of(refused[0])}.{refused[0]} = "):
            preset_from_dict(tomllib.loads(saved))
        return
    assert preset_from_dict(tomllib.loads(saved)) == preset


def section_of(key: str) -> str:
    return {"path": "data", "weights": "network"}[key]


def float_keys():
    out = [(f"training.{f.name}") for f in fields(TrainingSpec) if "float" in str(f.type)]
    return out + [f"data.{f.name}" for f in fields(DataSpec) if "float" in str(f.type)]


@pytest.mark.parametrize("key", float_keys())
@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "+inf", "-nan"])
def test_no_float_key_takes_nan_or_infinity(key, value):
    with pytest.raises(PresetError, match="must be a finite number"):
        load_preset("xor", [f"{key}={value}"])


@pytest.mark.parametrize("command", [["train", "xor", "--epochs", "1"], ["eval", "--load", "x.safetensors"],
                                     ["step", "xor"], ["price", "--price", "random"]])
@pytest.mark.parametrize("seed", ["-1", "1.5", "x", str(2**63)])
def test_a_seed_is_a_whole_number_from_0(command, seed, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*command, "--seed", seed])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "a seed is a whole number from 0" in err and err.count("\n") == 1


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_bench_seconds_refuse_what_is_not_a_number(value, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["bench", f"--seconds={value}"])
    assert exit_.value.code == 2 and "not a finite number" in capsys.readouterr().err


def test_a_broken_saved_preset_is_listed_as_broken(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    folder = tmp_path / "presets"
    folder.mkdir()
    save_preset(replace(load_preset("xor"), name="fine", description="two\nlines [/] \"q\""), folder / "fine.toml")
    (folder / "latin1.toml").write_bytes('description = "caf\xe9"\n'.encode("latin-1"))
    (folder / "invalid.toml").write_text('description = "no end\n')
    (folder / "deep.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    (folder / "folder.toml").mkdir()
    rows = {name: (description, problem) for name, _, description, problem in preset_listing()}
    assert rows["fine"] == ("two\nlines [/] \"q\"", "")
    assert "not a text file in UTF-8" in rows["latin1"][1]
    assert "not valid TOML" in rows["invalid"][1]
    assert rows["deep"][1]
    assert "folder" not in rows
    assert main(["presets"]) == 0
    out = capsys.readouterr().out
    assert "fine" in out and "broken: " in out and "xor" in out
    assert all(line.split()[0] in rows for line in out.splitlines())


# --- fuzzers -------------------------------------------------------------------------------

ODD_VALUES = [math.nan, math.inf, -math.inf, -1, 0, 1, -0.0, 1e308, 2**63 - 1, -(2**63), 0.5, 3, True, False, "",
              "x", "nan", "sgd", "softmax", "relu", "csv", [], [1], ["x1"], ["x1", "x1"], {}, {"units": 0},
              [{"units": 2**40, "activation": "relu"}], [{"units": 1}], {"a": {"b": {}}}, "\n", 1e-320]


def mutate(raw: dict, rng: random.Random) -> dict:
    """One to four edits: a value replaced by an odd one, a key dropped, an unknown key added."""
    for _ in range(rng.randint(1, 4)):
        section = rng.choice([raw] + [v for v in raw.values() if isinstance(v, dict)])
        keys = list(section)
        action = rng.random()
        if action < 0.75 and keys:
            section[rng.choice(keys)] = copy.deepcopy(rng.choice(ODD_VALUES))
        elif action < 0.9 and keys:
            del section[rng.choice(keys)]
        else:
            section[rng.choice(["zzz", "layers", "seed", "data", "units"])] = copy.deepcopy(rng.choice(ODD_VALUES))
    return raw


def check_loaded(preset) -> None:
    """What a Preset that got through must be: every number finite, sizes positive."""
    for spec in (preset.data, preset.training):
        for f in fields(spec):
            value = getattr(spec, f.name)
            if isinstance(value, float):
                assert math.isfinite(value), f.name
    assert all(layer.units >= 1 for layer in preset.network.layers)
    assert preset.seed >= 0


@pytest.mark.parametrize("name", ["xor", "spiral", "digits", "keras-binary"])
def test_mutated_presets_load_or_say_why(name):
    rng = random.Random(f"mutations-{name}")
    base = tomllib.loads(preset_to_toml(load_preset(name)))
    outcomes = {"loaded": 0, "refused": 0}
    for _ in range(800):
        raw = mutate(copy.deepcopy(base), rng)
        try:
            preset = preset_from_dict(raw, "fuzz.toml")
        except PresetError as err:
            assert "\n" not in str(err)
            outcomes["refused"] += 1
            continue
        check_loaded(preset)
        assert preset_from_dict(tomllib.loads(preset_to_toml(preset))) == preset
        outcomes["loaded"] += 1
    assert outcomes["refused"] > 100 and outcomes["loaded"] > 10


def test_mangled_preset_text_loads_or_says_why(tmp_path):
    rng = random.Random("text-mangling")
    text = preset_to_toml(load_preset("spiral")).encode()
    path = tmp_path / "mangled.toml"
    for _ in range(500):
        data = bytearray(text)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(data))
            op = rng.random()
            if op < 0.5:
                data[at] = rng.randrange(256)
            elif op < 0.8:
                del data[at:at + rng.randint(1, 40)]
            else:
                data[at:at] = rng.choice([b"\n", b'"', b"[", b"nan", b"inf", b"\\", b"\xff", b"= ", b"-"])
        path.write_bytes(bytes(data))
        try:
            check_loaded(load_preset(str(path)))
        except PresetError:
            pass


SET_KEYS = ["seed", "name", "description", "zzz", "data", "data.zzz", "network.layers", "training", "a.b.c", "",
            "training.zzz", "."] + [f"data.{f.name}" for f in fields(DataSpec)] + \
           [f"training.{f.name}" for f in fields(TrainingSpec)] + ["network.init", "network.dtype", "network.load_layers"]
SET_VALUES = ["nan", "inf", "-inf", "-1", "0", "1e400", "1e-400", "9" * 30, "true", '"x"', "[", "]", "{", "=",
              "[1, 2]", '[{units = 3, activation = "relu"}, {units = 1, activation = "sigmoid"}]', "[{}]",
              '{units = 1}', "''", '"\\u0000"', "0x10", "1_000", "2026-01-01", "[" * 3000, "x = 1", "é", ""]


def test_set_fuzzer_loads_or_says_why():
    rng = random.Random("set-fuzz")
    for _ in range(1500):
        items = []
        for _ in range(rng.randint(1, 3)):
            key, value = rng.choice(SET_KEYS), rng.choice(SET_VALUES)
            items.append(rng.choice([f"{key}={value}", f"{key} = {value}", key, f"={value}"]))
        try:
            check_loaded(load_preset(rng.choice(["xor", "spiral"]), items))
        except PresetError as err:
            assert str(err)


@pytest.mark.parametrize("units", [0, -3, 65537, 2**40])
def test_layer_sizes_outside_the_range_are_refused(units):
    with pytest.raises(PresetError, match="units"):
        load_preset("xor", [f'network.layers=[{{units = {units}, activation = "relu"}}, {{units = 1, activation = "sigmoid"}}]'])


def test_every_bundled_preset_survives_the_writer():
    for name in bundled_names():
        preset = load_preset(name)
        assert preset_from_dict(tomllib.loads(preset_to_toml(preset))) == preset
    assert LayerSpec(3).units == 3
