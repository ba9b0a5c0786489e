"""Fine-tuning: frozen layers do not move by a single bit, whatever the optimizer or penalty; the
digits-finetune preset starts from saved weights and trains only its head; summary counts it."""
import subprocess
import sys

import numpy as np
import pytest

from nnterm.engine.checkpoint import read_weights, save_weights
from nnterm.commands.train import freeze_layers
from nnterm.errors import NntermError
from nnterm.presets.loader import load_preset
from nnterm.engine.trainer import Trainer

FROZEN_MIDDLE = ('network.layers=[{units=6, activation="tanh"}, {units=6, activation="relu", trainable=false}, '
                 '{units=1, activation="sigmoid"}]')


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "rmsprop", "adagrad", "adam", "adamw"])
def test_frozen_layers_are_bit_for_bit_unchanged(optimizer):
    trainer = Trainer(load_preset("circle", ["data.samples=100", FROZEN_MIDDLE, f"training.optimizer={optimizer}",
                                             "training.learning_rate=0.05", "training.l2=0.01", "training.clip_norm=1.0"]))
    net = trainer.network
    frozen = net.params[net.layers[1].param_slice].tobytes()
    others = [net.params[net.layers[i].param_slice].copy() for i in (0, 2)]
    trainer.run(4)
    assert net.params[net.layers[1].param_slice].tobytes() == frozen
    assert all(not np.array_equal(net.params[net.layers[i].param_slice], before) for i, before in zip((0, 2), others))


def test_freeze_option_marks_layers_and_summary_counts_them():
    preset = freeze_layers(load_preset("keras-binary"), "0,1")
    assert [layer.trainable for layer in preset.network.layers] == [False, False, True]
    summary = Trainer(preset).network.summary()
    assert "Total params: 4,929" in summary
    assert "Trainable params: 65 " in summary and "Non-trainable params: 4,864 " in summary
    assert "dense_0 (relu, frozen)" in summary


@pytest.mark.parametrize("text,message", [
    ("3", "--freeze 3: give layer indices from 0 to 2"),
    ("a", "--freeze a: give layer indices from 0 to 2"),
    ("0,1,2", "--freeze 0,1,2: that freezes every layer, so nothing would train"),
])
def test_bad_freeze_is_a_sentence(text, message):
    with pytest.raises(NntermError, match=message):
        freeze_layers(load_preset("xor"), text)


@pytest.fixture
def digits_weights(tmp_path, monkeypatch):
    """A quickly trained digits model, saved as digits.safetensors in the working folder."""
    monkeypatch.chdir(tmp_path)
    trainer = Trainer(load_preset("digits"))
    trainer.run(5)
    save_weights("digits.safetensors", trainer)
    return trainer


def test_digits_finetune_keeps_the_body_and_trains_a_fresh_head(digits_weights):
    pretrained = read_weights("digits.safetensors")
    tuner = Trainer(load_preset("digits-finetune"))
    body, head = tuner.network.layers
    assert np.array_equal(body.weight, pretrained.weight(0)) and not body.trainable
    assert not np.array_equal(head.weight, pretrained.weight(1))            # load_layers = 1: a fresh head
    assert np.array_equal(tuner.data.x_test, digits_weights.data.x_test)     # the same unseen test split
    assert np.array_equal(tuner.data.scaler_mean, digits_weights.data.scaler_mean)
    assert tuner.data.x_train.shape[0] == 126                                # subset = 0.1 of 1,258
    start_head = head.weight.copy()
    tuner.run(5)
    assert np.array_equal(body.weight, pretrained.weight(0)) and np.array_equal(body.bias, pretrained.bias(0))
    assert not np.array_equal(head.weight, start_head)
    tuner.reset()                                                           # reset: back to the file's body
    assert np.array_equal(tuner.network.layers[0].weight, pretrained.weight(0))


def test_a_saved_finetune_run_resumes_with_its_trained_head(digits_weights):
    preset = load_preset("digits-finetune")
    tuner = Trainer(preset)
    tuner.run(3)
    save_weights("tuned.safetensors", tuner)
    weights = read_weights("tuned.safetensors")
    again = Trainer(preset, weights=weights)           # load_layers = 1 would take the body only …
    assert again.restore(weights) and again.epoch == 3
    assert np.array_equal(again.network.params, tuner.network.params)       # … resuming takes every layer


def test_load_layers_beyond_the_file_or_network_is_a_sentence(digits_weights):
    three = ('network.layers=[{units=64, activation="relu"}, {units=10, activation="relu"}, '
             '{units=10, activation="softmax"}]')
    with pytest.raises(NntermError, match="holds 2 layers but network.load_layers = 3"):
        Trainer(load_preset("digits-finetune", [three, "network.load_layers=3"]))
    with pytest.raises(NntermError, match="network.load_layers = 5 but the network has only 2 layers"):
        Trainer(load_preset("digits-finetune", ["network.load_layers=5"]))
    with pytest.raises(NntermError, match=r"holds 2 layers but the network has 3$"):
        Trainer(load_preset("digits-finetune", [three, "network.load_layers=0"]))
    one = 'network.layers=[{units=10, activation="softmax"}]'
    with pytest.raises(NntermError, match="holds 2 layers but the network has 1; set network.load_layers to take only the first"):
        Trainer(load_preset("digits-finetune", [one, "network.load_layers=0"]))


def test_finetune_without_the_weight_file_says_how_to_make_it(tmp_path):
    import os
    run = subprocess.run([sys.executable, "-m", "nnterm", "train", "digits-finetune"], capture_output=True,
                         text=True, timeout=120, cwd=tmp_path, env=dict(os.environ, NNTERM_HOME=str(tmp_path / "home")))
    assert run.returncode == 2
    assert run.stderr.strip() == (f"nnterm: digits.safetensors: no such weight file here or in {tmp_path / 'home' / 'weights'} "
                                  "(network.weights); make it with `nnterm train digits --save digits.safetensors` "
                                  "(or keep it in that folder)")


def test_the_fresh_head_is_fresh_near_chance_before_fine_tuning_and_climbs(digits_weights):
    """The head does not start from the values the `digits` run's own head started from."""
    from nnterm.engine.evaluation import epoch_metrics
    tuner = Trainer(load_preset("digits-finetune"))
    data = tuner.data
    before = epoch_metrics(data.task, tuner.network.predict(data.x_val), data.y_val)["accuracy"]
    assert before < 0.3                                       # ten classes: chance is 0.1
    origin = Trainer(load_preset("digits"))                   # the digits run's own starting head
    assert not np.array_equal(tuner.network.layers[1].weight, origin.network.layers[1].weight)
    reports = tuner.run(10)
    assert reports[-1].metrics["val_accuracy"] > 0.85 > before


def test_the_weight_file_is_found_in_nnterm_home_and_a_missing_one_says_how_to_make_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path / "home"))
    with pytest.raises(NntermError) as err:
        Trainer(load_preset("digits-finetune"))
    assert "make it with `nnterm train digits --save digits.safetensors`" in str(err.value)
    (tmp_path / "home" / "weights").mkdir(parents=True)
    save_weights(str(tmp_path / "home" / "weights" / "digits.safetensors"), Trainer(load_preset("digits", ["training.epochs=2"])))
    tuner = Trainer(load_preset("digits-finetune"))                       # found in $NNTERM_HOME/weights
    assert tuner.weights.path.endswith("home/weights/digits.safetensors")
