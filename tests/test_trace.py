"""nnterm.teach.trace: the traced step is the training step, its gradients are backprop's, and the
explanations it writes for one weight hold the numbers they claim."""

import numpy as np
import pytest

from nnterm.errors import NntermError
from nnterm.presets.loader import load_preset
from nnterm.teach.trace import activation_slope, epoch_changes, gradient_check, num, sub, trace_step, unit_health
from nnterm.engine.trainer import Trainer

F64 = 'network.dtype="float64"'


def small_trainer(*overrides, preset="xor"):
    return Trainer(load_preset(preset, [F64, "data.samples=60", *overrides]))


def every_weight(trace):
    for li, lt in enumerate(trace.layers):
        for source in range(-1, lt.fan_in):
            for target in range(lt.units):
                yield li, source, target


def test_gradients_equal_loss_and_grads_and_finite_differences():
    trainer = small_trainer()
    trace = trace_step(trainer)
    assert len(trace.rows) == trainer.batch_size == 10
    loss, grads = trainer.network.loss_and_grads(trace.x, trace.y)
    assert trace.loss == pytest.approx(loss, rel=1e-12)
    for lt, (dw, db) in zip(trace.layers, grads):
        np.testing.assert_allclose(lt.grad_weight, dw, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(lt.grad_bias, db, rtol=1e-12, atol=1e-15)
    worst = max(gradient_check(trace, *w).relative_error for w in every_weight(trace))
    assert worst < 1e-6


@pytest.mark.parametrize("optimizer", ["gd", "momentum", "adam"])
def test_full_batch_update_is_what_one_trainer_step_applies(optimizer):
    # batch ≥ training set: one epoch is exactly one optimizer step, on the same shuffled rows
    trainer = small_trainer(f'training.optimizer="{optimizer}"', "training.batch_size=1000", "training.l2=0.01")
    trace = trace_step(trainer)
    assert sorted(trace.rows.tolist()) == list(range(trainer.data.x_train.shape[0]))
    before = trainer.network.params.copy()
    report = trainer.train_epoch()
    applied = trainer.network.split(trainer.network.params - before)
    for lt, (dw, db) in zip(trace.layers, applied):
        np.testing.assert_allclose(lt.update_weight, dw, rtol=1e-12, atol=1e-16)
        np.testing.assert_allclose(lt.update_bias, db, rtol=1e-12, atol=1e-16)
        np.testing.assert_allclose(lt.weight_after, trainer.network.layers[lt.index].weight, rtol=1e-12)
    assert report.train_loss == pytest.approx(trace.loss, rel=1e-12)
    assert trace.step == int(trainer.step_count[0]) == 1
    if optimizer != "gd":
        names = list(trace.layers[0].state)
        assert names == (["velocity"] if optimizer == "momentum" else ["m", "v"])
        for row, name in enumerate(names):
            np.testing.assert_allclose(trace.layers[0].state[name][0], trainer.network.split(trainer.state[row])[0][0], rtol=1e-12)


def test_tracing_leaves_the_trainer_untouched():
    trainer = small_trainer('training.optimizer="adam"')
    trainer.train_epoch()
    saved = (trainer.network.params.copy(), trainer.state.copy(), trainer.step_count.copy())
    first = trace_step(trainer)
    second = trace_step(trainer)
    np.testing.assert_array_equal(first.rows, second.rows)        # the shuffle was peeked, not consumed
    np.testing.assert_array_equal(trainer.network.params, saved[0])
    np.testing.assert_array_equal(trainer.state, saved[1])
    np.testing.assert_array_equal(trainer.step_count, saved[2])
    assert first.step == int(saved[2][0]) + 1


def test_chain_rule_for_one_sample_is_delta_times_input():
    trainer = small_trainer()
    trace = trace_step(trainer, [5])
    hidden, out = trace.layers[1], trace.layers[2]
    rule = trace.chain_rule(1, 2, 3)
    a_in, delta = hidden.inputs[0, 2], hidden.delta[0, 3]
    assert rule.name == "w₃₄"
    assert rule.gradient == pytest.approx(a_in * delta, rel=1e-12) == pytest.approx(hidden.grad_weight[2, 3])
    # δ of a hidden unit = f′(z) · Σ_m w_next[k, m] δ_next[m]
    slope = activation_slope("tanh", hidden.z, hidden.a)[0, 3]
    assert slope == pytest.approx(1 - hidden.a[0, 3] ** 2)
    assert delta == pytest.approx(slope * out.weight[3] @ out.delta[0], rel=1e-12)
    text = "\n".join(t for _, t in rule.lines)
    assert f"∂L/∂w₃₄ = δ₄ · a₃ = ({num(delta)})({num(a_in)}) = {num(rule.gradient)}" in text
    assert f"−({num(trace.learning_rate)})({num(rule.gradient)}) = {num(rule.update)}" in text
    assert rule.update == pytest.approx(-trace.learning_rate * rule.gradient, rel=1e-12)
    assert [phase for phase, _ in rule.lines] == sorted((p for p, _ in rule.lines), key=["forward", "loss", "backward", "update"].index)
    bias = trace.chain_rule(0, -1, 0)
    assert bias.name == "b₁" and bias.gradient == pytest.approx(trace.layers[0].delta[0, 0])


def test_dead_relus_and_saturated_units_are_found():
    trainer = small_trainer('network.layers=[{units=4, activation="relu"}, {units=3, activation="tanh"}, {units=1, activation="sigmoid"}]')
    net = trainer.network
    net.layers[0].bias[:2] = -100.0           # units 1 and 2 never fire
    net.layers[1].weight[...] = 0.0
    net.layers[1].bias[0] = 20.0              # tanh unit 1 pinned at +1
    trace = trace_step(trainer)
    assert trace.layers[0].dead.tolist() == [True, True, False, False]
    assert trace.layers[1].saturated.tolist() == [True, False, False]
    assert not trace.layers[0].grad_weight[:, :2].any()     # no gradient reaches a dead unit
    health = unit_health(net, trainer.data.x_train, trainer.data.y_train)
    assert health[0][0].tolist() == [True, True, False, False]
    stats = trace.layers[0].stats()
    assert stats.dead == 2
    lt = trace.layers[2]
    theta = np.concatenate([lt.weight.ravel(), lt.bias])
    step = np.concatenate([lt.update_weight.ravel(), lt.update_bias])
    assert lt.stats().update_ratio == pytest.approx(np.linalg.norm(step) / np.linalg.norm(theta))
    assert lt.stats().mean_abs_delta == pytest.approx(np.abs(lt.delta).mean())


def test_bad_sample_and_weight_are_sentences():
    trainer = small_trainer()
    n = trainer.data.x_train.shape[0]
    with pytest.raises(NntermError, match=f"sample {n} is out of range: the training set has {n} samples"):
        trace_step(trainer, [n])
    trace = trace_step(trainer, [0])
    with pytest.raises(NntermError, match="layer 1 has weights from inputs 1 … 2"):
        trace.chain_rule(0, 5, 0)
    with pytest.raises(NntermError, match='phase "sideways" is not one of'):
        trace.to_dict("sideways")


def test_subscripts_read_like_the_textbook():
    assert sub(1, 2) == "₁₂" and sub(3, 12) == "₃,₁₂"
    assert num(-0.3104) == "−0.3104"


def test_epoch_changes_reports_before_and_after_through_the_trainer():
    trainer = small_trainer()
    start = trainer.network.params.copy()
    step = epoch_changes(trainer, trainer.train_epoch)
    assert step.report.epoch == trainer.epoch == 1
    np.testing.assert_array_equal(np.concatenate([np.concatenate([w.ravel(), b]) for w, b in step.before]), start)
    np.testing.assert_array_equal(step.after[0][0], trainer.network.layers[0].weight)
    assert not np.array_equal(step.after[0][0], step.before[0][0])
    assert step.loss_after < step.loss_before
    assert len(step.health) == 3 and step.health[0][0].shape == (8,)


@pytest.mark.parametrize("penalty", [["training.l2=0.01"], ["training.l1=0.001"], ["training.l1=0.001", "training.l2=0.01"]])
def test_with_l1_or_l2_the_update_follows_the_loss_gradient_plus_the_penalty(penalty):
    trainer = Trainer(load_preset("xor", ["data.samples=60", 'network.dtype="float64"', *penalty]))
    trace = trace_step(trainer, [3])
    t = trainer.preset.training
    layer = trace.layers[0]
    w = layer.weight
    np.testing.assert_allclose(layer.penalty_weight, t.l1 * np.sign(w) + t.l2 * w, rtol=1e-12)
    np.testing.assert_allclose(layer.update_weight, -t.learning_rate * (layer.grad_weight + layer.penalty_weight),
                               rtol=1e-9, atol=1e-15)
    np.testing.assert_allclose(layer.update_bias, -t.learning_rate * layer.grad_bias, rtol=1e-9, atol=1e-15)
    sentence = trace.penalty_sentence()
    assert ("l2·w" in sentence) == bool(t.l2) and ("l1·sign(w)" in sentence) == bool(t.l1)
    lines = [text for _, text in trace.chain_rule(0, 0, 0).lines]
    penalty_line = next(line for line in lines if line.startswith("penalty:"))
    assert num(layer.grad_weight[0, 0] + layer.penalty_weight[0, 0]) in penalty_line
    assert any(line.startswith("update: Δw₁₁ = −lr · (∂L/∂w₁₁ + penalty)") and line.endswith(num(layer.update_weight[0, 0]))
               for line in lines)
    bias_lines = [text for _, text in trace.chain_rule(0, -1, 0).lines]
    assert not any(line.startswith("penalty:") for line in bias_lines) and any("no penalty on a bias" in line for line in bias_lines)
    assert trace_step(Trainer(load_preset("xor", ["data.samples=60"])), [3]).penalty_sentence() == ""


def test_the_loss_is_named_as_it_is_in_force():
    """loss = "auto" is resolved: the trace says bce for a sigmoid output, never "auto"."""
    trace = trace_step(Trainer(load_preset("xor", ["data.samples=60"])), [0])
    assert trace.loss_name == "bce"
