"""The numbers a lesson may ask a learner to predict — ONE table, name → Quantity.

Each entry says what the number is in words, which screen shows it, the arguments it takes and
how it is computed from the live state of a LessonRun (nnterm/lessons/runner.py) at the moment
it is asked: always by calling the engine or the teach layer (a trace of the kernels, the
neuron lab's Neuron, the price game, the descent race, the evaluation reports), never with a
second copy of a formula. Layers, units, samples and weights are counted from 1 in lesson
files, as a person counts; a weight's source 0 is the bias.
"""
import copy
from dataclasses import dataclass, field

import numpy as np

from nnterm.errors import NntermError
from nnterm.kernels.codes import ACTIVATIONS, OPTIMIZERS, SOFTMAX
from nnterm.teach.rules import OPTIMIZER_NAMES
from nnterm.runtime.language import N_

# The engine, the kernels and the trace are imported inside the functions that compute with them:
# this table is also the lesson format's schema (nnterm/lessons/format.py), and listing or
# checking a lesson file must not wait for Numba to load.

# Argument kinds a lesson file may give, and what they must be.
INT, FLOAT, TEXT, FLOATS, INTS = "whole number", "number", "text", "list of numbers", "list of whole numbers"
ACTIVATION, OPTIMIZER, RACER = "activation", "optimizer", "optimizer of the race"
# The kinds that are names, and the table each must come from.
NAMED_KINDS = {ACTIVATION: ACTIVATIONS, OPTIMIZER: OPTIMIZERS, RACER: OPTIMIZER_NAMES}
REQUIRED = object()
MAX_LIST = 16                  # the longest list argument (softmax's z, a network's sizes)
MAX_WIDTH = 1024               # the widest layer a parameter count may build (16 of them: 64 MiB at most)
# What a whole-number argument may be, by its name: bounds that keep every computation and every
# "show me" small (a lesson never trains more than a setup may, nor indexes past a 4096-wide layer).
WHOLE_RANGES = {"layer": (1, MAX_LIST), "unit": (1, 4096), "target": (1, 4096), "source": (0, 4096),
                "input": (1, 4096), "sample": (1, 1_000_000), "neurons": (1, 4096), "epochs": (1, 1000),
                "guesses": (1, 200), "run": (1, 4)}
PRICE_STEPS_AT_MOST = 200      # how far a copy of the price game is played to count its guesses
RACE_STEPS_AT_MOST = 5000      # how far a copy of the descent race is played to see a racer arrive


@dataclass(frozen=True)
class Quantity:
    words: str                 # what it is, for the learner: "the neuron's weighted sum z = Σ w·x + b"
    screen: str                # where it is seen (a key of nnterm.lessons.format.SCREENS)
    compute: object            # compute(run, **args) → float
    args: dict = field(default_factory=dict)     # name → (kind, default or REQUIRED)


# --- helpers: picking things out of the live state, with one sentence when they are not there ---
def index(value: int, count: int, what: str) -> int:
    """A 1-based number from a lesson file → a 0-based index, or the sentence of what exists."""
    if not 1 <= value <= count:
        raise NntermError(f"{what} {value} does not exist: there are {what}s 1 … {count}")
    return value - 1


def traced(run, sample: int):
    trainer = run.session.trainer
    row = index(sample, trainer.data.x_train.shape[0], "sample")
    from nnterm.teach.trace import trace_step
    return trace_step(trainer, [row])


def layer_trace(run, layer: int, sample: int):
    trace = traced(run, sample)
    return trace.layers[index(layer, len(trace.layers), "layer")], trace


def unit_of(lt, unit: int) -> int:
    return index(unit, lt.units, "unit")


def weight_of(run, layer: int, source: int, target: int) -> tuple[int, int, int]:
    """(layer, source, target) as the engine names them (source −1: the bias)."""
    net = run.session.trainer.network
    l = index(layer, len(net.layers), "layer")
    if not 0 <= source <= net.layers[l].fan_in:
        raise NntermError(f"layer {layer} has inputs 1 … {net.layers[l].fan_in} (0 for the bias), not {source}")
    return l, source - 1, index(target, net.layers[l].units, "unit")


def split(run, name: str):
    data = run.session.trainer.data
    x, y = {"train": (data.x_train, data.y_train), "val": (data.x_val, data.y_val),
            "test": (data.x_test, data.y_test)}[name]
    if x.shape[0] == 0:
        raise NntermError(f"the {name} split is empty for this preset")
    return x, y


def metric(name: str, split_name: str = "val"):
    """A figure of the evaluation report (nnterm.engine.evaluation) on a split, as the metrics screen computes it."""
    def compute(run) -> float:
        from nnterm.engine.evaluation import classification_metrics, regression_metrics
        trainer = run.session.trainer
        data = trainer.data
        x, y = split(run, split_name)
        outputs, targets = data.in_target_units(trainer.backend.predict(trainer.network, x)), data.in_target_units(y)
        if data.task == "regression":
            report = regression_metrics(outputs, targets)
        else:
            report = classification_metrics(outputs, targets, data.n_classes)
        if name not in report:
            raise NntermError(f"{name.replace('_', ' ')} is not reported for this data ({data.task})")
        return report[name]
    return compute


def split_loss(split_name: str):
    def compute(run) -> float:
        trainer = run.session.trainer
        x, y = split(run, split_name)
        return trainer.backend.evaluate_loss(trainer.network, x, y)
    return compute


def last_report(run, what: str):
    """A figure of the last epoch's report: what the status line shows (the training loss as the
    epoch's mean over its minibatches, as it trained; the validation loss after it)."""
    history = run.session.trainer.history
    if not history:
        raise NntermError("the network has not trained an epoch yet")
    return getattr(history[-1], what)


def first_report(run, what: str):
    history = run.session.trainer.history
    if not history:
        raise NntermError("the network has not trained an epoch yet")
    return getattr(history[0], what)


def history_best(run):
    """The lowest validation loss of the run so far and its epoch (nnterm.engine.generalisation's
    pick: the one the loss chart marks)."""
    from nnterm.engine.generalisation import best_epoch
    history = run.session.trainer.history
    best = best_epoch([r.epoch for r in history], [r.train_loss for r in history], [r.val_loss for r in history])
    if best is None:
        raise NntermError("there is no validation loss to pick a best epoch from yet")
    return best


def compared(run, index_: int):
    """One of the runs the step's setup trained side by side (setup key `compare`): (label, history)."""
    runs = run.compared
    if not runs:
        raise NntermError("this step trained no runs side by side (its setup has no \"compare\")")
    return runs[index(index_, len(runs), "run")]


def compared_last(what: str):
    """A figure of the last report of a run trained side by side: a report's field, or its metric."""
    def compute(state, run: int = 1) -> float:         # `run`: the file's argument, the compared run's number
        _label, history = compared(state, run)
        if not history:
            raise NntermError("that run trained no epoch")
        last = history[-1]
        return last.metrics[what] if what in last.metrics else getattr(last, what)
    return compute


def penalty_now(run, l1: float, l2: float) -> float:
    """l1·Σ|w| + (l2/2)·Σw² over the weights now, by the kernel the trainer adds to the gradient."""
    from nnterm.kernels.regularizers import weight_penalty
    net = run.session.trainer.network
    return float(weight_penalty(net.sizes, net.offsets, net.params, l1, l2))


def regularisation_rate(run, kind: str) -> float:
    return float(getattr(run.session.trainer.preset.training, kind))


# --- the neuron lab ---------------------------------------------------------------------------
def neuron_part(part: int):
    """One of the lab's columns for an input: 1 its x, 2 its weight w, 3 its share w·x."""
    def compute(run, input: int) -> float:
        terms = run.neuron.terms()
        return terms[index(input, len(terms), "input")][part]
    return compute


neuron_term = neuron_part(3)


def activation_at(run, activation: str, z: float) -> float:
    from nnterm.kernels.activations import activation_array
    if activation not in ACTIVATIONS or activation == "softmax":
        raise NntermError(f'activation "{activation}" is not one of {", ".join(a for a in ACTIVATIONS if a != "softmax")}')
    return float(activation_array(ACTIVATIONS.index(activation), np.array([[z]], dtype=np.float64))[0, 0])


def softmax_share(run, z: list, unit: int) -> float:
    """softmax over the units' z, by the kernel's own softmax: the share of unit `unit`."""
    if not 2 <= len(z) <= MAX_LIST:
        raise NntermError(f"softmax needs 2 … {MAX_LIST} values of z, not {len(z)}")
    from nnterm.kernels.activations import activation_array
    out = activation_array(SOFTMAX, np.array([z], dtype=np.float64))
    return float(out[0, index(unit, len(z), "unit")])


def neuron_softmax_z(run, unit: int) -> float:
    """A sum z of the lab's softmax view: unit 1 is the neuron's own z, the others are held."""
    layer = run.neuron.softmax_layer()
    return float(layer[index(unit, len(layer), "unit")])


def neuron_softmax(run, unit: int) -> float:
    """One unit's share in the lab's softmax view, by the kernel's softmax over its layer."""
    return softmax_share(run, list(run.neuron.softmax_layer()), unit)


# --- the playground network -------------------------------------------------------------------
def unit_z(run, layer: int, unit: int, sample: int) -> float:
    lt, _ = layer_trace(run, layer, sample)
    return float(lt.z[0, unit_of(lt, unit)])


def unit_a(run, layer: int, unit: int, sample: int) -> float:
    lt, _ = layer_trace(run, layer, sample)
    return float(lt.a[0, unit_of(lt, unit)])


def unit_delta(run, layer: int, unit: int, sample: int) -> float:
    lt, _ = layer_trace(run, layer, sample)
    return float(lt.delta[0, unit_of(lt, unit)])


def unit_at_point(run, layer: int, unit: int, x: float, y: float) -> float:
    """A hidden unit's output at a point (x, y) of the plane: one pixel of its map in the network view."""
    trainer = run.session.trainer
    data, net = trainer.data, trainer.network
    if not data.raw_2d:
        raise NntermError("a unit's map over the plane needs data of two inputs (a playground preset such as xor)")
    inputs = net.as_input(data.inputs_for_points(np.array([[x, y]])))
    zs, outs, _ = net.trace_buffers(1)
    from nnterm.kernels.epoch import run_forward
    run_forward(net.sizes, net.acts, net.offsets, net.params, inputs, zs, outs)
    blocks = net.unit_blocks(outs, 1)
    block = blocks[index(layer, len(blocks), "layer")]
    return float(block[0, index(unit, block.shape[1], "unit")])


def network_output(run, sample: int, unit: int) -> float:
    trace = traced(run, sample)
    return float(trace.output[0, index(unit, trace.output.shape[1], "output unit")])


def sample_target(run, sample: int, unit: int) -> float:
    trace = traced(run, sample)
    return float(trace.y[0, index(unit, trace.y.shape[1], "output unit")])


def sample_input(run, sample: int, input: int) -> float:
    """What the network is fed for a training sample: input `input`, standardised as it trains on."""
    trace = traced(run, sample)
    return float(trace.x[0, index(input, trace.x.shape[1], "input")])


def sample_loss(run, sample: int) -> float:
    return traced(run, sample).loss


def gradient(run, layer: int, source: int, target: int, sample: int) -> float:
    l, s, t = weight_of(run, layer, source, target)
    return traced(run, sample).chain_rule(l, s, t).gradient


def weight_value(run, layer: int, source: int, target: int) -> float:
    l, s, t = weight_of(run, layer, source, target)
    block = run.session.trainer.network.layers[l]
    return float(block.bias[t] if s < 0 else block.weight[s, t])


def weight_after(run, layer: int, source: int, target: int, sample: int) -> float:
    l, s, t = weight_of(run, layer, source, target)
    rule = traced(run, sample).chain_rule(l, s, t)
    return weight_value(run, layer, source, target) + rule.update


def saved_epoch(run) -> float:
    if run.session.weights_saved is None:
        raise NntermError("no weight file has been saved in this session yet")
    return float(run.session.weights_saved[1])


def layer_params(run, layer: int) -> float:
    layers = run.session.trainer.network.layers
    return layers[index(layer, len(layers), "layer")].n_params


def params_for(run, sizes: list) -> float:
    """The parameter count of a network of these widths, built live (inputs first), e.g. [784, 10]."""
    if not 2 <= len(sizes) <= MAX_LIST or not all(1 <= s <= MAX_WIDTH for s in sizes):
        raise NntermError(f"sizes must be 2 … {MAX_LIST} widths of 1 … {MAX_WIDTH}, not {sizes}")
    from nnterm.engine.network import Network
    return Network(list(sizes), ["relu"] * (len(sizes) - 2) + ["linear"]).n_params


def dead_units(run) -> float:
    from nnterm.teach.trace import unit_health
    trainer = run.session.trainer
    return float(sum(int(dead.sum()) for dead, _ in unit_health(trainer.network, trainer.data.x_train,
                                                                    trainer.data.y_train)))


def prediction(run, x: float, y: float, unit: int) -> float:
    """The trained network's output for a new point (x, y) of the plane, in the data's units."""
    trainer = run.session.trainer
    data = trainer.data
    if not data.raw_2d:
        raise NntermError("a prediction at a point needs data of two inputs (a playground preset such as xor)")
    out = data.in_target_units(trainer.backend.predict(trainer.network, data.inputs_for_points(np.array([[x, y]]))))
    return float(out[0, index(unit, out.shape[1], "output unit")])


def strongest_class(run, unit: int) -> float:
    """The class of the training image that excites a first-layer unit most: the first image the
    unit-image view's enter shows."""
    from nnterm.teach.unit_images import strongest_inputs
    trainer = run.session.trainer
    which = index(unit, trainer.network.layers[0].units, "unit")
    rows, _ = strongest_inputs(trainer.network, trainer.data.x_train, which, 1)
    return float(np.argmax(trainer.data.y_train[rows[0]]))


def hidden_units(run) -> float:
    return float(sum(layer.units for layer in run.session.trainer.network.layers[:-1]))


# --- the price game and the descent race --------------------------------------------------------
def price_latest_guess(run) -> float:
    """Gradient descent's guess g as its table shows it: the latest it made (the start before its first)."""
    steps = run.price.gd.steps
    return steps[-1].guess if steps else run.price.start


def price_next_guess(run) -> float:
    """g − lr·2(g − p) from the latest guess g, taken on a copy: the game itself does not move. The
    player holds that number already once it has guessed (its bias, stepped); before its first guess
    a copy takes the first step."""
    player = copy.deepcopy(run.price.gd)
    if not player.steps:
        player.step()
    return player.guess


def guesses_to_land(player) -> float:
    player = copy.deepcopy(player)
    for _ in range(PRICE_STEPS_AT_MOST):
        if player.done:
            break
        player.step()
    if not player.done or getattr(player, "diverged", False):
        raise NntermError(f"this player does not land on the price within {PRICE_STEPS_AT_MOST} guesses")
    return float(len(player.steps))


def racer(run, optimizer: str):
    return run.race.racer(optimizer)


def racer_reached_at(run, optimizer: str) -> float:
    """The step at which a racer reaches the minimum, on a copy of the race played on: the race itself does not move."""
    race = copy.deepcopy(run.race)
    for _ in range(RACE_STEPS_AT_MOST):
        if race.racer(optimizer).reached_at is not None or race.racer(optimizer).diverged:
            break
        race.step()
    reached = race.racer(optimizer).reached_at
    if reached is None:
        raise NntermError(f"{optimizer} does not reach the minimum within {RACE_STEPS_AT_MOST} steps")
    return float(reached)


QUANTITIES: dict[str, Quantity] = {
    "neuron_sum": Quantity(N_("the neuron's weighted sum z = Σ w·x + b"), "neuron_lab", lambda run: run.neuron.weighted_sum()),
    "neuron_output": Quantity(N_("the neuron's output a = f(z)"), "neuron_lab", lambda run: run.neuron.output()),
    "neuron_term": Quantity(N_("one input's share w·x of the weighted sum"), "neuron_lab", neuron_term,
                            {"input": (INT, REQUIRED)}),
    "neuron_input": Quantity(N_("one input x of the neuron"), "neuron_lab", neuron_part(1), {"input": (INT, REQUIRED)}),
    "neuron_weight": Quantity(N_("one weight w of the neuron"), "neuron_lab", neuron_part(2), {"input": (INT, REQUIRED)}),
    "neuron_bias": Quantity(N_("the neuron's bias b"), "neuron_lab", lambda run: run.neuron.bias),
    "neuron_loss": Quantity(N_("the neuron's mean squared error over its examples"), "neuron_lab",
                            lambda run: run.neuron.loss()),
    "activation": Quantity(N_("f(z) for an activation at a given z"), "neuron_lab", activation_at,
                           {"activation": (ACTIVATION, REQUIRED), "z": (FLOAT, REQUIRED)}),
    "softmax": Quantity(N_("softmax over several units' z: one unit's share"), "neuron_lab", softmax_share,
                        {"z": (FLOATS, REQUIRED), "unit": (INT, 1)}),
    "neuron_softmax_z": Quantity(N_("a sum z of the neuron lab's softmax view (unit 1: the neuron's own z)"), "neuron_lab",
                                 neuron_softmax_z, {"unit": (INT, 1)}),
    "neuron_softmax": Quantity(N_("one unit's share in the neuron lab's softmax view"), "neuron_lab", neuron_softmax,
                               {"unit": (INT, 1)}),
    "unit_z": Quantity(N_("a unit's weighted sum z for a training sample"), "inspector", unit_z,
                       {"layer": (INT, 1), "unit": (INT, 1), "sample": (INT, 1)}),
    "unit_a": Quantity(N_("a unit's output a = f(z) for a training sample"), "inspector", unit_a,
                       {"layer": (INT, 1), "unit": (INT, 1), "sample": (INT, 1)}),
    "delta": Quantity(N_("a unit's blame δ = ∂L/∂z for a training sample"), "inspector", unit_delta,
                      {"layer": (INT, 1), "unit": (INT, 1), "sample": (INT, 1)}),
    "unit_at_point": Quantity(N_("a unit's output at a point (x, y) of the plane"), "playground", unit_at_point,
                              {"layer": (INT, 1), "unit": (INT, 1), "x": (FLOAT, REQUIRED), "y": (FLOAT, REQUIRED)}),
    "output": Quantity(N_("the network's output for a training sample"), "inspector", network_output,
                       {"sample": (INT, 1), "unit": (INT, 1)}),
    "target": Quantity(N_("the answer a training sample should get"), "inspector", sample_target,
                       {"sample": (INT, 1), "unit": (INT, 1)}),
    "sample_input": Quantity(N_("one input of a training sample, as the network is fed it"), "inspector", sample_input,
                             {"sample": (INT, 1), "input": (INT, 1)}),
    "sample_loss": Quantity(N_("the loss of one training sample"), "inspector", sample_loss, {"sample": (INT, 1)}),
    "train_loss": Quantity(N_("the mean loss over the training split"), "playground", split_loss("train")),
    "status_loss": Quantity(N_("the training loss the status line shows: the last epoch's mean over its minibatches"),
                            "playground", lambda run: last_report(run, "train_loss")),
    "status_val_loss": Quantity(N_("the validation loss the status line shows, after the last epoch"), "playground",
                                lambda run: last_report(run, "val_loss")),
    "first_status_loss": Quantity(N_("the training loss of the first epoch (the loss chart's first point)"), "playground",
                                  lambda run: first_report(run, "train_loss")),
    "lowest_val_loss": Quantity(N_("the lowest validation loss of the run so far (the loss chart's mark)"), "playground",
                                lambda run: history_best(run).val_loss),
    "lowest_val_epoch": Quantity(N_("the epoch of the lowest validation loss so far (the loss chart's mark)"), "playground",
                                 lambda run: float(history_best(run).epoch)),
    "compared_loss": Quantity(N_("the training loss a run trained side by side ended at"), "playground",
                              compared_last("train_loss"), {"run": (INT, 1)}),
    "compared_val_loss": Quantity(N_("the validation loss a run trained side by side ended at"), "playground",
                                  compared_last("val_loss"), {"run": (INT, 1)}),
    "compared_accuracy": Quantity(N_("the validation accuracy a run trained side by side ended at"), "playground",
                                  compared_last("val_accuracy"), {"run": (INT, 1)}),
    "compared_epochs": Quantity(N_("the epochs a run trained side by side took"), "playground",
                                compared_last("epoch"), {"run": (INT, 1)}),
    "penalty": Quantity(N_("the weight penalty l1·Σ|w| + (l2/2)·Σw² at the rates in force"), "playground",
                        lambda run: penalty_now(run, regularisation_rate(run, "l1"), regularisation_rate(run, "l2"))),
    "sum_squared_weights": Quantity(N_("Σw² over every weight (not the biases)"), "playground",
                                    lambda run: penalty_now(run, 0.0, 2.0)),
    "l2_rate": Quantity(N_("the L2 rate λ in force"), "playground", lambda run: regularisation_rate(run, "l2")),
    "val_loss": Quantity(N_("the mean loss over the validation split"), "playground", split_loss("val")),
    "gradient": Quantity(N_("∂L/∂w for one weight, on one training sample"), "inspector", gradient,
                         {"layer": (INT, 1), "source": (INT, 1), "target": (INT, 1), "sample": (INT, 1)}),
    "weight": Quantity(N_("one weight's value now"), "inspector", weight_value,
                       {"layer": (INT, 1), "source": (INT, 1), "target": (INT, 1)}),
    "weight_after": Quantity(N_("the weight after one update on one training sample"), "inspector", weight_after,
                             {"layer": (INT, 1), "source": (INT, 1), "target": (INT, 1), "sample": (INT, 1)}),
    "learning_rate": Quantity(N_("the learning rate in force"), "playground",
                              lambda run: run.session.trainer.current_learning_rate()),
    "epoch": Quantity(N_("epochs trained so far"), "playground", lambda run: float(run.session.trainer.epoch)),
    "epoch_budget": Quantity(N_("the epoch where space stops training (the Training panel's epochs)"), "playground",
                             lambda run: float(run.session.preset.training.epochs)),
    "optimizer_steps": Quantity(N_("weight updates (minibatch steps) taken so far"), "playground",
                                lambda run: float(run.session.trainer.step_count[0])),
    "train_samples": Quantity(N_("samples in the training split"), "playground",
                              lambda run: float(run.session.trainer.data.x_train.shape[0])),
    "all_samples": Quantity(N_("samples in the data set, every split together"), "playground",
                            lambda run: float(sum(x.shape[0] for x in (run.session.trainer.data.x_train,
                                                                       run.session.trainer.data.x_val,
                                                                       run.session.trainer.data.x_test)))),
    "batch_size": Quantity(N_("samples in one minibatch"), "playground", lambda run: float(run.session.trainer.batch_size)),
    "patience": Quantity(N_("epochs early stopping waits for a better validation loss"), "playground",
                         lambda run: float(run.session.preset.training.patience)),
    "best_epoch": Quantity(N_("the epoch with the lowest validation loss (early stopping's pick)"), "playground",
                           lambda run: float(run.session.trainer.best[1])),
    "saved_epoch": Quantity(N_("the epoch the weight file saved last holds"), "playground", lambda run: saved_epoch(run)),
    "layer_params": Quantity(N_("the parameters (weights and biases) of one layer"), "summary", layer_params,
                             {"layer": (INT, REQUIRED)}),
    "network_params": Quantity(N_("the parameters of the whole network"), "summary",
                               lambda run: float(run.session.trainer.network.n_params)),
    "trainable_params": Quantity(N_("the parameters that still train (frozen layers left out)"), "summary",
                                 lambda run: float(run.session.trainer.network.n_trainable)),
    "params_for": Quantity(N_("the parameters of a network of given widths, built live"), "summary", params_for,
                           {"sizes": (INTS, REQUIRED)}),
    "strongest_class": Quantity(N_("the class of the training image that excites a first-layer unit most"), "unit_images",
                                strongest_class, {"unit": (INT, 1)}),
    "hidden_units": Quantity(N_("hidden neurons in the network"), "playground", hidden_units),
    "dead_units": Quantity(N_("dead ReLU units (never fire on any training sample)"), "inspector", dead_units),
    "accuracy": Quantity(N_("validation accuracy"), "metrics", metric("accuracy")),
    "precision": Quantity(N_("validation precision (class 1)"), "metrics", metric("precision")),
    "recall": Quantity(N_("validation recall (class 1)"), "metrics", metric("recall")),
    "f1": Quantity(N_("validation F1 (class 1)"), "metrics", metric("f1")),
    "roc_auc": Quantity(N_("validation ROC-AUC"), "metrics", metric("roc_auc")),
    "test_accuracy": Quantity(N_("test accuracy (data never trained or tuned on)"), "metrics", metric("accuracy", "test")),
    "prediction": Quantity(N_("the trained network's output for a new point (x, y)"), "playground", prediction,
                           {"x": (FLOAT, REQUIRED), "y": (FLOAT, REQUIRED), "unit": (INT, 1)}),
    "price_hidden": Quantity(N_("the price the host hides in the price game"), "price", lambda run: run.price.price),
    "price_guess": Quantity(N_("gradient descent's latest guess in the price game (the start before its first)"), "price",
                            price_latest_guess),
    "price_error": Quantity(N_("how far gradient descent's latest guess is from the price, |g − p|"), "price",
                            lambda run: abs(price_latest_guess(run) - run.price.price)),
    "price_first_error": Quantity(N_("how far the first guess was from the price, |g₀ − p|"), "price",
                                  lambda run: abs(run.price.start - run.price.price)),
    "price_lr": Quantity(N_("gradient descent's learning rate in the price game"), "price", lambda run: run.price.lr),
    "price_next_guess": Quantity(N_("gradient descent's next guess, g − lr·2(g − p)"), "price", price_next_guess),
    "price_gd_guesses": Quantity(N_("guesses gradient descent needs to land on the price"), "price",
                                 lambda run: guesses_to_land(run.price.gd)),
    "price_host_guesses": Quantity(N_("guesses the host's bisection needs to land on the price"), "price",
                                   lambda run: guesses_to_land(run.price.host)),
    "racer_loss": Quantity(N_("a racer's loss where it stands"), "descent", lambda run, optimizer: racer(run, optimizer).loss,
                           {"optimizer": (RACER, REQUIRED)}),
    "racer_reached_at": Quantity(N_("the step at which a racer reaches the minimum"), "descent", racer_reached_at,
                                 {"optimizer": (RACER, REQUIRED)}),
    "racer_lr": Quantity(N_("a racer's learning rate"), "descent", lambda run, optimizer: racer(run, optimizer).lr,
                         {"optimizer": (RACER, REQUIRED)}),
    "racer_x": Quantity(N_("a racer's x where it stands"), "descent", lambda run, optimizer: racer(run, optimizer).position[0],
                        {"optimizer": (RACER, REQUIRED)}),
    "racer_y": Quantity(N_("a racer's y where it stands"), "descent", lambda run, optimizer: racer(run, optimizer).position[1],
                        {"optimizer": (RACER, REQUIRED)}),
}


def compute(run, name: str, args: dict) -> float:
    """The quantity's value now, as a float; an NntermError sentence when it cannot be computed here."""
    quantity = QUANTITIES[name]
    given = {key: args.get(key, default) for key, (_kind, default) in quantity.args.items()}
    missing = [key for key, value in given.items() if value is REQUIRED]
    if missing:
        raise NntermError(f'"{name}" needs {", ".join(missing)}')
    try:
        value = float(quantity.compute(run, **given))
    except (IndexError, KeyError, ValueError, TypeError, ArithmeticError) as err:
        # A file's arguments that the table's kinds let through but this setup cannot serve (a
        # split it lacks, a unit past a layer): the reason, never a traceback.
        raise NntermError(f"this setup does not have what it reads ({err})") from None
    if not np.isfinite(value):
        raise NntermError(f'"{name}" is not a finite number here ({value})')
    return value
