"""nnterm.teach.explain: every filled-in formula, read back from its text, gives the result it shows
(to the 4 significant digits its operands are shown with), and the numbers are the engine's."""
import math
import re

import numpy as np
import pytest

from nnterm.engine.metrics import accuracy as accuracy_metric
from nnterm.engine.trainer import Trainer
from nnterm.errors import NntermError
from nnterm.kernels.codes import HIDDEN_ACTIVATIONS
from nnterm.presets.loader import load_preset
from nnterm.teach import explain
from nnterm.teach.descent import Race
from nnterm.teach.glossary import TERMS, define, lines
from nnterm.teach.neuron_lab import Neuron
from nnterm.teach.surfaces import SURFACES
from nnterm.teach.trace import trace_step


# --- reading a filled-in line back: interval arithmetic on the numbers as shown ---------------------
class I:
    """[lo, hi]: a number shown with 4 significant digits is anywhere within half its last digit."""

    def __init__(self, lo, hi=None):
        self.lo, self.hi = (lo, lo) if hi is None else (min(lo, hi), max(lo, hi))

    @staticmethod
    def shown(text: str) -> "I":
        value = float(text)
        if value == 0:
            return I(0.0)
        half = 0.5 * 10 ** (math.floor(math.log10(abs(value))) - 3)
        return I(value - half, value + half)

    def _corners(self, other, op):
        other = other if isinstance(other, I) else I(other)
        values = [op(a, b) for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        return I(min(values), max(values))

    def __add__(self, o): return self._corners(o, lambda a, b: a + b)
    __radd__ = __add__
    def __sub__(self, o): return self._corners(o, lambda a, b: a - b)
    def __rsub__(self, o): return I(o) - self
    def __mul__(self, o): return self._corners(o, lambda a, b: a * b)
    __rmul__ = __mul__
    def __neg__(self): return I(-self.hi, -self.lo)
    def __pos__(self): return self

    def __truediv__(self, o):
        o = o if isinstance(o, I) else I(o)
        assert o.lo > 0 or o.hi < 0, "a divisor that may be 0"
        return self._corners(o, lambda a, b: a / b)

    def __rtruediv__(self, o): return I(o) / self

    def __pow__(self, o):
        o = o if isinstance(o, I) else I(o)
        if o.lo == o.hi == 2:
            ends = sorted([self.lo ** 2, self.hi ** 2])
            return I(0.0 if self.lo <= 0 <= self.hi else ends[0], ends[1])
        assert self.lo > 0
        return self._corners(o, lambda a, b: a ** b)

    def contains(self, value: float, slack: float) -> bool:
        return self.lo - slack <= value <= self.hi + slack


def monotone(f):
    return lambda x: I(f(x.lo), f(x.hi)) if isinstance(x, I) else f(x)


def i_abs(x):
    if x.lo >= 0:
        return x
    if x.hi <= 0:
        return -x
    return I(0.0, max(-x.lo, x.hi))


def i_max(a, b):
    a, b = (v if isinstance(v, I) else I(v) for v in (a, b))
    return I(max(a.lo, b.lo), max(a.hi, b.hi))


def i_min(a, b):
    a, b = (v if isinstance(v, I) else I(v) for v in (a, b))
    return I(min(a.lo, b.lo), min(a.hi, b.hi))


def i_sign(x):
    return I(float(np.sign(x.lo)), float(np.sign(x.hi)))


NAMES = {"sign": i_sign, "σ": monotone(lambda v: 1 / (1 + math.exp(-v))), "tanh": monotone(math.tanh), "ln": monotone(math.log),
         "exp": monotone(math.exp), "SQUARE": 2, "sqrt": monotone(math.sqrt), "abs": i_abs, "max": i_max, "min": i_min, "I": I}
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def read_back(filled: str) -> tuple[I, float, float]:
    """(the arithmetic's interval, the result shown, half its last digit) of "name = arithmetic = result"."""
    name, arithmetic, result = filled.rsplit(" = ", 2) if filled.count(" = ") >= 2 else (None, None, None)
    assert arithmetic is not None, f"not 'name = arithmetic = result': {filled}"
    text = (arithmetic.replace("−", "-").replace("·", "*").replace("×", "*").replace("[", "(").replace("]", ")")
            .replace("²", "**SQUARE").replace("√", "sqrt").replace("e^", "exp").replace("^", "**"))
    text = NUMBER.sub(lambda m: f'I.shown("{m.group(0)}")', text)
    value = eval(text, {"__builtins__": {}}, NAMES)           # noqa: S307 — our own layout, in a test
    value = value if isinstance(value, I) else I(value)
    shown = I.shown(result.replace("−", "-"))
    return value, float(result.replace("−", "-")), (shown.hi - shown.lo) / 2


def assert_reads_back(e: explain.Explanation) -> None:
    assert e.filled, f"{e.title}: nothing filled in"
    for filled in e.filled:
        if "…" in filled:
            continue
        value, result, half = read_back(filled)
        assert value.contains(result, half), f"{e.title}: {filled} gives {value.lo} … {value.hi}"
    assert explain.num(e.result) in " ".join(e.filled), f"{e.title}: its result {e.result} is not shown"
    for term in e.terms:
        assert term in TERMS, f"{e.title}: {term} is not in the glossary"


def small_trainer(*overrides, preset="xor"):
    return Trainer(load_preset(preset, ['network.dtype="float64"', "data.samples=60", "training.batch_size=4",
                                        *overrides]))


def every_unit(trace):
    for layer, lt in enumerate(trace.layers):
        for unit in range(lt.units):
            yield layer, unit


# --- the builders -------------------------------------------------------------------------------
@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_weighted_sum_activation_and_delta_read_back_for_every_activation(activation):
    trainer = small_trainer(f'network.layers=[{{units=3, activation="{activation}"}}, {{units=1, activation="sigmoid"}}]')
    trace = trace_step(trainer)
    for layer, unit in every_unit(trace):
        for focus in (0, 3):
            z = explain.weighted_sum(trace, layer, unit, focus)
            assert z.result == trace.layers[layer].z[focus, unit]
            assert_reads_back(z)
            a = explain.activation(trace, layer, unit, focus)
            assert a.result == trace.layers[layer].a[focus, unit]
            assert_reads_back(a)
            d = explain.delta(trace, layer, unit, focus)
            assert d.result == trace.layers[layer].delta[focus, unit]
            assert_reads_back(d)


@pytest.mark.parametrize("loss", ["mse", "mae", "huber"])
def test_output_delta_and_loss_read_back_for_unfused_losses(loss):
    # a regression set, so the output is tanh and the loss chained through its slope
    trainer = small_trainer('data.kind="plane"', f'training.loss="{loss}"',
                            'network.layers=[{units=3, activation="tanh"}, {units=1, activation="tanh"}]')
    trace = trace_step(trainer)
    for focus in range(4):
        assert_reads_back(explain.delta(trace, 1, 0, focus))
    e = explain.batch_loss(trace)
    assert e.result == trace.loss and "(1/4)" in e.filled[0]
    assert_reads_back(e)


def test_softmax_with_cce_reads_back():
    trainer = small_trainer('data.kind="blobs"', 'network.layers=[{units=3, activation="relu"}, {units=4, activation="softmax"}]')
    trace = trace_step(trainer)
    assert explain.loss_name(trace) == "cce"
    for layer, unit in every_unit(trace):
        assert_reads_back(explain.activation(trace, layer, unit))
        assert_reads_back(explain.delta(trace, layer, unit))
    assert_reads_back(explain.batch_loss(trace))


def test_gradient_is_the_traces_and_reads_back():
    trace = trace_step(small_trainer())
    for layer, lt in enumerate(trace.layers):
        for source in range(-1, lt.fan_in):
            g = explain.gradient(trace, layer, source, 0)
            assert g.result == (lt.grad_bias[0] if source < 0 else lt.grad_weight[source, 0])
            assert_reads_back(g)


@pytest.mark.parametrize("settings", [
    ['training.optimizer="sgd"'],
    ['training.optimizer="sgd"', "training.l1=0.01", "training.l2=0.05"],
    ['training.optimizer="momentum"', "training.momentum=0.9", "training.l2=0.01"],
    ['training.optimizer="momentum"', "training.momentum=0.9", "training.nesterov=true"],
    ['training.optimizer="rmsprop"', "training.weight_decay=0.01"],
    ['training.optimizer="adagrad"'],
    ['training.optimizer="adam"', "training.l1=0.001"],
    ['training.optimizer="adamw"', "training.weight_decay=0.1"],
    ['training.optimizer="sgd"', "training.clip_norm=0.001"],
])
def test_update_reads_back_to_the_kernels_step_with_state_and_penalty(settings):
    trainer = small_trainer(*settings)
    trainer.train_epoch()                   # some optimizer state to show
    trace = trace_step(trainer)
    for layer, lt in enumerate(trace.layers):
        for source in range(-1, lt.fan_in):
            e = explain.update(trace, layer, source, 0, trainer.preset)
            assert e.result == (lt.update_bias[0] if source < 0 else lt.update_weight[source, 0])
            assert_reads_back(e)
    e = explain.update(trace, 0, 0, 0, trainer.preset)
    t = trainer.preset.training
    if t.l1 or t.l2:
        assert e.filled[0].startswith("g = ") and "L2" in e.terms if t.l2 else "L1" in e.terms
    if t.clip_norm:
        assert "gradient clipping" in e.terms
    if t.optimizer in ("adam", "adamw"):
        assert "m and v" in e.terms and f"^{trace.step}" in e.filled[-2]


def test_a_frozen_layer_explains_its_zero_step():
    trainer = small_trainer()
    trainer.set_trainable(0, False)
    trace = trace_step(trainer)
    e = explain.update(trace, 0, 0, 0, trainer.preset, trainable=trainer.network.layers[0].trainable)
    assert e.result == 0 == trace.layers[0].update_weight[0, 0] and "frozen layer" in e.terms


def test_loss_with_l2_shows_the_penalty_the_kernel_adds():
    trainer = small_trainer("training.l2=0.1")
    trace = trace_step(trainer)
    e = explain.batch_loss(trace, l1=0.0, l2=0.1)
    assert_reads_back(e)
    weights = np.concatenate([layer.weight.ravel() for layer in trainer.network.layers])
    penalty = 0.1 / 2 * float(np.sum(weights ** 2))                 # (l2/2)·Σw², biases left out
    penalty_line = next(f for f in e.filled if f.startswith("penalty"))
    assert penalty_line.endswith(explain.num(penalty)) and penalty_line.startswith("penalty = (0.1/2)·")
    assert e.formula[1].startswith("penalty = (l2/2)·Σw²")                    # no l1 term when l1 is off
    assert e.filled[-1].endswith(explain.num(trace.loss + penalty)) and "penalty" in e.terms
    # and it is the penalty whose gradient the optimizer stepped along: l2·w on each weight
    lt = trace.layers[0]
    assert lt.update_weight[0, 0] == pytest.approx(-trace.learning_rate * (lt.grad_weight[0, 0] + 0.1 * lt.weight[0, 0]))
    assert explain.batch_loss(trace).filled == e.filled[:1]          # no penalty: no penalty line


def test_reported_losses_say_which_split_and_the_penalty():
    trainer = small_trainer("training.l1=0.01")
    report = trainer.train_epoch()
    e = explain.reported_loss("val_loss", report.val_loss, "bce", len(trainer.data.x_val), trainer.network, l1=0.01)
    assert e.result == report.val_loss and "validation split" in e.terms
    assert f"N = {len(trainer.data.x_val)}: {len(trainer.data.x_val)} samples × 1 output)" in e.formula[0] and "l1·Σ|w|" in e.formula[1]
    assert_reads_back(e)
    plain = explain.reported_loss("loss", report.train_loss, "bce", len(trainer.data.x_train), trainer.network)
    assert plain.filled == () and "minibatch" in plain.terms


def test_accuracy_is_right_over_total_as_the_metric():
    trainer = small_trainer()
    trainer.run(5)
    outputs = trainer.backend.predict(trainer.network, trainer.data.x_val)
    e = explain.accuracy(outputs, trainer.data.y_val, "validation")
    assert e.result == accuracy_metric(outputs, trainer.data.y_val)
    right, total = map(int, re.search(r"= (\d+)/(\d+) =", e.filled[0]).groups())
    assert total == len(trainer.data.x_val) and right / total == pytest.approx(e.result)
    assert_reads_back(e)


def test_precision_recall_f1_from_the_confusion_counts():
    counts = np.array([[50, 10], [5, 35]])
    p, r, f1 = explain.classification_scores(counts, 1)
    assert (p.result, r.result) == (pytest.approx(35 / 45), pytest.approx(35 / 40))
    assert f1.result == pytest.approx(2 * p.result * r.result / (p.result + r.result))
    assert "35/(35 + 10)" in p.filled[0] and "35/(35 + 5)" in r.filled[0]
    for e in (p, r, f1):
        assert_reads_back(e)


def test_parameter_counts_are_the_networks():
    trainer = small_trainer('network.layers=[{units=5}, {units=3}, {units=1, activation="sigmoid"}]')
    net = trainer.network
    for layer in range(len(net.layers)):
        e = explain.parameters(net, layer)
        assert e.result == net.layers[layer].n_params
        assert_reads_back(e)
    e = explain.network_parameters(net)
    assert e.result == net.n_params and "(2 × 5 + 5) + (5 × 3 + 3) + (3 × 1 + 1)" in e.filled[0]
    assert_reads_back(e)


def test_epochs_per_second():
    e = explain.epochs_per_second(37, 0.25)
    assert e.result == 148 and e.filled == ("epochs/s = 37/0.25 = 148",)


def test_neuron_lab_sum_and_output_are_the_neurons():
    neuron = Neuron()
    for name in ("sigmoid", "relu", "tanh", "linear"):
        neuron.set_activation(name)
        z, a = explain.neuron_sum(neuron), explain.neuron_output(neuron)
        assert (z.result, a.result) == (neuron.weighted_sum(), neuron.output())
        assert_reads_back(z)
        assert_reads_back(a)


@pytest.mark.parametrize("surface", list(SURFACES)[:3])
def test_every_racers_step_reads_back(surface):
    race = Race(SURFACES[surface])
    assert explain.racer_step(race.racers[0], 0).filled == ()         # before the first step
    race.step(3)
    for racer in race.racers:
        for axis in (0, 1):
            e = explain.racer_step(racer, axis)
            assert e.result == pytest.approx(racer.path[-1][axis] - racer.path[-2][axis])
            assert_reads_back(e)


def test_a_momentum_racer_with_mu_0_steps_as_plain_gradient_descent():
    race = Race(SURFACES[list(SURFACES)[0]], optimizers=["momentum", "adam"])
    race.racer("momentum").set_beta(0.0)
    race.step(2)
    e = explain.racer_step(race.racer("momentum"), 1)
    assert "velocity" not in e.terms and e.filled[0].startswith("Δy = −")
    assert_reads_back(e)


def test_a_weight_that_does_not_exist_is_one_sentence():
    trace = trace_step(small_trainer())
    with pytest.raises(NntermError, match="layer 9 does not exist"):
        explain.weighted_sum(trace, 8, 0)


def test_glossary_defines_the_terms_the_screens_name():
    for term in ("epoch", "minibatch", "bce", "cce", "mse", "validation vs test", "overfitting", "dead unit",
                 "saturated unit", "standardised", "L1", "L2", "adam", "m and v", "accuracy", "F1", "ROC-AUC",
                 "parameter", "frozen layer", "epochs/s", "backend"):
        assert define(term) and "\n" not in define(term)
    assert "20 epochs" in define("overfitting") and "1%" in define("saturated unit")
    assert lines(["epoch", "nonsense", "epoch"]) == [("epoch", TERMS["epoch"])]


def test_a_long_sum_shows_its_first_terms_and_how_many_there_are():
    trainer = Trainer(load_preset("digits", ["training.batch_size=32"]))
    trace = trace_step(trainer)
    e = explain.batch_loss(trace)
    assert "… (32 terms)" in e.filled[0] and e.filled[0].endswith(explain.num(trace.loss))
    assert len(e.filled[0]) <= explain.MAX_CHARS
    z = explain.weighted_sum(trace, 0, 0)                         # 64 pixels: every term, and it reads back
    assert "…" not in z.filled[0] and z.filled[0].count("·") == 64
    assert_reads_back(z)


def test_every_g_an_update_shows_is_the_one_the_kernel_stepped_on():
    """Penalty, then clipping, then weight decay: each g line ends in the traced kernels' value, and
    for plain sgd the kernel's own Δw = −lr·g confirms the last one is what it stepped on."""
    from nnterm.kernels.codes import CLIP_EPSILON
    trainer = small_trainer('training.optimizer="sgd"', "training.l1=0.01", "training.l2=0.05",
                            "training.weight_decay=0.1", "training.clip_norm=0.001")
    trace = trace_step(trainer)
    assert trace.was_clipped
    for layer, lt in enumerate(trace.layers):
        np.testing.assert_allclose(lt.update_weight, -trace.learning_rate * lt.decayed[0], rtol=1e-9, atol=1e-15)
        np.testing.assert_allclose(lt.update_bias, -trace.learning_rate * lt.decayed[1], rtol=1e-9, atol=1e-15)
        for source in range(-1, lt.fan_in):
            e = explain.update(trace, layer, source, 0, trainer.preset)
            at = (1, 0) if source < 0 else (0, (source, 0))
            g_lines = [line for line in e.filled if line.startswith("g = ")]
            shown = ([] if source < 0 else [lt.penalised]) + [lt.clipped, lt.decayed]
            assert [line.rsplit(" = ", 1)[1] for line in g_lines] == [explain.num(s[at[0]][at[1]]) for s in shown]
            assert_reads_back(e)
    e = explain.update(trace, 0, 0, 0, trainer.preset)
    assert "sign(" in e.filled[0] and f"{CLIP_EPSILON:.6f}" in e.filled[1] and "weight decay" in e.terms
    mae = trace_step(small_trainer('training.loss="mae"', 'data.kind="plane"',
                                   'network.layers=[{units=3, activation="tanh"}, {units=1, activation="tanh"}]'), [0, 1])
    d = explain.delta(mae, len(mae.layers) - 1, 0)
    assert "sign(" in d.filled[0] and d.result == mae.layers[-1].delta[0, 0]     # the slope is the kernel's δ


def test_one_table_of_update_rules_is_what_the_race_the_explanations_and_the_glossary_write():
    from nnterm.teach.rules import RULES, rule_name
    race = Race(SURFACES["bowl"])
    race.step(2)
    for racer in race.racers:
        rule = RULES[racer.rule_key]
        assert racer.rule == rule.text() and [name for name, _ in racer.state_values()] == list(rule.state)
        assert rule.update("x") in explain.racer_step(racer, 0).formula
    for optimizer in ("sgd", "momentum", "nesterov", "rmsprop", "adagrad", "adam", "adamw"):
        assert RULES[optimizer].update() in define(optimizer)
    trainer = small_trainer('training.optimizer="momentum"', "training.momentum=0.9")
    trace = trace_step(trainer)
    e = explain.update(trace, 0, 0, 0, trainer.preset)
    rule = RULES[rule_name("momentum", 0.9)]
    assert rule.keeps in define("velocity") and rule.update("w₁₁") in e.formula


@pytest.mark.parametrize("activation", HIDDEN_ACTIVATIONS)
def test_one_table_of_activation_formulas_is_what_the_glossary_and_the_explanations_write(activation):
    from nnterm.presets.kinds import ACTIVATION_FORMULAS
    trace = trace_step(small_trainer(f'network.layers=[{{units=3, activation="{activation}"}}, {{units=1, activation="sigmoid"}}]'), [0])
    assert ACTIVATION_FORMULAS[activation] in define(activation)
    assert explain.activation(trace, 0, 0).formula == (explain.activation_formula(activation, "z₁"),)
