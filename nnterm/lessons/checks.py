"""The "do something" tasks a lesson may set — ONE table, name → Check.

Each entry says in words what the learner must do (its arguments filled in), the screen where it
is done, `passed(run, **args)` that tests the live state of a LessonRun (nnterm/lessons/runner.py)
and `show(run, **args)` that does it the way a learner would — through the session's verbs and
the teach objects — for the "show me" key and for the tests that walk every bundled lesson.
"""
import math
from dataclasses import dataclass, field

from nnterm.errors import NntermError
from nnterm.lessons.quantities import FLOAT, INT, OPTIMIZER, RACER, REQUIRED, hidden_units, index, metric
from nnterm.runtime.language import N_, _

SHOW_EPOCHS_AT_MOST = 400      # "show me" trains at most this many epochs
PRICE_TURNS_AT_MOST = 60
EARLY_STOP_EPOCHS_AT_MOST = 2000   # early stopping waits out its patience, so it may take longer


@dataclass(frozen=True)
class Check:
    words: str                 # what to do, with {arguments}: "make the neuron's output above {value}"
    screen: str
    passed: object             # passed(run, **args) → bool
    show: object               # show(run, **args): does it
    args: dict = field(default_factory=dict)


def last_report(run):
    history = run.session.trainer.history
    return history[-1] if history else None


def train_until(run, done, epochs: int = SHOW_EPOCHS_AT_MOST) -> None:
    """Trains epoch by epoch until `done()` (asked before each) or a stop, through the session's
    verb (on its training thread; back once trained). A run that fails says why."""
    change = run.session.train_now(epochs, until=done)
    if change.error:
        raise NntermError(change.said)


# --- the neuron lab ---
SHOWN_TO = 1e-4                # the lab shows four decimals: an output within this of the bar is not "above" it
MIN_DIVERGING_GUESSES = 2      # guesses gradient descent must make for a learner to see the swing grow


def neuron_above(run, value: float) -> bool:
    """Above as the lab shows it: 2.0000001 reads 2, which is not above 2."""
    return run.neuron.output() > value + SHOWN_TO


def show_neuron_above(run, value: float) -> None:
    """Raises the bias until the output passes `value` (as the learner would, a nudge at a time)."""
    for _ in range(10_000):
        if neuron_above(run, value):
            return
        run.neuron.set_bias(run.neuron.bias + 0.1)


def bias_lifts_above(run, value: float) -> bool:
    """Above `value` with every input still 0: only the bias can have done it (switching to
    another neuron and back brings inputs that are not 0, and is not what the step asks)."""
    return not run.neuron.inputs.any() and neuron_above(run, value)


def show_bias_lifts_above(run, value: float) -> None:
    for i in range(len(run.neuron.inputs)):
        run.neuron.set_input(i, 0.0)
    show_neuron_above(run, value)


def neuron_dead(run) -> bool:
    return run.neuron.is_dead()


def show_neuron_dead(run) -> None:
    run.neuron.set_activation("relu")
    run.neuron.set_bias(-100.0)


# --- the price game ---
def price_diverged(run) -> bool:
    """What the game says: a learning rate above 1 diverges (each step multiplies the error by
    1 − 2·lr, more than 1 in size), seen once gradient descent has guessed twice; or it has run off."""
    gd = run.price.gd
    return gd.diverged or (gd.lr > 1 and len(gd.steps) >= MIN_DIVERGING_GUESSES)


def show_price_diverged(run) -> None:
    run.price.set_learning_rate(1.5)
    for _ in range(PRICE_TURNS_AT_MOST):
        if run.price.gd.done:
            return
        run.price.gd.step()


def price_landed(run, guesses: int) -> bool:
    gd = run.price.gd
    return gd.done and not gd.diverged and len(gd.steps) <= guesses


def show_price_landed(run, guesses: int) -> None:
    run.price.set_learning_rate(0.5)          # lands in one step: the update −lr·2(g − p) is the error
    for _ in range(PRICE_TURNS_AT_MOST):
        if run.price.gd.done:
            return
        run.price.gd.step()


def you_found_price(run, guesses: int) -> bool:
    you = run.price.you
    return you.done and len(you.steps) <= guesses


def show_you_found_price(run, guesses: int) -> None:
    """Types the host's own bisection guesses, "too high" / "too low" being all it hears."""
    from nnterm.teach.price import HostPlayer
    host = HostPlayer(run.price.price, run.price.start)
    while not run.price.you.done and len(run.price.you.steps) < PRICE_TURNS_AT_MOST:
        guess = host.next_guess
        host.step()
        run.price.you.guess(guess)


# --- the descent race ---
def racer_reached(run, optimizer: str) -> bool:
    return run.race.racer(optimizer).reached_at is not None


def show_racer_reached(run, optimizer: str) -> None:
    for _ in range(run.race.surface.steps * 3):
        if racer_reached(run, optimizer):
            return
        run.race.step()


# --- the playground network ---
def loss_below(split_name: str):
    def passed(run, value: float) -> bool:
        report = last_report(run)
        loss = None if report is None else (report.train_loss if split_name == "train" else report.val_loss)
        return loss is not None and math.isfinite(loss) and loss < value

    def show(run, value: float) -> None:
        train_until(run, lambda: passed(run, value))
    return passed, show


def accuracy_at_least(run, value: float, neurons: int) -> bool:
    report = last_report(run)
    if report is None or hidden_units(run) > neurons:
        return False
    return metric("accuracy")(run) >= value


def show_accuracy_at_least(run, value: float, neurons: int) -> None:
    train_until(run, lambda: accuracy_at_least(run, value, neurons))


def layer_frozen(run, layer: int) -> bool:
    layers = run.session.trainer.network.layers
    return not layers[index(layer, len(layers), "layer")].trainable


def show_layer_frozen(run, layer: int) -> None:
    run.session.set_trainable(layer - 1, False)


def early_stopped(run) -> bool:
    trainer = run.session.trainer
    t = trainer.preset.training
    return t.early_stopping and trainer.stale_epochs >= t.patience


def show_early_stopped(run) -> None:
    if not run.session.preset.training.early_stopping:
        run.session.set_training(early_stopping=True)
    train_until(run, lambda: early_stopped(run), epochs=EARLY_STOP_EPOCHS_AT_MOST)


def regularised_below(run, value: float) -> bool:
    t = run.session.trainer.preset.training
    return (t.l1 > 0 or t.l2 > 0) and loss_below("val")[0](run, value)


def show_regularised_below(run, value: float) -> None:
    run.session.set_regularization("l2", 0.03)
    train_until(run, lambda: regularised_below(run, value))


def regularised_below_compared(run) -> bool:
    """Regularised, trained as long as the step's first compared run (trained without), and its
    validation loss ended below that run's: the penalty kept the network from learning the noise."""
    trainer = run.session.trainer
    t = trainer.preset.training
    if not run.compared or not run.compared[0][1] or not trainer.history:
        return False
    without = run.compared[0][1][-1]
    return ((t.l1 > 0 or t.l2 > 0) and trainer.epoch >= without.epoch
            and math.isfinite(trainer.history[-1].val_loss) and trainer.history[-1].val_loss < without.val_loss)


def show_regularised_below_compared(run) -> None:
    if run.session.preset.training.l1 <= 0 and run.session.preset.training.l2 <= 0:
        run.session.set_regularization("l2", 0.03)
    run.session.reset()
    if run.compared and run.compared[0][1]:
        train_epochs(run, run.compared[0][1][-1].epoch)


# --- weight files ---
def lesson_weight_file(run) -> str:
    """Where "show me" saves: $NNTERM_HOME/weights, named after the lesson (a learner's w asks for a name)."""
    from nnterm.engine.checkpoint import weights_folder
    folder = weights_folder()
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / f"lesson-{run.lesson.key}.safetensors")


def weights_saved(run) -> bool:
    saved = run.session.weights_saved
    return saved is not None and saved[1] == run.session.trainer.epoch and run.session.trainer.epoch > 0


def show_weights_saved(run) -> None:
    run.session.save_weights(lesson_weight_file(run))


def weights_reloaded(run) -> bool:
    """The file saved last was loaded back after training on: the network stands at its epoch again."""
    saved, loaded = run.session.weights_saved, run.session.weights_loaded
    return saved is not None and loaded == saved and run.session.trainer.epoch == saved[1]


def show_weights_reloaded(run) -> None:
    if run.session.weights_saved is None:
        show_weights_saved(run)
    train_epochs(run, 5)                  # the weights move on …
    run.session.load_weights(run.session.weights_saved[0])     # … and come back from the file


def layer_as_saved(run, layer: int) -> bool:
    """A layer's weights and biases bit for bit those of the weight file saved last."""
    import numpy as np
    from nnterm.engine.checkpoint import read_weights
    saved = run.session.weights_saved
    net = run.session.trainer.network
    l = index(layer, len(net.layers), "layer")
    if saved is None:
        return False
    file, now = read_weights(saved[0]), net.layers[l]
    if l >= file.n_layers:
        return False
    weight = file.weight(l) if file.weight(l).shape == now.weight.shape else file.weight(l).T   # either layout
    return bool(np.array_equal(weight, now.weight) and np.array_equal(file.bias(l), now.bias))


def fine_tuned(run, layer: int, epochs: int) -> bool:
    """Layer `layer` frozen, `epochs` trained since the weights were reloaded, and it is still as saved."""
    loaded = run.session.weights_loaded
    return (loaded is not None and layer_frozen(run, layer) and run.session.trainer.epoch >= loaded[1] + epochs
            and layer_as_saved(run, layer))


def show_fine_tuned(run, layer: int, epochs: int) -> None:
    if run.session.weights_loaded is None:
        show_weights_reloaded(run)
    show_layer_frozen(run, layer)
    train_epochs(run, max(0, run.session.weights_loaded[1] + epochs - run.session.trainer.epoch))


def train_epochs(run, epochs: int) -> None:
    run.session.train_now(epochs)


def trained(run, epochs: int) -> bool:
    return run.session.trainer.epoch >= epochs


def show_trained(run, epochs: int) -> None:
    train_until(run, lambda: False, epochs=max(0, epochs - run.session.trainer.epoch))


def optimizer_is(run, optimizer: str) -> bool:
    return run.session.trainer.preset.training.optimizer == optimizer


def show_optimizer_is(run, optimizer: str) -> None:
    run.session.set_optimizer(optimizer)


TRAIN_LOSS, VAL_LOSS = loss_below("train"), loss_below("val")

CHECKS: dict[str, Check] = {
    "neuron_output_above": Check(N_("make the neuron's output above {value}"), "neuron_lab", neuron_above,
                                 show_neuron_above, {"value": (FLOAT, REQUIRED)}),
    "bias_lifts_output_above": Check(N_("with every input still 0, make the neuron's output above {value}"),
                                     "neuron_lab", bias_lifts_above, show_bias_lifts_above, {"value": (FLOAT, REQUIRED)}),
    "neuron_dead": Check(N_("make the neuron a dead ReLU: z ≤ 0 for every example"), "neuron_lab", neuron_dead,
                         show_neuron_dead),
    "price_diverged": Check(N_("make gradient descent diverge in the price game: a learning rate above 1, then let it "
                            "guess at least twice"), "price", price_diverged,
                            show_price_diverged),
    "price_landed": Check(N_("make gradient descent land on the price in at most {guesses} guesses"), "price",
                          price_landed, show_price_landed, {"guesses": (INT, REQUIRED)}),
    "you_found_price": Check(N_("find the price yourself in at most {guesses} guesses"), "price", you_found_price,
                             show_you_found_price, {"guesses": (INT, REQUIRED)}),
    "racer_reached": Check(N_("get {optimizer} to the minimum in the descent race"), "descent", racer_reached,
                           show_racer_reached, {"optimizer": (RACER, REQUIRED)}),
    "train_loss_below": Check(N_("train until the training loss is below {value}"), "playground", *TRAIN_LOSS,
                              {"value": (FLOAT, REQUIRED)}),
    "val_loss_below": Check(N_("train until the validation loss is below {value}"), "playground", *VAL_LOSS,
                            {"value": (FLOAT, REQUIRED)}),
    "val_accuracy_at_least": Check(N_("reach validation accuracy {value} with at most {neurons} hidden neurons"),
                                   "playground", accuracy_at_least, show_accuracy_at_least,
                                   {"value": (FLOAT, REQUIRED), "neurons": (INT, REQUIRED)}),
    "layer_frozen": Check(N_("freeze layer {layer}"), "playground", layer_frozen, show_layer_frozen,
                          {"layer": (INT, REQUIRED)}),
    "early_stopped": Check(N_("turn early stopping on and train until it stops the run"), "playground",
                           early_stopped, show_early_stopped),
    "regularised_val_loss_below": Check(N_("turn on L1 or L2 and train until the validation loss is below {value}"),
                                        "playground", regularised_below, show_regularised_below,
                                        {"value": (FLOAT, REQUIRED)}),
    "regularised_below_unregularised": Check(
        N_("turn on L1 or L2, reset and train as many epochs as the run without it: its validation loss ends lower"),
        "playground", regularised_below_compared, show_regularised_below_compared),
    "weights_saved": Check(N_("save the trained weights to a file (w on the playground)"), "playground", weights_saved,
                           show_weights_saved),
    "weights_reloaded": Check(N_("train on, then load the weight file you saved back (W on the playground)"), "playground",
                              weights_reloaded, show_weights_reloaded),
    "fine_tuned": Check(N_("with layer {layer} frozen, train {epochs} epochs from the reloaded weights"), "playground",
                        fine_tuned, show_fine_tuned, {"layer": (INT, REQUIRED), "epochs": (INT, REQUIRED)}),
    "trained_epochs": Check(N_("train at least {epochs} epochs"), "playground", trained, show_trained,
                            {"epochs": (INT, REQUIRED)}),
    "optimizer_is": Check(N_("switch the optimizer to {optimizer}"), "playground", optimizer_is, show_optimizer_is,
                          {"optimizer": (OPTIMIZER, REQUIRED)}),
}


def given(check: Check, args: dict) -> dict:
    return {key: args.get(key, default) for key, (_kind, default) in check.args.items()}


def words(name: str, args: dict) -> str:
    """The task in words, in the language in use (its words are marked N_ above, translated here)."""
    check = CHECKS[name]
    return _(check.words).format(**{k: f"{v:g}" if isinstance(v, float) else v for k, v in given(check, args).items()})
