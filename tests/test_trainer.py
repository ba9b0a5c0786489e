"""The Trainer as a user meets it: it learns, it is reproducible, it never loses the weights."""
import math
from dataclasses import replace

import numpy as np
import pytest

import nnterm
from nnterm.kernels import codes
from nnterm.kernels.optimizers import optimizer_step
from nnterm.engine.schedules import learning_rate
from nnterm.engine.trainer import hyper_parameters


def test_public_api_round():
    preset = nnterm.load_preset("xor")
    trainer = nnterm.Trainer(preset, seed=0, backend="cpu")
    report = trainer.train_epoch()
    assert report.epoch == 1 and math.isfinite(report.train_loss) and math.isfinite(report.val_loss)
    assert 0.0 <= report.metrics["val_accuracy"] <= 1.0 and report.seconds > 0
    history = trainer.run(epochs=5)
    assert [r.epoch for r in history] == [2, 3, 4, 5, 6] and len(trainer.history) == 6
    d = trainer.data
    assert d.x_train.shape[1] == 2 and d.y_train.shape[1] == 1 and len(d.x_val) > 0
    w, b = trainer.network.layers[0].weight, trainer.network.layers[0].bias
    assert w.shape == (2, 8) and b.shape == (8,)
    w[0, 0] = 1.25                                   # the views write through to the flat buffer
    assert trainer.network.params[0] == np.float32(1.25)


def test_xor_reaches_95_percent_in_300_epochs():
    trainer = nnterm.Trainer(nnterm.load_preset("xor"))
    trainer.run(300)
    assert trainer.history[-1].metrics["val_accuracy"] >= 0.95


def test_spiral_reaches_90_percent_with_its_own_settings():
    trainer = nnterm.Trainer(nnterm.load_preset("spiral"))
    trainer.run()
    assert trainer.history[-1].metrics["val_accuracy"] >= 0.9


def test_regression_reports_rmse_and_r2():
    trainer = nnterm.Trainer(nnterm.load_preset("plane"))
    trainer.run(40)
    metrics = trainer.history[-1].metrics
    assert set(metrics) == {"val_rmse", "val_r2"} and metrics["val_r2"] > 0.9


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_same_seed_same_loss_history_bit_for_bit(dtype):
    preset = nnterm.load_preset("moons", [f'network.dtype="{dtype}"'])
    runs = []
    for _ in range(2):
        trainer = nnterm.Trainer(preset, seed=7)
        runs.append(([(r.train_loss, r.val_loss) for r in trainer.run(15)], trainer.network.params.copy()))
    assert runs[0][0] == runs[1][0]
    assert np.array_equal(runs[0][1], runs[1][1])
    other = nnterm.Trainer(preset, seed=8)
    assert [(r.train_loss, r.val_loss) for r in other.run(15)] != runs[0][0]


def test_divergence_stops_restores_and_says_why():
    trainer = nnterm.Trainer(nnterm.load_preset("plane", ["training.learning_rate=10", "training.optimizer=sgd"]))
    reports = trainer.run(50)
    stop = reports[-1]
    assert stop.stopped and "diverged" in stop.reason and "learning rate 10" in stop.reason
    assert np.isfinite(trainer.network.params).all()
    good_epochs = trainer.epoch
    before = trainer.network.params.copy()
    again = trainer.train_epoch()                            # still diverges: nothing moves
    assert again.stopped and trainer.epoch == good_epochs and np.array_equal(trainer.network.params, before)


def test_early_stopping_restores_the_best_weights():
    preset = nnterm.load_preset("gauss", ["training.early_stopping=true", "training.patience=3",
                                          "training.learning_rate=1", "data.noise=0.5"])
    trainer = nnterm.Trainer(preset)
    reports = trainer.run(300)
    last = reports[-1]
    assert last.stopped and "early stopping" in last.reason
    best = min(reports, key=lambda r: r.val_loss)
    assert f"from epoch {best.epoch}" in last.reason
    assert trainer.backend.evaluate_loss(trainer.network, trainer.data.x_val, trainer.data.y_val) == pytest.approx(best.val_loss)


def test_full_batch_epoch_is_one_optimizer_step():
    preset = nnterm.load_preset("xor", ['network.dtype="float64"', "training.optimizer=gd", "training.learning_rate=0.5"])
    trainer = nnterm.Trainer(preset)
    net, d = trainer.network, trainer.data
    _, grads = net.loss_and_grads(d.x_train, d.y_train)
    flat = np.concatenate([np.concatenate([dw.ravel(), db]) for dw, db in grads])
    expected = net.params - 0.5 * flat
    trainer.train_epoch()
    assert trainer.step_count[0] == 1
    np.testing.assert_allclose(net.params, expected, rtol=1e-12, atol=1e-14)


def test_epoch_equals_minibatch_steps_by_hand():
    # The fused kernel must do exactly: shuffle, then for each batch loss_and_grads + optimizer rule.
    preset = nnterm.load_preset("circle", ['network.dtype="float64"', "training.optimizer=adam",
                                           "training.batch_size=32", "training.l2=0.01"])
    trainer = nnterm.Trainer(preset, seed=3)
    net, d = trainer.network, trainer.data
    params = net.params.copy()
    order = np.random.default_rng(np.random.SeedSequence(3).spawn(2)[1]).permutation(len(d.x_train))
    state = np.zeros((2, net.n_params))
    hp = hyper_parameters(preset, preset.training.learning_rate)
    shadow = nnterm.Network(net.sizes, [layer.activation for layer in net.layers], net.loss, "float64")
    shadow.params[:] = params
    for t, start in enumerate(range(0, len(order), 32), start=1):
        idx = order[start:start + 32]
        _, grads = shadow.loss_and_grads(d.x_train[idx], d.y_train[idx])
        flat = np.concatenate([np.concatenate([dw.ravel(), db]) for dw, db in grads])
        for layer in shadow.layers:                 # l2 penalty on weights: g += λw
            flat[layer.weight_slice] += 0.01 * shadow.params[layer.weight_slice]
        optimizer_step(codes.ADAM, shadow.params, flat, shadow.mask, state, t, hp)
    trainer.train_epoch()
    np.testing.assert_allclose(net.params, shadow.params, rtol=1e-10, atol=1e-12)


def test_gradient_clipping_bounds_the_step():
    preset = nnterm.load_preset("xor", ['network.dtype="float64"', "training.optimizer=gd",
                                        "training.learning_rate=1", "training.clip_norm=0.01"])
    trainer = nnterm.Trainer(preset)
    before = trainer.network.params.copy()
    trainer.train_epoch()
    assert np.linalg.norm(trainer.network.params - before) == pytest.approx(0.01, rel=1e-4)


def test_schedules_follow_pytorch():
    base = nnterm.load_preset("xor").training
    step = replace(base, learning_rate=1.0, schedule="step", step_size=10, gamma=0.5)
    assert [learning_rate(step, e) for e in (0, 9, 10, 25)] == [1.0, 1.0, 0.5, 0.25]
    exp = replace(base, learning_rate=1.0, schedule="exponential", gamma=0.9)
    assert learning_rate(exp, 3) == pytest.approx(0.729)
    cos = replace(base, learning_rate=1.0, schedule="cosine", epochs=100, min_learning_rate=0.1)
    assert learning_rate(cos, 0) == 1.0 and learning_rate(cos, 50) == pytest.approx(0.55) and learning_rate(cos, 100) == pytest.approx(0.1)


def test_reset_gives_the_same_start_again():
    trainer = nnterm.Trainer(nnterm.load_preset("xor"), seed=4)
    start = trainer.network.params.copy()
    trainer.run(3)
    trainer.reset()
    assert np.array_equal(trainer.network.params, start) and trainer.epoch == 0 and not trainer.history


def test_zeros_init_keeps_neurons_identical():
    trainer = nnterm.Trainer(nnterm.load_preset("xor", ["network.init=zeros"]))
    trainer.run(5)
    w = trainer.network.layers[1].weight
    assert np.allclose(w, w[:, :1])                  # every hidden unit learned the same thing


def test_retune_keeps_the_weights_and_a_new_optimizer_starts_its_state_afresh():
    from nnterm.presets.edits import set_optimizer, set_training
    trainer = nnterm.Trainer(nnterm.load_preset("xor", ["training.optimizer=adam"]), seed=0)
    trainer.run(2)
    weights = trainer.network.params.copy()
    assert trainer.state.any() and trainer.step_count[0] > 0
    trainer.retune(set_training(trainer.preset, learning_rate=0.5))     # idle: at once
    assert trainer.preset.training.learning_rate == 0.5 and trainer.pending is None
    assert np.array_equal(trainer.network.params, weights) and trainer.state.any()   # same rule: its m and v stay
    trainer.retune(set_optimizer(trainer.preset, "momentum"))
    assert not trainer.state.any() and trainer.step_count[0] == 0 and trainer.settings.training.optimizer == "momentum"
    assert trainer.train_epoch().learning_rate == 0.5


def test_retune_waits_for_the_running_epoch_and_refuses_what_needs_a_new_trainer():
    from nnterm.presets.edits import add_layer, set_training
    trainer = nnterm.Trainer(nnterm.load_preset("xor"), seed=0)
    with trainer.epoch_lock:                          # as if the training thread were inside an epoch
        trainer.retune(set_training(trainer.preset, learning_rate=0.2))
        assert trainer.preset.training.learning_rate == 0.03 and trainer.settings.training.learning_rate == 0.2
    assert trainer.train_epoch().learning_rate == 0.2     # taken the moment that epoch ended
    with pytest.raises(nnterm.NntermError, match="need a new trainer"):
        trainer.retune(add_layer(trainer.preset))
