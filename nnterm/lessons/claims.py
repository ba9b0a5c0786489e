"""The statements a lesson's text may make about its screen — ONE table, kind → ClaimKind.

A step's text says things the learner will check against the screen beside it: "momentum
arrives first", "the validation loss rises after its best epoch", "L2 lowers the validation loss
here". Each such statement is declared beside the text as a `[[step.claim]]` of a kind from this
table, and `nnterm lessons --audit` (nnterm/lessons/audit.py) evaluates every one against the live
network, so a text that the screen would contradict fails the audit instead of reaching a
learner (docs/design.md, "Lessons").

`holds(run, values, **args)` → (held, what was seen, in words). `values` are the step's own live
numbers (`[step.values]`, by name); an argument of kind VALUE names one of them, so a claim
compares what the text says with what the screen shows and never a number typed into the file.
Each evaluation works on copies or on scratch trainers: the learner's state does not move.
"""
import copy
import math
from dataclasses import dataclass, field, replace

from nnterm.errors import NntermError
from nnterm.lessons import checks
from nnterm.lessons.quantities import FLOAT, INT, RACER, REQUIRED, TEXT
from nnterm.runtime.numbers import num

VALUE = "name of one of the step's values"
RACE_STEPS_AT_MOST = 5000      # a race is played this far on a copy to see who arrives
SCRATCH_EPOCHS_AT_MOST = 1000  # what a claim's own comparison may train
REGULARISERS = ("l1", "l2")


@dataclass(frozen=True)
class ClaimKind:
    words: str                 # the statement with {arguments}: "{first} reaches the minimum before {second}"
    holds: object              # holds(run, values, **args) → (bool, seen: str)
    args: dict = field(default_factory=dict)     # name → (kind, default or REQUIRED)


def operands(values: dict, value: str, than, number) -> tuple[float, float, str]:
    """The claim's two numbers: a value of the step, and another value or a number."""
    if (than is None) == (number is None):
        raise NntermError('a comparison needs "than" (another value of the step) or "number", one of them')
    right = values[than] if than is not None else number
    return values[value], right, than if than is not None else num(number)


def below(run, values, value, than=None, number=None):
    left, right, name = operands(values, value, than, number)
    return left < right, f"{value} = {num(left)}, {name} = {num(right)}"


def above(run, values, value, than=None, number=None):
    left, right, name = operands(values, value, than, number)
    return left > right, f"{value} = {num(left)}, {name} = {num(right)}"


def smaller(run, values, value, than=None, number=None):
    left, right, name = operands(values, value, than, number)
    return abs(left) < abs(right), f"|{value}| = {num(abs(left))}, |{name}| = {num(abs(right))}"


def apart(run, values, value, than=None, number=None, by: float = 0.01):
    left, right, name = operands(values, value, than, number)
    return abs(left - right) >= by, f"{value} = {num(left)}, {name} = {num(right)}, apart by {num(abs(left - right))}"


def near(run, values, value, than=None, number=None, within: float = 0.01):
    left, right, name = operands(values, value, than, number)
    return abs(left - right) <= within, f"{value} = {num(left)}, {name} = {num(right)}"


def reaches_first(run, values, first: str, second: str):
    """Plays a copy of the race until the first of them arrives (or neither can)."""
    race = copy.deepcopy(run.race)
    a, b = race.racer(first), race.racer(second)
    for _ in range(RACE_STEPS_AT_MOST):
        if a.reached_at is not None or b.reached_at is not None or (a.diverged and b.diverged):
            break
        race.step()
    at = {name: r.reached_at for name, r in ((first, a), (second, b))}
    seen = ", ".join(f"{name} {'at step ' + str(step) if step is not None else 'not yet'}" for name, step in at.items())
    return at[first] is not None and (at[second] is None or at[first] < at[second]), seen


def history_of(run):
    history = run.session.trainer.history
    return [r.epoch for r in history], [r.train_loss for r in history], [r.val_loss for r in history]


def val_loss_rises(run, values):
    """What the status line calls overfitting (nnterm.engine.generalisation), on the run as it stands."""
    from nnterm.engine.generalisation import overfitting      # here: reading a lesson file loads no engine
    found = overfitting(*history_of(run))
    if found is None:
        epochs, _train, val = history_of(run)
        return False, f"no overfitting said after {epochs[-1] if epochs else 0} epochs" + (
            f" (val loss {num(val[-1])})" if val else "")
    return True, found.sentence()


def train_loss_falls(run, values):
    epochs, train, _val = history_of(run)
    if len(train) < 2:
        return False, "fewer than two epochs trained"
    return train[-1] < train[0], f"training loss {num(train[0])} at epoch {epochs[0]}, {num(train[-1])} at epoch {epochs[-1]}"


def scratch_val_loss(run, epochs: int, **training) -> float:
    """The validation loss a fresh copy of the step's network reaches in `epochs` (same data, same
    first weights), with these training settings: the lesson's own trainer does not move."""
    from nnterm.engine.trainer import Trainer
    from nnterm.presets import edits
    trainer = run.session.trainer
    preset = edits.set_training(trainer.settings, **training) if training else trainer.settings
    scratch = Trainer(replace(preset, training=replace(preset.training, early_stopping=False)), data=trainer.data)
    reports = scratch.run(epochs)
    return reports[-1].val_loss if reports else math.nan


def lowers_val_loss(run, values, regulariser: str, rate: float, epochs: int):
    """The same network trained the same epochs from the same start, without and with the penalty."""
    if regulariser not in REGULARISERS:
        raise NntermError(f'"regulariser" must be one of {", ".join(REGULARISERS)}, not "{regulariser}"')
    if not 1 <= epochs <= SCRATCH_EPOCHS_AT_MOST:
        raise NntermError(f'"epochs" must be 1 … {SCRATCH_EPOCHS_AT_MOST}, not {epochs}')
    without = scratch_val_loss(run, epochs, l1=0.0, l2=0.0)
    with_ = scratch_val_loss(run, epochs, **{"l1": 0.0, "l2": 0.0, regulariser: rate})
    return with_ < without, f"val loss after {epochs} epochs: {num(without)} without, {num(with_)} with {regulariser} {rate:g}"


def layer_as_saved(run, values, layer: int):
    """A layer's weights and biases are bit for bit those of the weight file this session saved last."""
    saved = run.session.weights_saved
    if saved is None:
        return False, "no weight file saved in this session yet"
    same = checks.layer_as_saved(run, layer)
    return same, f"layer {layer} {'equals' if same else 'differs from'} {saved[0]} (saved at epoch {saved[1]})"


CLAIMS: dict[str, ClaimKind] = {
    "below": ClaimKind("{value} is below {than}{number}", below,
                       {"value": (VALUE, REQUIRED), "than": (VALUE, None), "number": (FLOAT, None)}),
    "above": ClaimKind("{value} is above {than}{number}", above,
                       {"value": (VALUE, REQUIRED), "than": (VALUE, None), "number": (FLOAT, None)}),
    "smaller": ClaimKind("{value} is smaller in size than {than}{number}", smaller,
                         {"value": (VALUE, REQUIRED), "than": (VALUE, None), "number": (FLOAT, None)}),
    "apart": ClaimKind("{value} and {than}{number} differ by at least {by}", apart,
                       {"value": (VALUE, REQUIRED), "than": (VALUE, None), "number": (FLOAT, None), "by": (FLOAT, 0.01)}),
    "near": ClaimKind("{value} is within {within} of {than}{number}", near,
                      {"value": (VALUE, REQUIRED), "than": (VALUE, None), "number": (FLOAT, None),
                       "within": (FLOAT, 0.01)}),
    "reaches_first": ClaimKind("{first} reaches the minimum before {second}", reaches_first,
                               {"first": (RACER, REQUIRED), "second": (RACER, REQUIRED)}),
    "val_loss_rises": ClaimKind("the validation loss rises after its best epoch while the training loss falls "
                                "(the status line says overfitting)", val_loss_rises),
    "train_loss_falls": ClaimKind("the training loss has fallen since the first epoch", train_loss_falls),
    "lowers_val_loss": ClaimKind("{regulariser} at rate {rate} lowers the validation loss after {epochs} epochs",
                                 lowers_val_loss, {"regulariser": (TEXT, REQUIRED), "rate": (FLOAT, REQUIRED),
                                                   "epochs": (INT, REQUIRED)}),
    "layer_as_saved": ClaimKind("layer {layer}'s weights are bit for bit those in the saved weight file",
                                layer_as_saved, {"layer": (INT, REQUIRED)}),
}


def given(kind: ClaimKind, args: dict) -> dict:
    return {key: args.get(key, default) for key, (_kind, default) in kind.args.items()}


def words(claim) -> str:
    """The claim in words: its own `says`, else its kind's words with its arguments."""
    if claim.says:
        return claim.says
    filled = {k: ("" if v is None else f"{v:g}" if isinstance(v, float) else v)
              for k, v in given(CLAIMS[claim.kind], claim.args).items()}
    return CLAIMS[claim.kind].words.format(**filled)


def evaluate(run, claim, values: dict) -> tuple[bool, str]:
    """(held, what was seen); an NntermError sentence when it cannot be evaluated here."""
    kind = CLAIMS[claim.kind]
    try:
        return kind.holds(run, values, **given(kind, claim.args))
    except (IndexError, KeyError, ValueError, TypeError, ArithmeticError) as err:
        raise NntermError(f"this setup does not have what it reads ({err})") from None
