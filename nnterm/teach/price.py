"""The price-guessing game: a TV host hides the price of a vacuum cleaner and three players
race to it (engine side; no textual).

- The host game (`HostPlayer`): only "too high" / "too low" is known, so the best play is
  bisection — start at 1000, widen the step (doubling it) until the answer flips, then halve
  the bracket between the last "too low" and the last "too high".
- Gradient descent (`GradientDescentPlayer`) knows the loss L = (guess − price)² and its slope
  dL/dguess = 2(guess − price), and moves guess ← guess − lr·2(guess − price). The guess is the
  bias of a linear neuron with no inputs, trained by the engine's own kernels (`Neuron` of
  nnterm.teach.neuron_lab, mean squared error, plain gradient descent), so the numbers here are
  exactly those any network in nnterm would produce.
- The player (`TypedPlayer`): a person types guesses and hears "too high" / "too low".

Since guess − price is multiplied by r = 1 − 2·lr at every gradient step
(g' − p = (g − p) − lr·2(g − p)), the learning rate alone decides the story: lr < 0.5 crawls from
one side, lr = 0.5 lands in one step, 0.5 < lr < 1 oscillates while closing in, lr = 1
swings for ever, lr > 1 oscillates with a growing swing and diverges.

The feature round (`FeatureRound`): the price now depends on features of the vacuum cleaner,
and a linear neuron learns price = w·x + b from a few examples by the same descent, one weight
per feature.
"""
import math
from dataclasses import dataclass

import numpy as np

from nnterm.errors import NntermError
from nnterm.runtime.language import N_, _, ngettext
from nnterm.kernels.codes import LINEAR, MSE
from nnterm.kernels.losses import loss_value
from nnterm.kernels.stepped import run_small
from nnterm.teach.neuron_lab import Example, Neuron, NeuronSetup

DEFAULT_PRICE = 1688.0
DEFAULT_START = 1000.0
DEFAULT_LR = 0.1
DEFAULT_STEPS = 100
RANDOM_PRICES = (100, 3000)   # `--price random` draws a whole number in this range
TOLERANCE = 0.5               # a guess within 0.5 of the price rounds to it: "right"
DIVERGENCE_FACTOR = 1000.0    # gradient descent has diverged once its error is 1000× the first one
LARGEST = 1e12               # the largest price or typed guess
CRAWL_BELOW = 0.25            # below this lr each step removes less than half the error: it crawls

RIGHT, TOO_HIGH, TOO_LOW = "right", "too high", "too low"


def check_number(what: str, value: float) -> float:
    """Prices and guesses stay within ±LARGEST, so every loss (g − p)² is a finite number."""
    if not (math.isfinite(value) and abs(value) <= LARGEST):
        raise NntermError(f"{what} {value:g}: must be a number between {-LARGEST:g} and {LARGEST:g}")
    return float(value)


def check_learning_rate(lr: float) -> float:
    if not (math.isfinite(lr) and lr > 0):
        raise NntermError(f"learning rate {lr:g}: must be a finite number > 0 (try 0.1, or 0.5 to land in one step)")
    return float(lr)


def verdict(guess: float, price: float) -> str:
    """What the host says."""
    if abs(guess - price) <= TOLERANCE:
        return RIGHT
    return TOO_HIGH if guess > price else TOO_LOW


def squared_error(guess: float, price: float) -> float:
    """L = (guess − price)², by the engine's mse loss kernel."""
    a = np.array([[guess]], dtype=np.float64)
    return float(run_small(loss_value, MSE, LINEAR, a, a, np.array([[price]], dtype=np.float64)))


def learning_rate_story(lr: float, error: float = DEFAULT_PRICE - DEFAULT_START) -> str:
    """What this learning rate does to L = (g − p)², in words. Each step multiplies the error
    g − p by r = 1 − 2·lr, so from an error e it takes about log(tolerance/|e|) / log|r| steps."""
    r = 1.0 - 2.0 * lr
    fills = {"lr": f"{lr:g}", "keeps": f"{r:.3g}", "removes": f"{2 * lr:.0%}", "factor": f"{abs(r):.3g}"}
    if abs(r) < 1e-12:
        return _("lr {lr} lands in one step: the update −lr·2(g − p) = p − g is exactly the error").format(**fills)
    ahead = abs(error) > TOLERANCE
    steps = math.ceil(math.log(TOLERANCE / abs(error)) / math.log(abs(r))) if ahead and abs(r) < 1 else None
    fills["steps"] = steps
    # Whole sentences, one per case (with and without the steps it takes), so each can be translated.
    if r > 0 and lr < CRAWL_BELOW:
        return (_("lr {lr} crawls towards the price from one side: each step keeps {keeps} of the error (removes "
                  "{removes}), about {steps} steps to land") if steps else
                _("lr {lr} crawls towards the price from one side: each step keeps {keeps} of the error (removes "
                  "{removes})")).format(**fills)
    if r > 0:
        return (_("lr {lr} closes in quickly from one side: each step keeps {keeps} of the error (removes "
                  "{removes}), about {steps} steps to land") if steps else
                _("lr {lr} closes in quickly from one side: each step keeps {keeps} of the error (removes "
                  "{removes})")).format(**fills)
    if r > -1:
        return (_("lr {lr} overshoots and oscillates around the price, the swing shrinking ×{factor} each step, "
                  "about {steps} steps to land") if steps else
                _("lr {lr} overshoots and oscillates around the price, the swing shrinking ×{factor} each step")
                ).format(**fills)
    if abs(r + 1.0) < 1e-12:
        return _("lr {lr} oscillates for ever: each step jumps to the mirror image of the guess across the price").format(
            **fills)
    return _("lr {lr} diverges: each step overshoots by more than the error, which grows ×{factor} per step while the "
             "guesses swing ever wider").format(**fills)


@dataclass(frozen=True)
class PriceStep:
    step: int                  # 1 for a player's first guess
    player: str                # "host", "gd" or "you"
    guess: float
    verdict: str
    loss: float                # (guess − price)²
    gradient: float | None     # dL/dguess = 2(guess − price); gradient descent only
    update: float | None       # −lr·gradient; gradient descent only

    def as_dict(self) -> dict:
        return {"step": self.step, "player": self.player, "guess": self.guess, "verdict": self.verdict,
                "loss": self.loss, "gradient": self.gradient}


class HostPlayer:
    """Bisection from "too high" / "too low" alone."""
    name = "host"
    title = "host game (bisection)"

    def __init__(self, price: float, start: float):
        self.price, self.start = price, start
        self.steps: list[PriceStep] = []
        self.low = self.high = None          # the last "too low" and "too high" guesses
        self.widen = max(abs(start), 1.0)    # how far to jump while only one side is known
        self.next_guess = start

    @property
    def done(self) -> bool:
        return bool(self.steps) and self.steps[-1].verdict == RIGHT

    @property
    def outcome(self) -> str:
        return "right" if self.done else "not yet"

    def step(self) -> PriceStep | None:
        if self.done:
            return None
        guess = self.next_guess
        said = verdict(guess, self.price)
        record = PriceStep(len(self.steps) + 1, self.name, guess, said, squared_error(guess, self.price), None, None)
        self.steps.append(record)
        if said == TOO_LOW:
            self.low = guess
        elif said == TOO_HIGH:
            self.high = guess
        if self.low is not None and self.high is not None:
            self.next_guess = (self.low + self.high) / 2.0       # halve the bracket
        elif said != RIGHT:
            self.next_guess = guess + self.widen if said == TOO_LOW else guess - self.widen
            self.widen *= 2.0                                      # widen until the answer flips
        return record

    def summary(self) -> str:
        n = len(self.steps)
        if self.done:
            return ngettext("the host's bisection lands on {guess} in {count} guess",
                            "the host's bisection lands on {guess} in {count} guesses", n).format(
                guess=f"{self.steps[-1].guess:g}", count=n)
        if not n:
            return _("the host has not guessed yet")
        return ngettext("the host's bisection is at {guess} after {count} guess",
                        "the host's bisection is at {guess} after {count} guesses", n).format(
            guess=f"{self.steps[-1].guess:g}", count=n)


class GradientDescentPlayer:
    """guess ← guess − lr·2(guess − price), by the engine's kernels (see the module docstring)."""
    name = "gd"
    title = "gradient descent"

    def __init__(self, price: float, start: float, lr: float):
        self.price, self.start = price, start
        self.lr = check_learning_rate(lr)
        setup = NeuronSetup(key="price", title="the guess as a bias", story="", input_names=(), inputs=(),
                            weights=(), bias=start, activation="linear",
                            examples=(Example("price", (), price),), learning_rate=self.lr)
        self.neuron = Neuron(setup)
        self.steps: list[PriceStep] = []
        self.diverged = False

    @property
    def guess(self) -> float:
        return self.neuron.bias

    @property
    def done(self) -> bool:
        return self.diverged or (bool(self.steps) and self.steps[-1].verdict == RIGHT)

    @property
    def outcome(self) -> str:
        if self.diverged:
            return "diverged"
        return "right" if self.done else "not yet"

    def step(self) -> PriceStep | None:
        """Guess, hear the verdict, and (unless right) take one gradient step for the next guess."""
        if self.done:
            return None
        guess = self.guess
        said = verdict(guess, self.price)
        taken = self.neuron.train_step()          # loss, ∂L/∂b and Δb of this guess, from the kernels
        record = PriceStep(len(self.steps) + 1, self.name, guess, said, taken.loss_before, taken.grad_bias,
                           taken.update_bias)
        self.steps.append(record)
        first_error = abs(self.start - self.price)
        new_error = abs(self.guess - self.price)
        if not math.isfinite(new_error) or new_error > DIVERGENCE_FACTOR * max(first_error, 1.0):
            self.neuron.set_bias(guess)           # keep the last finite guess
            self.diverged = True
        return record

    def summary(self) -> str:
        n = len(self.steps)
        if self.diverged:
            first = abs(self.start - self.price)
            last = abs(self.steps[-1].guess - self.price)
            return ngettext("gradient descent diverged at lr {lr}: every step overshot the price by more than the "
                            "error it corrected, so the guesses swung ever wider (error {first} → {last} after {count} "
                            "step); stopped there. Use a learning rate below 1 (0.5 lands in one step)",
                            "gradient descent diverged at lr {lr}: every step overshot the price by more than the "
                            "error it corrected, so the guesses swung ever wider (error {first} → {last} after {count} "
                            "steps); stopped there. Use a learning rate below 1 (0.5 lands in one step)", n).format(
                lr=f"{self.lr:g}", first=f"{first:.4g}", last=f"{last:.4g}", count=n)
        if self.done:
            return ngettext("gradient descent at lr {lr} lands on {guess} in {count} guess",
                            "gradient descent at lr {lr} lands on {guess} in {count} guesses", n).format(
                lr=f"{self.lr:g}", guess=f"{self.steps[-1].guess:.6g}", count=n)
        if not n:
            return _("gradient descent has not guessed yet")
        return ngettext("gradient descent at lr {lr} is at {guess} after {count} guess, {away} away; {story}",
                        "gradient descent at lr {lr} is at {guess} after {count} guesses, {away} away; {story}", n).format(
            lr=f"{self.lr:g}", guess=f"{self.steps[-1].guess:.6g}", count=n,
            away=f"{abs(self.steps[-1].guess - self.price):.4g}", story=learning_rate_story(self.lr, self.start - self.price))


class TypedPlayer:
    """The person at the keyboard: each typed guess is answered "too high" / "too low"."""
    name = "you"
    title = "you"

    def __init__(self, price: float):
        self.price = price
        self.steps: list[PriceStep] = []

    @property
    def done(self) -> bool:
        return bool(self.steps) and self.steps[-1].verdict == RIGHT

    def guess(self, value: float) -> PriceStep:
        value = check_number("your guess", value)
        if self.done:
            raise NntermError("you already found the price; start a new round to play again")
        record = PriceStep(len(self.steps) + 1, self.name, value, verdict(value, self.price),
                           squared_error(value, self.price), None, None)
        self.steps.append(record)
        return record


class PriceRound:
    """One round: the hidden price, the start and the three players."""

    def __init__(self, price: float = DEFAULT_PRICE, start: float = DEFAULT_START, lr: float = DEFAULT_LR):
        self.price = check_number("price", price)
        self.start = check_number("starting guess", start)
        self.host = HostPlayer(self.price, self.start)
        self.gd = GradientDescentPlayer(self.price, self.start, lr)
        self.you = TypedPlayer(self.price)

    @property
    def lr(self) -> float:
        return self.gd.lr

    @property
    def machines(self):
        return (self.host, self.gd)

    def step_machines(self) -> list[PriceStep]:
        """The host and gradient descent take one guess each (those still guessing)."""
        return [s for s in (self.host.step(), self.gd.step()) if s is not None]

    def play_turn(self, typed: float) -> list[PriceStep]:
        """A turn of the race: you guess, then the host and gradient descent guess."""
        return [self.you.guess(typed)] + self.step_machines()

    def set_learning_rate(self, lr: float) -> None:
        """Live: gradient descent replays from the start at the new rate, as many guesses as it had made."""
        taken = len(self.gd.steps)
        self.gd = GradientDescentPlayer(self.price, self.start, lr)
        for _ in range(taken):
            self.gd.step()

    def story(self) -> str:
        return learning_rate_story(self.lr, self.start - self.price)


def random_price(seed: int | None) -> float:
    return float(np.random.default_rng(seed).integers(RANDOM_PRICES[0], RANDOM_PRICES[1] + 1))


# --- the feature round ------------------------------------------------------------------------

# Vacuum cleaners with features of about the same size (gradient descent needs that: one
# steep direction would force a small lr on all of them): power in kW, mass in tens of
# kilograms, brand score 0…1. Their prices follow price = 600·power − 400·mass + 900·brand + 200
# exactly, so the neuron can learn them to the last euro; the show's vacuum is kept out.
FEATURE_NAMES = (N_("power"), N_("mass"), N_("brand"))         # msgids, shown translated ("mass": "weight" is w)
FEATURE_UNITS = ("kW", "×10 kg", N_("score 0–1"))
TRUE_WEIGHTS = (600.0, -400.0, 900.0)
TRUE_BIAS = 200.0
VACUUMS = (
    Example(N_("deluxe upright"), (0.7, 0.8, 0.9), 1110.0),          # labels are msgids, shown translated
    Example(N_("budget bagged"), (0.6, 0.3, 0.2), 620.0),
    Example(N_("cyclone pro"), (1.6, 0.5, 0.8), 1680.0),
    Example(N_("handheld"), (0.4, 0.2, 0.4), 720.0),
    Example(N_("old canister"), (0.8, 0.8, 0.1), 450.0),
    Example(N_("cordless stick"), (0.9, 0.2, 0.5), 1110.0),
)
SHOW_VACUUM = Example(N_("the show's vacuum"), (1.3, 0.3, 0.92), DEFAULT_PRICE)
FEATURE_LR = 0.3


@dataclass(frozen=True)
class FeatureStep:
    step: int
    loss: float                    # mean over the examples of (w·x + b − price)², before the step
    weights: tuple                 # w before the step
    bias: float
    gradients: tuple               # ∂L/∂wᵢ = (2/N) Σ (w·x + b − price)·xᵢ
    bias_gradient: float           # ∂L/∂b = (2/N) Σ (w·x + b − price)


class FeatureRound:
    """A linear neuron learns price = w·x + b from VACUUMS by gradient descent (the engine's
    kernels, through nnterm.teach.neuron_lab's Neuron), starting from w = 0, b = 0."""

    def __init__(self, lr: float = FEATURE_LR):
        setup = NeuronSetup(key="vacuums", title="price = w·x + b", story="", input_names=FEATURE_NAMES,
                            inputs=SHOW_VACUUM.inputs, weights=(0.0,) * len(FEATURE_NAMES), bias=0.0,
                            activation="linear", examples=VACUUMS, learning_rate=check_learning_rate(lr))
        self.neuron = Neuron(setup)
        self.steps: list[FeatureStep] = []
        self.diverged = False

    @property
    def lr(self) -> float:
        return self.neuron.learning_rate

    @property
    def weights(self) -> tuple:
        return tuple(float(w) for w in self.neuron.weights)

    @property
    def bias(self) -> float:
        return self.neuron.bias

    def loss(self) -> float:
        return self.neuron.loss()

    def step(self) -> FeatureStep | None:
        if self.diverged:
            return None
        weights, bias = self.weights, self.bias
        taken = self.neuron.train_step()
        record = FeatureStep(len(self.steps) + 1, taken.loss_before, weights, bias,
                             tuple(float(g) for g in taken.grad_weights), taken.grad_bias)
        self.steps.append(record)
        if not (math.isfinite(self.loss()) and np.isfinite(self.neuron.network.params).all()) \
                or self.loss() > DIVERGENCE_FACTOR * max(self.steps[0].loss, 1.0):
            for i, w in enumerate(weights):
                self.neuron.set_weight(i, w)
            self.neuron.set_bias(bias)
            self.diverged = True
        return record

    def set_learning_rate(self, lr: float) -> None:
        self.neuron.set_learning_rate(check_learning_rate(lr))
        self.diverged = False

    def predictions(self) -> list[tuple[str, float, float]]:
        """(name, price, the neuron's w·x + b) for each example and, last, the show's vacuum."""
        _, a = self.neuron.example_outputs()
        rows = [(e.label, e.target, float(p)) for e, p in zip(VACUUMS, a)]
        return rows + [(SHOW_VACUUM.label, SHOW_VACUUM.target, self.neuron.output())]

    def summary(self) -> str:
        if self.diverged:
            return _("diverged at lr {lr}: the loss grew instead of shrinking; the weights were restored to step "
                     "{step}'s — lower the learning rate").format(lr=f"{self.lr:g}", step=len(self.steps))
        w = ", ".join(f"{_(name)} {v:.1f}" for name, v in zip(FEATURE_NAMES, self.weights))
        return _("step {step}: loss {loss}; weights {weights}; bias {bias} (the examples follow {true_weights} and "
                 "{true_bias})").format(step=len(self.steps), loss=f"{self.loss():.4g}", weights=w,
                                        bias=f"{self.bias:.1f}", true_weights=", ".join(f"{v:g}" for v in TRUE_WEIGHTS),
                                        true_bias=f"{TRUE_BIAS:g}")
