"""The descent race: several optimizers start from the same point of a two-parameter loss
surface and step together.

Each racer is a flat buffer of two parameters (x, y) with its own optimizer state, advanced by
the engine's own update rule, `kernels.optimizers.optimizer_step` — the very function that
trains every network — so the race shows exactly what training does, on a surface you can see.
`nesterov` is the `momentum` rule with HP_NESTEROV = 1, as in torch.optim.SGD(nesterov=True).

A racer whose position or loss stops being finite has diverged: it stops at its last finite
point and says so; the others race on.
"""
import math
from dataclasses import dataclass

import numpy as np

from nnterm.errors import NntermError
from nnterm.runtime.language import _
from nnterm.kernels import codes
from nnterm.kernels.optimizers import optimizer_step
from nnterm.kernels.stepped import run_small

from .rules import OPTIMIZER_NAMES, RULES, rule_name
from .surfaces import Surface

KERNEL_CODES = {"gd": codes.GD, "momentum": codes.MOMENTUM, "nesterov": codes.MOMENTUM,
                "rmsprop": codes.RMSPROP, "adagrad": codes.ADAGRAD, "adam": codes.ADAM}
# The one "β" each optimizer has to tune (PyTorch's defaults); gd and adagrad have none.
BETA_NAMES = {"momentum": "μ", "nesterov": "μ", "rmsprop": "α", "adam": "β1"}
DEFAULT_BETAS = {"momentum": 0.9, "nesterov": 0.9, "rmsprop": 0.99, "adam": 0.9}
ADAM_BETA2 = 0.999
EPS = 1e-8
ADAGRAD_EPS = 1e-10


def loss_at(surface: Surface, x: float, y: float) -> float:
    """f(x, y) as a float64 (inf, not an exception, where it overflows)."""
    with np.errstate(all="ignore"):
        return float(surface.value(np.float64(x), np.float64(y)))


def parse_optimizers(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise NntermError(f'--optimizers "{text}": name at least one of {", ".join(OPTIMIZER_NAMES)}, comma-separated')
    for name in names:
        if name not in OPTIMIZER_NAMES:
            raise NntermError(f'optimizer "{name}" is not one of {", ".join(OPTIMIZER_NAMES)}')
    if len(set(names)) != len(names):
        raise NntermError(f'--optimizers "{text}": each optimizer may race only once')
    return names


def check_learning_rate(name: str, lr: float) -> float:
    if not (math.isfinite(lr) and lr > 0):
        raise NntermError(f"learning rate {lr:g} for {name}: must be a finite number > 0")
    return float(lr)


def check_beta(name: str, beta: float) -> float:
    if name not in BETA_NAMES:
        raise NntermError(f"{name} has no β to set (only {', '.join(BETA_NAMES)} do)")
    if not (math.isfinite(beta) and 0.0 <= beta < 1.0):
        raise NntermError(f"{BETA_NAMES[name]} = {beta:g} for {name}: must be at least 0 and below 1")
    return float(beta)


def hyper_parameters(name: str, lr: float, beta: float | None) -> np.ndarray:
    """The engine's float64 hyper-parameter vector for optimizer `name`; `beta` is its β
    (momentum's μ, RMSprop's α, Adam's β1), the others PyTorch's defaults."""
    return codes.pack_hyper_parameters(
        lr, momentum=beta if name in ("momentum", "nesterov") else 0.0, nesterov=name == "nesterov",
        beta1=beta if name == "adam" else DEFAULT_BETAS["adam"], beta2=ADAM_BETA2,
        eps=ADAGRAD_EPS if name == "adagrad" else EPS, alpha=beta if name == "rmsprop" else DEFAULT_BETAS["rmsprop"])


class Racer:
    """One optimizer on the surface: its two parameters, its state, and the path it took."""

    def __init__(self, name: str, lr: float, beta: float | None, start: tuple, surface: Surface):
        self.name = name
        self.code = KERNEL_CODES[name]
        self.lr = check_learning_rate(name, lr)
        self.beta = DEFAULT_BETAS.get(name) if beta is None else check_beta(name, beta)
        self.surface = surface
        self.start = (float(start[0]), float(start[1]))
        self.reset()

    def reset(self) -> None:
        self.params = np.array(self.start, dtype=np.float64)
        self.grads = np.zeros(2)
        self.mask = np.ones(2, dtype=np.uint8)
        self.state = np.zeros((2, 2))
        self.t = 0
        self.hp = hyper_parameters(self.name, self.lr, self.beta)
        self.path = [self.start]
        self.losses = [loss_at(self.surface, *self.start)]
        self.reached_at: int | None = 0 if self.is_at_minimum(self.losses[0]) else None
        self.diverged: str | None = None

    def set_learning_rate(self, lr: float) -> None:
        """Takes effect from the next step (as changing lr mid-training does)."""
        self.lr = check_learning_rate(self.name, lr)
        self.hp[codes.HP_LR] = self.lr

    def set_beta(self, beta: float) -> None:
        self.beta = check_beta(self.name, beta)
        self.hp = hyper_parameters(self.name, self.lr, self.beta)

    @property
    def rule_key(self) -> str:
        """Its rule in nnterm/teach/rules.py's table (momentum at μ = 0 is plain sgd: no velocity)."""
        return rule_name(self.name, self.hp[codes.HP_MOMENTUM], bool(self.hp[codes.HP_NESTEROV]))

    @property
    def rule(self) -> str:
        """Its update rule as kernels/optimizers.py applies it, in the table's notation (g = ∇f at w = (x, y))."""
        return RULES[self.rule_key].text()

    def state_values(self) -> list[tuple[str, tuple[float, float]]]:
        """(symbol, (x, y)) of each row of the optimizer state the kernel keeps (b, v, s, m), as it
        stands after the last step."""
        return [(name, (float(self.state[row, 0]), float(self.state[row, 1])))
                for row, name in enumerate(RULES[self.rule_key].state)]

    @property
    def gradient(self) -> tuple[float, float]:
        """∇ the last step took (0, 0 before the first)."""
        return float(self.grads[0]), float(self.grads[1])

    @property
    def beta_name(self) -> str | None:
        return BETA_NAMES.get(self.name)

    @property
    def loss(self) -> float:
        return self.losses[-1]

    @property
    def position(self) -> tuple:
        return self.path[-1]

    def is_at_minimum(self, loss: float) -> bool:
        return loss - self.surface.minimum_value <= self.surface.tolerance

    def step(self) -> None:
        """θ ← optimizer_step(θ, ∇f(θ)); stops for good at the first non-finite number."""
        if self.diverged is not None:
            return
        with np.errstate(all="ignore"):
            gx, gy = self.surface.gradient(self.params[0], self.params[1])
            self.grads[0], self.grads[1] = gx, gy
            before = self.params.copy()
            run_small(optimizer_step, self.code, self.params, self.grads, self.mask, self.state, self.t + 1, self.hp)
            loss = loss_at(self.surface, self.params[0], self.params[1])
        self.t += 1
        if not (np.isfinite(self.grads).all() and np.isfinite(self.params).all() and math.isfinite(loss)):
            self.params[:] = before
            self.diverged = (f"{self.name} diverged at step {self.t}: its position was no longer a finite number; "
                             f"learning rate {self.lr:g} is too high for this surface (it stopped at its last finite point)")
            return
        self.path.append((float(self.params[0]), float(self.params[1])))
        self.losses.append(loss)
        if self.reached_at is None and self.is_at_minimum(loss):
            self.reached_at = self.t

    @property
    def status(self) -> str:
        if self.diverged is not None:
            return _("diverged at step {step}").format(step=self.t)
        if self.reached_at is not None:
            return _("reached at step {step}").format(step=self.reached_at)
        return _("not yet")


@dataclass(frozen=True)
class RacerResult:
    optimizer: str
    lr: float
    beta_name: str | None
    beta: float | None
    steps: int
    reached_at: int | None
    final_loss: float
    x: float
    y: float
    diverged: str | None

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class Race:
    def __init__(self, surface: Surface, optimizers=OPTIMIZER_NAMES, learning_rates: dict | None = None,
                 betas: dict | None = None, start: tuple | None = None):
        self.surface = surface
        learning_rates, betas = learning_rates or {}, betas or {}
        for name in list(learning_rates) + list(betas):
            if name not in optimizers:
                raise NntermError(f'optimizer "{name}" is not in this race ({", ".join(optimizers)})')
        start = surface.start if start is None else start
        if not all(math.isfinite(v) for v in start):
            raise NntermError(f"start point {start}: both coordinates must be finite numbers")
        if not math.isfinite(loss_at(surface, *start)):
            raise NntermError(f"start point ({start[0]:g}, {start[1]:g}): the loss there is not a finite number; "
                              f"start inside the view, x {surface.extent[0]:g} … {surface.extent[1]:g}, "
                              f"y {surface.extent[2]:g} … {surface.extent[3]:g}")
        self.racers = [Racer(name, learning_rates.get(name, surface.learning_rates[name]), betas.get(name),
                             start, surface) for name in optimizers]
        self.steps = 0

    def racer(self, name: str) -> Racer:
        for r in self.racers:
            if r.name == name:
                return r
        raise NntermError(f'optimizer "{name}" is not in this race ({", ".join(r.name for r in self.racers)})')

    def step(self, n: int = 1) -> None:
        """Every racer takes n steps, in lock-step."""
        for _ in range(n):
            for r in self.racers:
                r.step()
            self.steps += 1

    def reset(self) -> None:
        for r in self.racers:
            r.reset()
        self.steps = 0

    def results(self) -> list[RacerResult]:
        return [RacerResult(r.name, r.lr, r.beta_name, r.beta if r.beta_name else None, r.t, r.reached_at,
                            r.loss, r.position[0], r.position[1], r.diverged) for r in self.racers]
