"""The IDX loader and the MNIST-format image sets, on small files the tests write: every header
field is checked, every bad file is one sentence (exit 2 on the command line), never a traceback."""
import gzip
import struct
import subprocess
import sys

import numpy as np
import pytest

from idx_files import idx_bytes, write_set
from nnterm.data.idx import read_idx
from nnterm.data.image_sets import load_image_set
from nnterm.engine.trainer import Trainer
from nnterm.errors import NntermError
from nnterm.presets.loader import load_preset


def test_images_and_labels_read_back_gzipped_or_not(tmp_path):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    (tmp_path / "plain").write_bytes(idx_bytes(images))
    (tmp_path / "zipped").write_bytes(gzip.compress(idx_bytes(images)))
    for name in ("plain", "zipped"):
        assert np.array_equal(read_idx(tmp_path / name, 3, "images"), images)


def sentence(tmp_path, data: bytes, rank=3, budget=1 << 30) -> str:
    path = tmp_path / "bad-idx3-ubyte"
    path.write_bytes(data)
    with pytest.raises(NntermError) as err:
        read_idx(path, rank, "images (count × rows × columns)", budget)
    text = str(err.value)
    assert text.startswith(str(path)) and "\n" not in text
    return text


def test_every_header_field_is_checked(tmp_path):
    good = idx_bytes(np.zeros((2, 3, 4)))
    assert "too short" in sentence(tmp_path, b"\x00\x00")
    assert "is not an IDX file" in sentence(tmp_path, b"PK\x03\x04" + good[4:])
    assert "type 0x0d" in sentence(tmp_path, b"\x00\x00\x0d\x03" + good[4:])
    assert "has 1 dimension(s)" in sentence(tmp_path, idx_bytes(np.zeros(5)))
    assert "ends inside its header" in sentence(tmp_path, good[:9])
    assert "a size of 0" in sentence(tmp_path, bytes([0, 0, 8, 3]) + struct.pack(">3I", 0, 28, 28))
    assert "is cut short" in sentence(tmp_path, good[:-1])
    assert "has bytes past its data" in sentence(tmp_path, good + b"\x00")
    assert "is cut short" in sentence(tmp_path, gzip.compress(good[:-1]))


def test_the_budget_is_judged_from_the_header_before_the_body_is_read(tmp_path):
    # a 24-byte file claiming 4 billion images: refused by its header, nothing allocated
    claim = bytes([0, 0, 8, 3]) + struct.pack(">3I", 4_000_000_000, 28, 28)
    assert "the budget is 1,074 MB" in sentence(tmp_path, claim)
    assert "the budget is 0 MB" in sentence(tmp_path, idx_bytes(np.zeros((2, 3, 4))), budget=10)
    # gzip that would inflate past what its header states stops one byte past it
    bomb = gzip.compress(idx_bytes(np.zeros((2, 3, 4))) + bytes(50_000_000))
    assert "has bytes past its data" in sentence(tmp_path, bomb)


def test_damaged_gzip_is_one_sentence(tmp_path):
    data = gzip.compress(idx_bytes(np.zeros((20, 28, 28))))
    assert "gzip stream is damaged or cut short" in sentence(tmp_path, data[: len(data) // 2])


def test_random_damage_is_always_a_sentence(tmp_path):
    rng = np.random.default_rng(0)
    good = idx_bytes(rng.integers(0, 255, size=(3, 5, 5)))
    path = tmp_path / "fuzz"
    for trial in range(300):
        data = bytearray(good if trial % 2 else gzip.compress(good))
        for _ in range(rng.integers(1, 4)):
            data[rng.integers(0, len(data))] = rng.integers(0, 256)
        data = bytes(data[: rng.integers(0, len(data) + 1)]) if trial % 3 == 0 else bytes(data)
        path.write_bytes(data)
        try:
            out = read_idx(path, 3, "images")
        except NntermError as err:
            assert "\n" not in str(err)
        else:
            assert out.ndim == 3 and out.size * 4 <= 1 << 30


def test_a_set_folder_loads_with_the_standard_split(tmp_path):
    train_x, train_y, test_x, test_y = write_set(tmp_path / "mnist", 40, 10, zipped=True)
    inputs, labels, n_train, names = load_image_set("mnist", str(tmp_path / "mnist"))
    assert inputs.shape == (50, 784) and inputs.dtype == np.float32 and n_train == 40
    assert inputs.max() == 1.0 and inputs.min() >= 0.0                  # pixels ÷ 255
    assert np.array_equal(labels, np.concatenate([train_y, test_y])) and names == tuple("0123456789")


def test_the_dotted_names_some_copies_use_are_found(tmp_path):
    write_set(tmp_path, 20, 10, names=lambda part: part + (".idx3-ubyte" if "images" in part else ".idx1-ubyte"))
    assert load_image_set("mnist", str(tmp_path))[0].shape == (30, 784)


def test_mismatched_pairs_are_one_sentence(tmp_path):
    write_set(tmp_path, 20, 10)
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(np.zeros(9)))
    with pytest.raises(NntermError, match="holds 9 labels for 10 images"):
        load_image_set("mnist", str(tmp_path))
    (tmp_path / "t10k-labels-idx1-ubyte").write_bytes(idx_bytes(np.full(10, 12)))
    with pytest.raises(NntermError, match="holds the label 12"):
        load_image_set("mnist", str(tmp_path))
    write_set(tmp_path, 20, 10, side=8)
    with pytest.raises(NntermError, match="holds 8 × 8 images; MNIST handwritten digits are 28 × 28"):
        load_image_set("mnist", str(tmp_path))


def test_the_preset_trains_on_the_training_file_and_tests_on_the_test_file(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    write_set(tmp_path / "data" / "mnist", 60, 20)
    trainer = Trainer(load_preset("mnist", ["data.train_fraction=0.75", "training.epochs=1"]))
    data = trainer.data
    assert (len(data.x_train), len(data.x_val), len(data.x_test)) == (45, 15, 20)
    assert data.image_shape == (28, 28) and data.n_classes == 10
    assert data.x_train.max() == 1.0 and data.x_train.dtype == np.float32   # not standardised: 0 … 1
    assert trainer.network.n_params == 101_770
    assert Trainer(load_preset("mnist-linear")).network.n_params == 7_850


def test_missing_files_say_how_to_get_them(tmp_path):
    run = subprocess.run([sys.executable, "-m", "nnterm", "train", "mnist"], capture_output=True, text=True,
                         env={"NNTERM_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1 and "nnterm data fetch mnist" in run.stderr and str(tmp_path) in run.stderr


def test_the_mnist_epoch_benchmark_trains_on_the_real_training_images_when_present(tmp_path, monkeypatch):
    from nnterm.bench.workloads import WORKLOADS, make_arrays, with_samples
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    synthetic = make_arrays(WORKLOADS["mnist-epoch"])
    assert synthetic.x.shape == (60_000, 784) and "nnterm data fetch mnist" in synthetic.source
    train_x, train_y, _, _ = write_set(tmp_path / "data" / "mnist", 40, 10)
    real = make_arrays(WORKLOADS["mnist-epoch"])
    assert real.source == "MNIST training images (40)" and with_samples(WORKLOADS["mnist-epoch"], real).samples == 40
    assert np.array_equal(real.x, train_x.reshape(40, -1) / np.float32(255)) and np.array_equal(real.labels, train_y)
