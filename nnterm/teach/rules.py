"""Every optimizer's update rule, written once in one notation (no textual): the table the descent
race shows, the explanations fill in and the glossary defines by.

The notation is torch.optim's, as kernels/optimizers.py applies it: g is the gradient the rule
steps on, lr the learning rate, b momentum's velocity, v RMSprop's running mean of g², s
Adagrad's sum of g², m and v Adam's running means. `state` names the rows of the kernel's (2, P)
state in order, so a state row is read by its symbol here and nowhere else.
"""
from dataclasses import dataclass

# The descent race's racers, in the order it lists them (here, not in descent.py, so a lesson file
# can be checked against the list without loading the kernels).
OPTIMIZER_NAMES = ("gd", "momentum", "nesterov", "rmsprop", "adagrad", "adam")


@dataclass(frozen=True)
class Rule:
    state: tuple               # the symbols of the state rows the kernel keeps, row 0 first
    keeps: str                 # how that state moves on a step ("" when there is none)
    step: str                  # Δθ, with {w} for the parameter's name

    def update(self, name: str = "w") -> str:
        return self.step.format(w=name)

    def text(self, name: str = "w") -> str:
        """The whole rule on one line: the state first, then the step."""
        return f"{self.keeps};  {self.update(name)}" if self.keeps else self.update(name)


ADAM_STATE = "m = β1·m + (1 − β1)·g,  v = β2·v + (1 − β2)·g²"
ADAM_STEP = "(lr/(1 − β1^t))·m / (√v/√(1 − β2^t) + ε)"
RULES = {
    "sgd": Rule((), "", "Δ{w} = −lr·g"),
    "momentum": Rule(("b",), "b = μ·b + g", "Δ{w} = −lr·b"),
    "nesterov": Rule(("b",), "b = μ·b + g", "Δ{w} = −lr·(g + μ·b)"),
    "rmsprop": Rule(("v",), "v = α·v + (1 − α)·g²", "Δ{w} = −lr·g / (√v + ε)"),
    "adagrad": Rule(("s",), "s = s + g²", "Δ{w} = −lr·g / (√s + ε)"),
    "adam": Rule(("m", "v"), ADAM_STATE, "Δ{w} = −" + ADAM_STEP),
    "adamw": Rule(("m", "v"), ADAM_STATE, "Δ{w} = −lr·λ·{w} − " + ADAM_STEP),   # the decay on the weight itself
}


def rule_name(optimizer: str, momentum: float = 0.0, nesterov: bool = False, weight_decay: float = 0.0) -> str:
    """The rule an optimizer's settings run: gd, sgd and momentum share sgd_step, which keeps a
    velocity only when μ ≠ 0; adamw without decay is adam."""
    if optimizer in ("gd", "sgd", "momentum", "nesterov"):
        return "sgd" if momentum == 0 else ("nesterov" if nesterov else "momentum")
    if optimizer == "adamw" and not weight_decay:
        return "adam"
    return optimizer
