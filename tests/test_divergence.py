"""Divergence, defined (nnterm/engine/divergence.py): noticed before NaN, the best recent weights
restored, said in words, a distinct exit status — and numbers that print and parse sensibly."""
import json
import math

import numpy as np
import pytest

from nnterm.cli import main
from nnterm.commands.train import DIVERGED_EXIT, epilog, progress_line
from nnterm.engine.divergence import LOSS_GROWTH, WEIGHT_LIMIT, DivergenceWatch
from nnterm.engine.trainer import EpochReport, Trainer
from nnterm.presets.loader import load_preset
from nnterm.runtime.numbers import figure, json_text


def strict_json(text: str):
    """json.loads that refuses NaN and Infinity, as every other JSON parser does."""
    def refuse(word):
        raise ValueError(f"{word} is not JSON")
    return json.loads(text, parse_constant=refuse)


def watch_run(losses, weights=None):
    """Feeds a DivergenceWatch epoch by epoch, as the trainer does; the params of epoch k are all k."""
    watch, state, steps = DivergenceWatch(), np.zeros((2, 3)), np.zeros(1, dtype=np.int64)
    params = np.zeros(3)
    watch.begin(0, params, state, steps, lambda: 1.0)
    for epoch, loss in enumerate(losses, start=1):
        params[:] = epoch if weights is None else weights[epoch - 1]
        why = watch.problem(epoch, loss, params)
        if why:
            return why, watch.restore(params, state, steps), params
        watch.healthy(epoch, loss, params, state, steps)
    return "", None, params


def test_a_growing_loss_is_divergence_before_it_is_nan():
    why, restored, params = watch_run([0.9, 0.5, 0.7, 20.0, 150.0, math.inf])
    assert f"more than {LOSS_GROWTH:g} times" in why and "150" in why
    assert restored == 2 and (params == 2).all()           # the best recent epoch, not the last finite one (4)


def test_exploding_weights_are_divergence_while_the_loss_still_looks_fine():
    why, restored, params = watch_run([0.9, 0.8, 0.85], weights=[1.0, 2.0, 3 * WEIGHT_LIMIT])
    assert "a weight reached 3e+06" in why and restored == 2 and (params == 2).all()


def test_nan_at_once_restores_the_start():
    why, restored, params = watch_run([math.nan])
    assert "NaN" in why and restored == 0 and (params == 0).all()


def test_noise_and_a_fall_to_nearly_zero_are_not_divergence():
    assert watch_run([0.9, 1.5, 0.2, 0.001, 0.05, 1e-6, 0.09, 0.3])[0] == ""


def test_the_trainer_restores_the_best_recent_epoch_and_says_so():
    trainer = Trainer(load_preset("plane", ["training.optimizer=momentum", "training.learning_rate=0.5"]))
    seen = {}
    reports = trainer.run(40, on_epoch=lambda r: seen.setdefault(r.epoch, trainer.network.params.copy()))
    last = reports[-1]
    assert last.diverged and last.stopped
    assert f"restored the weights of epoch {trainer.epoch}" in last.reason and "too high" in last.reason
    assert np.abs(trainer.network.params).max() <= WEIGHT_LIMIT
    assert all(r.epoch <= trainer.epoch for r in trainer.history)
    assert trainer.epoch == 1 and "the loss grew to" in last.reason
    assert np.array_equal(trainer.network.params, seen[1])


def test_a_learning_rate_raised_mid_run_diverges_back_to_before_it():
    from dataclasses import replace
    trainer = Trainer(load_preset("plane"))
    trainer.run(12)
    before = trainer.network.params.copy()
    trainer.preset = replace(trainer.preset, training=replace(trainer.preset.training, learning_rate=1e4))
    last = trainer.run(5)[-1]
    assert last.diverged and trainer.epoch == 12 and np.array_equal(trainer.network.params, before)
    assert "restored the weights of epoch 12" in last.reason


def test_train_ends_with_a_line_and_its_own_exit_status(tmp_path, capsys):
    saved = tmp_path / "w.safetensors"
    rc = main(["train", "plane", "--set", "training.learning_rate=10", "--epochs", "5", "--save", str(saved)])
    out, err = capsys.readouterr()
    assert rc == DIVERGED_EXIT != 2 and saved.is_file()
    assert err.strip().splitlines()[-1].startswith("nnterm: training diverged; kept the weights of epoch")
    assert "no epoch finished" in out or " — loss " in out
    rc = main(["train", "plane", "--set", "training.learning_rate=10", "--epochs", "5", "--json"])
    lines = capsys.readouterr().out.splitlines()
    assert rc == DIVERGED_EXIT
    final = strict_json(lines[-1])
    assert final["diverged"] is True and "diverged" in final["reason"]
    for line in lines:
        strict_json(line)


def test_help_states_the_rule_with_the_same_figures():
    text = epilog()
    assert f"{LOSS_GROWTH:g} times" in text and format(WEIGHT_LIMIT, ".0e").replace("e+0", "e") in text and f" {DIVERGED_EXIT} " in text


@pytest.mark.parametrize("value, text", [(0.12345, "0.1235"), (123456.0, "123456.0000"), (1.5e13, "1.5000e+13"),
                                         (-3.5486e17, "-3.5486e+17"), (math.nan, "nan"), (math.inf, "inf")])
def test_figures_turn_scientific_when_too_large(value, text):
    assert figure(value) == text


def test_a_progress_line_with_huge_numbers_reads():
    line = progress_line(EpochReport(3, 1.2e13, 4.5e14, {"r2": -9.9e20}, 0.001), 10)
    assert "loss 1.2000e+13" in line and "val_loss 4.5000e+14" in line and "r2 -9.9000e+20" in line


def test_json_is_json():
    text = json_text({"a": math.nan, "b": [math.inf, -math.inf, 1.5], "c": np.float32(2.5), "d": np.array([np.nan, 1])})
    assert strict_json(text) == {"a": None, "b": [None, None, 1.5], "c": 2.5, "d": [None, 1.0]}


@pytest.mark.parametrize("argv", [
    ["step", "plane", "--set", "training.learning_rate=1e30", "--epochs", "1", "--json"],
    ["step", "xor", "--set", "training.learning_rate=1e38", "--json"],
    ["eval", "--load", "{w}", "--json"],
])
def test_every_json_output_parses_strictly(argv, tmp_path, capsys):
    weights = tmp_path / "w.safetensors"
    assert main(["train", "xor", "--epochs", "1", "--quiet", "--save", str(weights)]) == 0
    capsys.readouterr()
    assert main([a.replace("{w}", str(weights)) for a in argv]) == 0
    for line in capsys.readouterr().out.splitlines():
        strict_json(line)
