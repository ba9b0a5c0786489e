"""One optimizer step, for a weight of a network or a racer's coordinate: the penalty, clipping and
weight decay the gradient went through, then the rule (nnterm/teach/rules.py) with its state.

Every value of g shown is a kernel's: the traced step keeps the gradient after each stage
(trace.LayerTrace penalised, clipped, decayed), and Δ is the step the kernel applied."""
from dataclasses import dataclass

import numpy as np

from nnterm.engine.trainer import hyper_parameters
from nnterm.kernels import codes
from nnterm.kernels.codes import CLIP_EPSILON
from nnterm.runtime.language import _
from nnterm.runtime.numbers import num
from nnterm.teach.rules import RULES, rule_name
from nnterm.teach.trace import StepTrace

from .layout import Explanation, arg, line, n, noted, plain, titled
from .units import weight_name, weight_where


@dataclass(frozen=True)
class StepInputs:
    """What one coordinate's update is made of: the rule (a key of rules.RULES), its settings, the
    gradient at each stage the kernels passed it through, the state after the step, and the kernel's Δ."""
    rule: str                   # "sgd", "momentum", "nesterov", "rmsprop", "adagrad", "adam" or "adamw"
    name: str                   # "w₁₂", "x"
    gradient: float             # ∂L/∂θ as backprop (or the surface) gives it
    value: float                # θ before the step
    change: float               # Δθ the kernel applied
    state: tuple                # the rule's state after the step, in the order of RULES[rule].state
    hp: np.ndarray              # the kernels' hyper-parameter vector (kernels/codes.py HP_*)
    t: int                      # the step number (Adam's bias correction)
    penalised: float | None = None   # g after the L1/L2 kernel (a weight under a penalty), else None
    clipped: float | None = None     # g after the clipping kernel, when it clipped
    decayed: float | None = None     # g + λ·θ as the rule's kernel steps on it, when λ is on
    grad_norm: float = 0.0      # ‖g‖ before clipping (for clip_norm)


def gradient_lines(s: StepInputs) -> tuple[list, list, list, float]:
    """The penalty's, clipping's and weight decay's lines: (formula, filled, terms, g the rule steps on)."""
    hp, w, nm = s.hp, s.value, s.name
    l1, l2, clip, wd = hp[codes.HP_L1], hp[codes.HP_L2], hp[codes.HP_CLIP], hp[codes.HP_WEIGHT_DECAY]
    formula, filled, terms = [], [], []
    g = float(s.gradient)
    if s.penalised is not None:
        formula.append(noted(f"g = ∂L/∂{nm} + l1·sign({nm}) + l2·{nm}", _("the penalty's gradient")))
        filled.append(line("g", f"{n(g)} + {n(l1)}·sign({arg(w)}) + {n(l2)}·{n(w)}", s.penalised))
        g = s.penalised
        terms += [t for t, rate in (("L1", l1), ("L2", l2)) if rate]
    else:
        formula.append(f"g = ∂L/∂{nm} = {num(g)}")
    if s.clipped is not None:
        formula.append(noted(f"g ← g · c / (‖g‖ + {plain(CLIP_EPSILON)})",
                             _("clipped: the whole gradient was longer than c")))
        filled.append(line("g", f"{n(g)}·{n(clip)}/({n(s.grad_norm)} + {plain(CLIP_EPSILON)})", s.clipped))
        g = s.clipped
        terms.append("gradient clipping")
    if s.decayed is not None:
        formula.append(noted(f"g ← g + λ·{nm}", _("weight decay")))
        filled.append(line("g", f"{n(g)} + {n(wd)}·{n(w)}", s.decayed))
        g = s.decayed
        terms.append("weight decay")
    return formula, filled, terms, g


def step_lines(s: StepInputs) -> tuple[tuple, tuple, tuple]:
    """(formula lines, filled lines, terms) of Δθ under s.rule, penalty, clipping and decay first."""
    hp, w = s.hp, s.value
    lr, mu, eps, wd = hp[codes.HP_LR], hp[codes.HP_MOMENTUM], hp[codes.HP_EPS], hp[codes.HP_WEIGHT_DECAY]
    formula, filled, terms, g = gradient_lines(s)
    terms = ["optimizer", "learning rate", "gradient", *terms]
    rule = RULES[s.rule]
    st = dict(zip(rule.state, s.state))
    if rule.keeps:
        formula.append(noted(rule.keeps, _("after this step")))
    formula.append(rule.update(s.name))
    delta_name = f"Δ{s.name}"
    if s.rule == "momentum":
        filled.append(line(delta_name, f"−{n(lr)}·{n(st['b'])}", s.change))
        terms += ["momentum", "velocity"]
    elif s.rule == "nesterov":
        filled.append(line(delta_name, f"−{n(lr)}·({n(g)} + {n(mu)}·{n(st['b'])})", s.change))
        terms += ["nesterov", "momentum", "velocity"]
    elif s.rule == "sgd":
        filled.append(line(delta_name, f"−{n(lr)}·{n(g)}", s.change))
        terms.append("sgd")
    elif s.rule in ("rmsprop", "adagrad"):
        (sym,) = rule.state
        filled.append(line(delta_name, f"−{n(lr)}·{n(g)}/(√({arg(st[sym])}) + {n(eps)})", s.change))
        terms.append(s.rule)
    else:
        b1, b2 = hp[codes.HP_BETA1], hp[codes.HP_BETA2]
        adam = f"({n(lr)}/(1 − {n(b1)}^{s.t}))·{n(st['m'])}/(√({arg(st['v'])})/√(1 − {n(b2)}^{s.t}) + {n(eps)})"
        if s.rule == "adamw":
            filled.append(line(delta_name, f"−{n(lr)}·{n(wd)}·{n(w)} − {adam}", s.change))
            terms.append("weight decay")
        else:
            filled.append(line(delta_name, f"−{adam}", s.change))
        terms += [s.rule, "m and v"]
    return tuple(formula), tuple(filled), tuple(terms)


def update(trace: StepTrace, layer: int, source: int, target: int, preset, trainable: bool = True) -> Explanation:
    """Δw of one weight in the traced step: the optimizer's rule with its state, L1/L2 and clipping.
    `preset` is the one the trace was run with; `trainable` whether the layer trains (not frozen)."""
    trace.check_weight(layer, source, target)
    lt = trace.layers[layer]
    name = weight_name(layer, source, target)
    bias = source < 0
    at = (1, target) if bias else (0, (source, target))
    change = float(lt.update_bias[target] if bias else lt.update_weight[source, target])
    value = float(lt.bias[target] if bias else lt.weight[source, target])
    title = titled(_("{symbol}, {weight}, optimizer step {step}"), f"Δ{name}",
                   weight=weight_where(trace, layer, source, target), step=trace.step)
    if not trainable:
        return Explanation(formula=(noted(f"Δ{name} = 0", _("a frozen layer")),), filled=(), result=0.0,
                           words=_("The layer is frozen: the optimizer skips its weights and its state."),
                           terms=("frozen layer",), **title)
    hp = hyper_parameters(preset, trace.learning_rate)
    wd = hp[codes.HP_WEIGHT_DECAY]
    rule = rule_name(trace.optimizer, hp[codes.HP_MOMENTUM], bool(hp[codes.HP_NESTEROV]), wd)
    stage = lambda stages: float(stages[at[0]][at[1]])
    state = tuple(float(b[target] if bias else w[source, target]) for w, b in lt.state.values())
    penalised = stage(lt.penalised) if not bias and (trace.l1 or trace.l2) else None
    clipped = stage(lt.clipped) if trace.was_clipped else None
    decayed = stage(lt.decayed) if wd and trace.optimizer != "adamw" else None
    formula, filled, terms = step_lines(StepInputs(
        rule, name, float(lt.grad_bias[target] if bias else lt.grad_weight[source, target]), value, change,
        state, hp, trace.step, penalised, clipped, decayed, trace.grad_norm))
    return Explanation(
        formula=formula, filled=filled + (line(name, f"{n(value)} + {n(change)}", value + change),), result=change,
        words=_("{optimizer} turns the gradient into a step of {step}; the weight goes from {before} to {after}.").format(
            optimizer=trace.optimizer, step=num(change), before=num(value), after=num(value + change)),
        terms=terms, **title)
