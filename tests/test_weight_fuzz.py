"""Weight files are untrusted data: every lie in one (metadata, tensors, header, size) ends in
success or one sentence naming what is wrong — never another exception, never a file read that
the user did not name, never memory beyond the budget. Seeded: the same cases every run."""
import hashlib
import json
import os
import random

import numpy as np
import pytest
import safetensors.numpy

from nnterm.cli import main
from nnterm.engine.checkpoint import read_weights, save_weights
from nnterm.engine.trainer import Trainer
from nnterm.errors import NntermError
from nnterm.presets.loader import load_preset


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    folder = tmp_path_factory.mktemp("weights")
    trainer = Trainer(load_preset("xor"))
    trainer.run(2)
    path = folder / "xor.safetensors"
    save_weights(str(path), trainer)
    blob = path.read_bytes()
    return blob, safetensors.numpy.load(blob), read_weights(str(path)).metadata


def write(path, tensors, metadata) -> str:
    path.write_bytes(safetensors.numpy.save(tensors, metadata=metadata))
    return str(path)


def outcome(capsys, *argv) -> tuple[int, str]:
    """Runs nnterm as the CLI does: NntermError is exit 2 and one line; anything else raises here."""
    rc = main(list(argv))
    err = capsys.readouterr().err
    assert rc in (0, 2), (argv, rc, err)
    if rc == 2:
        assert err.count("\n") == 1 and err.startswith("nnterm: "), err
    return rc, err


def use(capsys, path: str, out) -> list[str]:
    """What a user does with a weight file: evaluate it, export it, train from it."""
    errors = []
    for argv in (["eval", "--load", path, "--json"], ["export", path, "--output", str(out)],
                 ["train", "xor", "--load", path, "--epochs", "1", "--quiet"]):
        rc, err = outcome(capsys, *argv)
        errors.append(err if rc == 2 else "")
    return errors


LIES = [None, "", "x", "nan", "NaN", "Infinity", "-1", "1.5", "true", "null", "[]", "{}", "[1]", '["x"]', "1e999",
        str(2**64), '"relu"', '[NaN]', "[0]", "[1, 2]", "[1, 2, 3]", '[0.0, 0.0]', '[1e308, 1e308]', '{"a": 1}',
        "[" * 5000 + "]" * 5000, '"' + "a" * 10000 + '"', '["relu", "relu", "bogus"]', "[true, true, true]"]


@pytest.mark.parametrize("key", ["epoch", "seed", "step", "dtype", "optimizer", "activations", "trainable", "scaler_mean",
                                 "scaler_std", "feature_names", "class_names", "task", "shuffle_rng", "preset", "format",
                                 "early_stopping"])
def test_every_metadata_field_lies_and_nnterm_says_so(key, saved, tmp_path, capsys):
    _, tensors, metadata = saved
    for lie in LIES:
        meta = dict(metadata)
        if lie is None:
            meta.pop(key, None)
        else:
            meta[key] = lie
        errors = use(capsys, write(tmp_path / "lie.safetensors", tensors, meta), tmp_path / "out.safetensors")
        named = [e for e in errors if e]
        if lie is not None and named and key not in ("preset",):
            assert any(key in e for e in named) or any("stored preset" in e or "--load" in e for e in named), (key, lie, named)


def test_a_zero_standard_deviation_and_nan_scaler_are_refused(saved, tmp_path):
    _, tensors, metadata = saved
    for value, words in (("[0.0, 1.0]", "each > 0"), ("[NaN, 1.0]", "finite"), ("[Infinity, 1.0]", "finite"),
                         ("[1e300, 1.0]", "float32's range"), ("[1e-300, 1.0]", "each > 0")):
        path = write(tmp_path / "s.safetensors", tensors, {**metadata, "scaler_std": value})
        with pytest.raises(NntermError, match="scaler_std.*" + words):
            read_weights(path)


@pytest.mark.parametrize("edit, words", [
    (lambda t: t.update({"layers.0.weight": np.full_like(t["layers.0.weight"], np.nan)}), "layers.0.weight holds NaN"),
    (lambda t: t.update({"layers.1.bias": np.array([np.inf] * t["layers.1.bias"].size, t["layers.1.bias"].dtype)}), "infinite"),
    (lambda t: t.update({"layers.2.weight": np.ascontiguousarray(t["layers.2.weight"].T)}), "transposed"),
    (lambda t: t.pop("layers.2.bias"), "no layers.2.bias"),
    (lambda t: t.update({"layers.0.weight": t["layers.0.weight"].astype(np.int32)}), "int32"),
    (lambda t: t.update({"layers.0.weight": t["layers.0.weight"].astype(np.float64)}), "mix float32 and float64"),
    (lambda t: t.update({"layers.0.bias": t["layers.0.bias"][:1]}), "layers.0.bias has 1 values"),
    (lambda t: t.update({"layers.0.weight": t["layers.0.weight"].reshape(-1)}), r"must be \(inputs, units\)"),
    (lambda t: t.update({"optimizer.state": t["optimizer.state"][:, :3]}), "optimizer.state has shape"),
    (lambda t: t.update({"optimizer.state": np.full_like(t["optimizer.state"], np.nan)}), "optimizer.state holds NaN"),
])
def test_tensors_that_lie_are_refused_with_the_tensor_named(edit, words, saved, tmp_path):
    _, tensors, metadata = saved
    tensors = dict(tensors)
    edit(tensors)
    with pytest.raises(NntermError, match=words):
        read_weights(write(tmp_path / "t.safetensors", tensors, metadata))


def test_a_stored_csv_path_is_shown_never_opened(saved, tmp_path, capsys, monkeypatch):
    _, tensors, metadata = saved
    secret = tmp_path / "secret.csv"
    secret.write_text("a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n")
    stored = metadata["preset"].replace('kind = "xor"', 'kind = "csv"').replace('path = ""', f'path = "{secret}"')
    path = write(tmp_path / "csv.safetensors", tensors, {**metadata, "preset": stored})
    opened = []
    real_open = open

    def watching_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", watching_open)
    rc, err = outcome(capsys, "eval", "--load", path)
    assert rc == 2 and str(secret) in err and "--set data.path=PATH" in err
    assert str(secret) not in opened


def test_a_file_asking_for_huge_layers_is_refused_before_allocating(saved, tmp_path, capsys):
    _, tensors, metadata = saved
    stored = metadata["preset"].replace("units = 8,", "units = 60000,")
    path = write(tmp_path / "huge.safetensors", tensors, {**metadata, "preset": stored})
    rc, err = outcome(capsys, "eval", "--load", path)
    assert rc == 2 and "GiB of memory" in err and "the limit is 2.0 GiB" in err


def test_a_file_beyond_the_budget_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_MEMORY_LIMIT", "0.000001")     # about 1 KiB
    path = tmp_path / "big.safetensors"
    path.write_bytes(b"\0" * 4096)
    with pytest.raises(NntermError, match="nnterm reads weight files up to"):
        read_weights(str(path))


def test_links_folders_and_fifos_are_not_weight_files(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tmp_path / "fifo")
    for name, words in (("loop", "cannot open"), ("dangling", "a symbolic link to nothing"),
                        ("fifo", "is a FIFO"), (".", "is a folder")):
        with pytest.raises(NntermError, match=words):
            read_weights(str(tmp_path / name))


def test_the_same_seed_gives_a_byte_identical_file(tmp_path):
    digests = set()
    for i in range(3):
        trainer = Trainer(load_preset("xor"))
        trainer.run(2)
        save_weights(str(tmp_path / f"{i}.safetensors"), trainer)
        digests.add(hashlib.sha256((tmp_path / f"{i}.safetensors").read_bytes()).hexdigest())
    assert len(digests) == 1


def mutated_header(blob: bytes, rng: random.Random) -> bytes:
    size = int.from_bytes(blob[:8], "little")
    header = json.loads(blob[8:8 + size])
    meta = header["__metadata__"]
    choice = rng.random()
    if choice < 0.3:                                     # a tensor entry lies about itself
        name = rng.choice([k for k in header if k != "__metadata__"])
        field = rng.choice(["dtype", "shape", "data_offsets"])
        header[name][field] = rng.choice([[], [0], [1, 2], [2**62, 1], [-1, 3], "F16", "I64", "BOOL", None, 7, [3, 1]])
    elif choice < 0.5:
        key = rng.choice(list(meta))
        meta[key] = rng.choice(LIES[1:])
    elif choice < 0.6:
        header["__metadata__"] = rng.choice([[], "x", None, {"a": 1}, {"epoch": ["1"]}])
    else:
        header[rng.choice(["layers.9.weight", "layers.0.bias", "junk"])] = rng.choice(
            [{"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]}, {}, [], "x"])
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    return len(text).to_bytes(8, "little") + text + blob[8 + size:]


def mangled_bytes(blob: bytes, rng: random.Random) -> bytes:
    data = bytearray(blob)
    choice = rng.random()
    if choice < 0.3:
        return bytes(data[:rng.randrange(len(data))])    # truncated anywhere
    if choice < 0.5:                                     # the length prefix lies
        data[:8] = rng.choice([0, 1, 7, len(blob), 2**40, 2**64 - 1, 99_999_999]).to_bytes(8, "little")
        return bytes(data)
    for _ in range(rng.randint(1, 8)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def test_weight_file_fuzzer(saved, tmp_path, capsys):
    blob = saved[0]
    rng = random.Random("weight-fuzz")
    path, out = tmp_path / "fuzz.safetensors", tmp_path / "out.safetensors"
    outcomes = {0: 0, 2: 0}
    for case in range(240):
        path.write_bytes(mutated_header(blob, rng) if case % 2 else mangled_bytes(blob, rng))
        for argv in (["eval", "--load", str(path), "--json"], ["export", str(path), "--output", str(out)]):
            rc, _ = outcome(capsys, *argv)
            outcomes[rc] += 1
    assert outcomes[2] > 200 and outcomes[0] > 0
