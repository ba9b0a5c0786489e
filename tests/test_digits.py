"""The bundled digits: the data is what UCI published, the preset learns it, and a saved model
evaluates to the same test figures it trained to, with a confusion matrix."""
import json
import subprocess
import sys

import numpy as np

from nnterm.data.digits import load_digits
from nnterm.presets.kinds import data_kind
from nnterm.presets.loader import load_preset
from nnterm.engine.trainer import Trainer


def test_the_bundled_file_is_the_uci_test_set():
    images, labels = load_digits()
    assert images.shape == (1797, 64) and labels.shape == (1797,)
    assert images.min() == 0 and images.max() == 16 and np.array_equal(images, np.round(images))
    assert np.bincount(labels).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert labels[:10].tolist() == list(range(10))
    # the first image is a zero: a ring of ink around an empty middle
    zero = images[0].reshape(8, 8)
    assert zero[3:6, 3:5].sum() < zero[1:7, [1, 6]].sum()
    images[0, 0] = 99                                    # callers get copies
    assert load_digits()[0][0, 0] == 0


def test_the_kinds_table_gives_the_width_the_file_has():
    """The memory budget sizes a digits preset from the table before the file is read."""
    images, _ = load_digits()
    assert images.shape[1] == data_kind("digits").width


def test_digits_preset_data_is_split_and_scaled_on_training_only():
    trainer = Trainer(load_preset("digits"))
    data = trainer.data
    assert data.task == "multiclass" and data.n_classes == 10 and data.class_names == tuple("0123456789")
    assert data.x_train.shape == (1258, 64) and data.x_test.shape == (359, 64) and data.x_val.shape == (180, 64)
    assert data.y_train.shape == (1258, 10) and np.array_equal(data.y_train.sum(axis=1), np.ones(1258))
    varying = data.scaler_std != 1.0
    assert np.abs(data.x_train.mean(axis=0)).max() < 1e-5                    # centred on the training split …
    assert np.allclose(data.x_train[:, varying].std(axis=0), 1.0, atol=1e-4)
    assert np.abs(data.x_test[:, varying].mean(axis=0)).max() > 1e-3          # … not on the test split


def nnterm(*args, cwd):
    return subprocess.run([sys.executable, "-m", "nnterm", *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_train_save_then_eval_prints_the_same_test_metrics(tmp_path):
    train = nnterm("train", "digits", "--save", "d.safetensors", "--json", cwd=tmp_path)
    assert train.returncode == 0, train.stderr
    final = json.loads(train.stdout.splitlines()[-1])
    assert final["test_accuracy"] >= 0.95
    evaluated = nnterm("eval", "digits", "--load", "d.safetensors", "--json", cwd=tmp_path)
    assert evaluated.returncode == 0, evaluated.stderr
    report = json.loads(evaluated.stdout)
    assert report["split"] == "test" and report["samples"] == 359 and report["epoch"] == final["epochs"]
    assert report["accuracy"] == final["test_accuracy"] and report["loss"] == final["test_loss"]
    assert report["f1_macro"] == final["test_f1_macro"]
    matrix = np.array(report["confusion_matrix"])
    assert matrix.shape == (10, 10) and matrix.sum() == 359
    assert np.trace(matrix) / 359 == report["accuracy"]
    text = nnterm("eval", "digits", "--load", "d.safetensors", cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    assert f"accuracy         {final['test_accuracy']:.4f}" in text.stdout
    assert "confusion matrix (rows: true class, columns: predicted class)" in text.stdout
    assert text.stdout.rstrip().splitlines()[-1].split()[0] == "9"           # the last row is digit 9
