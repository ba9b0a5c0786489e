"""Any number on a screen, explained: its formula, the same formula with the real operands filled
in term by term, the result, a sentence in words, and the terms it uses (no textual).

The numbers come from the engine and its kernels — `trace_step` for z, a, δ, ∂L/∂w and Δw, the
trainer's reports for the loss, `kernels.regularizers.weight_penalty` for the L1/L2 term, the
metrics module for accuracy, `Network` for parameter counts — and a builder here only lays them
out. Every filled-in line reads "name = arithmetic = result" in plain arithmetic (· × / + − ²
^ √ ln e^ σ tanh max min abs), so the operands as shown reproduce the result as shown; the tests
re-read each line to check that. Where an intermediate is shown (the gradient after its penalty
term, say), it is the arithmetic of the line it is on, and the line after it ends in the
kernel's own result: a wrong layout cannot hide.

Builders:
    weighted_sum, activation, delta, gradient, update     a unit or weight, from a StepTrace
    batch_loss (a StepTrace), reported_loss (an EpochReport's loss or val_loss)
    accuracy, classification_scores, parameters, network_parameters, epochs_per_second
    neuron_sum, neuron_output (the neuron lab), racer_step (the descent race)
"""
from dataclasses import dataclass

import numpy as np

from nnterm.engine.evaluation import per_class_scores, regression_metrics
from nnterm.engine.metrics import accuracy as accuracy_of, predicted_classes
from nnterm.engine.trainer import hyper_parameters
from nnterm.kernels import codes
from nnterm.kernels.regularizers import weight_penalty
from nnterm.presets.kinds import LOSS_FORMULAS
from nnterm.runtime.numbers import num
from nnterm.teach.trace import StepTrace, activation_slope, sub

MAX_TERMS = 72      # a sum with more terms, or longer than MAX_CHARS, is shown by its first ones and "…"
MAX_CHARS = 1600    # about 22 lines of an 80-column screen: a digit's 64 pixels still fit
SHOWN_WHEN_LONG = 6


@dataclass(frozen=True)
class Explanation:
    title: str                  # what the number is: "z of layer 2 unit 1, sample 3"
    formula: tuple              # the formula in symbols, a line each
    filled: tuple               # the same with the real operands: "name = arithmetic = result", a line each
    result: float
    words: str                  # one or two sentences
    terms: tuple = ()           # glossary terms it uses (nnterm/teach/glossary.py)

    def text(self) -> str:
        """Plain text, for a terminal or a test's eye."""
        return "\n".join([self.title, *self.formula, *self.filled, self.words])


def combined(first: Explanation, *more: Explanation) -> Explanation:
    """Several explanations of one thing as one (a unit's z then its a): the last one's result."""
    parts = (first, *more)

    def symbol_end(title: str) -> int:         # "z₂ of layer 1 unit 2, …" and "Δw₁₁, the weight …": the symbol
        return min(i for i in (title.find(","), title.find(" of "), len(title)) if i >= 0)

    symbols = " and ".join(p.title[:symbol_end(p.title)] for p in parts)
    return Explanation(symbols + first.title[symbol_end(first.title):],
                       tuple(f for p in parts for f in p.formula), tuple(f for p in parts for f in p.filled),
                       parts[-1].result, " ".join(p.words for p in parts),
                       tuple(dict.fromkeys(t for p in parts for t in p.terms)))


# --- laying out numbers --------------------------------------------------------------------
def n(value: float) -> str:
    """An operand: 4 significant digits, in brackets when negative so a sum reads unambiguously."""
    text = num(float(value))
    return f"({text})" if text.startswith("−") else text


def arg(value: float) -> str:
    """An operand inside a function's own brackets: σ(−0.5), not σ((−0.5))."""
    return num(float(value))


def total(parts: list[str]) -> str:
    """A sum of shown parts; a long one shows its first few and says how many there are."""
    text = " + ".join(parts) if parts else "0"
    if len(parts) <= MAX_TERMS and len(text) <= MAX_CHARS:
        return text
    shown = SHOWN_WHEN_LONG
    while shown > 1 and len(" + ".join(parts[:shown])) > MAX_CHARS // 2:
        shown -= 1
    return " + ".join(parts[:shown]) + f" + … ({len(parts)} terms)"


def line(name: str, arithmetic: str, result: float) -> str:
    return f"{name} = {arithmetic} = {num(float(result))}"


# --- a = f(z), written out per activation ---------------------------------------------------
ACTIVATION_FORMULAS = {
    "linear": "a = z", "sigmoid": "a = σ(z) = 1/(1 + e^(−z))", "tanh": "a = tanh(z)", "relu": "a = max(0, z)",
    "leaky_relu": f"a = max({codes.LEAKY_SLOPE}·z, z)", "elu": f"a = z if z > 0, else {codes.ELU_ALPHA}·(e^z − 1)",
    "softplus": "a = ln(1 + e^z)", "swish": "a = z·σ(z)", "softmax": "a_k = e^(z_k) / Σ_j e^(z_j)",
}


def applied(activation: str, z: float, zs=None, k: int = 0) -> str:
    """f(z) as arithmetic on the number z (softmax: on its whole layer's zs)."""
    t, inner = n(z), arg(z)
    if activation == "linear":
        return inner
    if activation == "sigmoid":
        return f"σ({inner})"
    if activation == "tanh":
        return f"tanh({inner})"
    if activation == "relu":
        return f"max(0, {inner})"
    if activation == "leaky_relu":
        return f"max({codes.LEAKY_SLOPE}·{t}, {inner})"
    if activation == "elu":
        return inner if z > 0 else f"{num(codes.ELU_ALPHA)}·(e^({inner}) − 1)"
    if activation == "softplus":
        return f"ln(1 + e^({inner}))"
    if activation == "swish":
        return f"{t}·σ({inner})"
    if activation == "softmax":
        return f"e^({arg(zs[k])}) / [{total([f'e^({arg(v)})' for v in zs])}]"
    raise ValueError(activation)


# --- units and weights of a traced step ---------------------------------------------------------
def where(trace: StepTrace, layer: int, unit: int) -> str:
    kind = "output unit" if layer == len(trace.layers) - 1 else f"layer {layer + 1} unit"
    return f"{kind} {unit + 1}"


def sample_name(trace: StepTrace, focus: int) -> str:
    return f"sample {int(trace.rows[focus])} of the training split"


def input_symbol(layer: int, source: int) -> str:
    return ("x" if layer == 0 else "a") + sub(source + 1)


def weighted_sum(trace: StepTrace, layer: int, unit: int, focus: int = 0) -> Explanation:
    """z = Σ w·a + b of one unit for one sample of the traced batch."""
    trace.check_weight(layer, -1, unit)
    lt = trace.layers[layer]
    k = sub(unit + 1)
    parts = [f"{n(lt.weight[j, unit])}·{n(lt.inputs[focus, j])}" for j in range(lt.fan_in)] + [n(lt.bias[unit])]
    inputs = "the inputs (standardised)" if layer == 0 else f"layer {layer}'s outputs"
    return Explanation(
        f"z{k} of {where(trace, layer, unit)}, {sample_name(trace, focus)}",
        (f"z{k} = Σ_j w_j{k}·a_j + b{k}  (each input times its weight, plus the bias)",),
        (line(f"z{k}", total(parts), lt.z[focus, unit]),),
        float(lt.z[focus, unit]),
        f"The unit reads {lt.fan_in} numbers — {inputs} — multiplies each by the weight of its link, "
        f"adds them up and adds its bias.",
        ("weighted sum", "weight", "bias", "standardised" if layer == 0 else "activation"))


def activation(trace: StepTrace, layer: int, unit: int, focus: int = 0) -> Explanation:
    """a = f(z) of one unit for one sample of the traced batch."""
    trace.check_weight(layer, -1, unit)
    lt = trace.layers[layer]
    k = sub(unit + 1)
    z, a = float(lt.z[focus, unit]), float(lt.a[focus, unit])
    text = applied(lt.activation, z, lt.z[focus], unit)
    state = ""
    if lt.dead[unit]:
        state = " This ReLU is dead on the batch: z ≤ 0 for every sample, so it passes no gradient."
    elif lt.saturated[unit]:
        state = " It is saturated on the batch: f′(z) is nearly 0, so little gradient passes back."
    return Explanation(
        f"a{k} of {where(trace, layer, unit)}, {sample_name(trace, focus)}",
        (ACTIVATION_FORMULAS[lt.activation].replace("z", f"z{k}") if lt.activation != "softmax"
         else ACTIVATION_FORMULAS["softmax"],),
        (line(f"a{k}", text, a),),
        a,
        f"The unit's output is its weighted sum z{k} = {num(z)} put through {lt.activation}." + state,
        ("activation", lt.activation, *(("dead unit",) if lt.dead[unit] else ()),
         *(("saturated unit",) if lt.saturated[unit] else ())))


def loss_name(trace: StepTrace) -> str:
    """The loss the kernel ran ("auto" resolved, as Preset.loss resolves it)."""
    return codes.LOSSES[trace.loss_code]


def mean_size(loss: str, rows: int, cols: int) -> int:
    """The N of a loss's 1/N: every element, but cce averages over the samples (kernels/losses.py)."""
    return rows if loss == "cce" else rows * cols


def delta(trace: StepTrace, layer: int, unit: int, focus: int = 0) -> Explanation:
    """δ = ∂L/∂z of one unit for one sample: from the loss at the output, from the layer above otherwise."""
    trace.check_weight(layer, -1, unit)
    lt = trace.layers[layer]
    k = sub(unit + 1)
    d = float(lt.delta[focus, unit])
    title = f"δ{k} of {where(trace, layer, unit)}, {sample_name(trace, focus)}"
    terms = ("δ", "f′(z)", "chain rule")
    if layer < len(trace.layers) - 1:
        nxt = trace.layers[layer + 1]
        slope = float(activation_slope(lt.activation, lt.z[focus:focus + 1], lt.a[focus:focus + 1])[0, unit])
        back = [f"{n(nxt.weight[unit, m])}·{n(nxt.delta[focus, m])}" for m in range(nxt.units)]
        return Explanation(
            title, (f"δ{k} = f′(z{k}) · Σ_m w{k}m·δ_m  (the blame of the units it feeds, back through their weights)",),
            (line(f"δ{k}", f"{n(slope)}·[{total(back)}]", d),), d,
            f"Layer {layer + 2}'s units pass their δ back along the weights from this unit; its own slope "
            f"{lt.activation}′(z{k}) = {num(slope)} decides how much of that gets through.", terms)
    rows, cols = lt.z.shape
    big_n = mean_size(loss_name(trace), rows, cols)
    a, y = float(lt.a[focus, unit]), float(trace.y[focus, unit])
    loss, act = loss_name(trace), lt.activation
    fused = (loss, act) in (("bce", "sigmoid"), ("cce", "softmax"))
    if fused:
        formula = f"δ{k} = (a{k} − y{k}) / N  ({act} with {loss}: the slopes cancel to this)"
        filled = (line(f"δ{k}", f"({n(a)} − {n(y)})/{big_n}", d),)
    elif act == "softmax":
        formula, filled = f"δ{k} = Σ_j ∂L/∂a_j · ∂a_j/∂z{k}  (softmax couples the units)", ()
    else:
        slope = n(activation_slope(act, lt.z[focus:focus + 1], lt.a[focus:focus + 1])[0, unit])
        dloss = {"mse": ("2·(a − y)", f"2·({n(a)} − {n(y)})"),
                 "mae": ("sign(a − y)", n(float(np.sign(a - y)))),
                 "huber": ("clip(a − y, −1, 1)", f"min(max({n(a)} − {n(y)}, −1), 1)"),
                 "bce": ("(a − y)/(a(1 − a))", f"({n(a)} − {n(y)})/({n(a)}·(1 − {n(a)}))"),
                 "cce": ("−y/a", f"(−{n(y)})/{n(a)}")}[loss]
        formula = f"δ{k} = f′(z{k}) · ∂ℓ/∂a{k} / N = f′(z{k}) · {dloss[0]} / N"
        filled = (line(f"δ{k}", f"{slope}·{dloss[1]}/{big_n}", d),)
    return Explanation(
        title, (formula,), filled, d,
        f"At the output the blame comes straight from the {loss} loss: the network said {num(a)}, the answer "
        f"is {num(y)}; N = {big_n} because the loss is a mean.", (*terms, loss))


def weight_name(layer: int, source: int, target: int) -> str:
    return f"b{sub(target + 1)}" if source < 0 else f"w{sub(source + 1, target + 1)}"


def weight_where(trace: StepTrace, layer: int, source: int, target: int) -> str:
    if source < 0:
        return f"the bias of {where(trace, layer, target)}"
    return f"the weight from {trace.source_label(layer, source)} to {where(trace, layer, target)}"


def gradient(trace: StepTrace, layer: int, source: int, target: int) -> Explanation:
    """∂L/∂w = Σ over the batch of δ·a (the bias: Σ δ), with the chain rule's story in words."""
    trace.check_weight(layer, source, target)
    lt = trace.layers[layer]
    name = weight_name(layer, source, target)
    rows = len(trace.rows)
    if source < 0:
        parts, sym = [n(v) for v in lt.delta[:, target]], f"∂L/∂{name} = Σ_samples δ{sub(target + 1)}"
        g = float(lt.grad_bias[target])
    else:
        parts = [f"{n(d)}·{n(a)}" for d, a in zip(lt.delta[:, target], lt.inputs[:, source])]
        sym = f"∂L/∂{name} = Σ_samples δ{sub(target + 1)}·{input_symbol(layer, source)}"
        g = float(lt.grad_weight[source, target])
    story = trace.chain_rule(layer, source, target)
    backward = [text for phase, text in story.lines if phase == "backward"]
    return Explanation(
        f"∂L/∂{name}, {weight_where(trace, layer, source, target)}, over a minibatch of {rows}",
        (sym + "  (the chain rule: ∂L/∂z · ∂z/∂w)",),
        (line(f"∂L/∂{name}", total(parts), g),), g,
        f"Each sample adds its δ times what flowed through the weight; the 1/N of the loss is already in δ. "
        + (backward[-1] if backward else ""),
        ("gradient", "chain rule", "δ", "minibatch"))


# --- one optimizer step, for a weight of a network or a racer's coordinate -------------------------
@dataclass(frozen=True)
class StepInputs:
    """What one coordinate's update is made of: the rule, its settings, the gradient and the state
    after the step (momentum's b, RMSprop's v, Adagrad's s, Adam's m and v), and the kernel's Δ."""
    rule: str                   # "sgd", "rmsprop", "adagrad", "adam" or "adamw"
    name: str                   # "w₁₂", "x"
    gradient: float             # ∂L/∂θ as backprop (or the surface) gives it
    value: float                # θ before the step
    change: float               # Δθ the kernel applied
    state: dict                 # name → value after the step
    hp: np.ndarray              # the kernels' hyper-parameter vector (kernels/codes.py HP_*)
    t: int                      # the step number (Adam's bias correction)
    penalised: bool = False     # a weight (not a bias) under L1/L2
    grad_norm: float = 0.0      # ‖g‖ before clipping (for clip_norm)


def step_lines(s: StepInputs) -> tuple[tuple, tuple, tuple]:
    """(formula lines, filled lines, terms) of Δθ under s.rule, penalty and clipping first."""
    hp, w, nm = s.hp, s.value, s.name
    lr, mu, eps, wd = hp[codes.HP_LR], hp[codes.HP_MOMENTUM], hp[codes.HP_EPS], hp[codes.HP_WEIGHT_DECAY]
    l1, l2, clip = hp[codes.HP_L1], hp[codes.HP_L2], hp[codes.HP_CLIP]
    formula, filled, terms = [], [], ["optimizer", "learning rate", "gradient"]
    g = float(s.gradient)
    if s.penalised and (l1 or l2):
        sign = 1.0 if w > 0 else (-1.0 if w < 0 else 0.0)
        new = g + l1 * sign + l2 * w
        formula.append(f"g = ∂L/∂{nm} + l1·sign({nm}) + l2·{nm}  (the penalty's gradient)")
        filled.append(line("g", f"{n(g)} + {n(l1)}·{n(sign)} + {n(l2)}·{n(w)}", new))
        g = new
        terms += [t for t, rate in (("L1", l1), ("L2", l2)) if rate]
    else:
        formula.append(f"g = ∂L/∂{nm} = {num(g)}")
    if clip > 0 and clip / (s.grad_norm + 1e-6) < 1.0:
        new = g * clip / (s.grad_norm + 1e-6)
        formula.append("g ← g · c / (‖g‖ + 10⁻⁶)  (clipped: the whole gradient was longer than c)")
        filled.append(line("g", f"{n(g)}·{n(clip)}/({n(s.grad_norm)} + 0.000001)", new))
        g = new
        terms.append("gradient clipping")
    if wd and s.rule != "adamw":
        new = g + wd * w
        formula.append(f"g ← g + λ·{nm}  (weight decay)")
        filled.append(line("g", f"{n(g)} + {n(wd)}·{n(w)}", new))
        g = new
        terms.append("weight decay")
    st, delta_name = s.state, f"Δ{nm}"
    if s.rule == "sgd" and mu != 0 and "velocity" in st:      # μ = 0: sgd_step keeps no velocity
        b = st["velocity"]
        if hp[codes.HP_NESTEROV]:
            formula += ["b = μ·b + g  (the velocity, after this step)", f"{delta_name} = −lr·(g + μ·b)"]
            filled.append(line(delta_name, f"−{n(lr)}·({n(g)} + {n(mu)}·{n(b)})", s.change))
            terms.append("nesterov")
        else:
            formula += ["b = μ·b + g  (the velocity, after this step)", f"{delta_name} = −lr·b"]
            filled.append(line(delta_name, f"−{n(lr)}·{n(b)}", s.change))
        terms += ["momentum", "velocity"]
    elif s.rule == "sgd":
        formula.append(f"{delta_name} = −lr·g")
        filled.append(line(delta_name, f"−{n(lr)}·{n(g)}", s.change))
        terms.append("sgd")
    elif s.rule in ("rmsprop", "adagrad"):
        key, sym = ("square_avg", "v") if s.rule == "rmsprop" else ("sum", "s")
        grow = "v = α·v + (1 − α)·g²" if s.rule == "rmsprop" else "s = s + g²"
        formula += [f"{grow}  (after this step)", f"{delta_name} = −lr·g / (√{sym} + ε)"]
        filled.append(line(delta_name, f"−{n(lr)}·{n(g)}/(√({arg(st[key])}) + {n(eps)})", s.change))
        terms.append(s.rule)
    else:
        b1, b2 = hp[codes.HP_BETA1], hp[codes.HP_BETA2]
        adam = f"({n(lr)}/(1 − {n(b1)}^{s.t}))·{n(st['m'])}/(√({arg(st['v'])})/√(1 − {n(b2)}^{s.t}) + {n(eps)})"
        formula += ["m = β1·m + (1 − β1)·g,  v = β2·v + (1 − β2)·g²  (after this step)",
                    f"{delta_name} = −(lr/(1 − β1^t))·m / (√v/√(1 − β2^t) + ε)"]
        if s.rule == "adamw" and wd:
            formula[-1] = f"{delta_name} = −lr·λ·{nm} − (lr/(1 − β1^t))·m / (√v/√(1 − β2^t) + ε)"
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
    change = float(lt.update_bias[target] if bias else lt.update_weight[source, target])
    value = float(lt.bias[target] if bias else lt.weight[source, target])
    title = f"Δ{name}, {weight_where(trace, layer, source, target)}, optimizer step {trace.step}"
    if not trainable:
        return Explanation(title, (f"Δ{name} = 0  (a frozen layer)",), (), 0.0,
                           "The layer is frozen: the optimizer skips its weights and its state.", ("frozen layer",))
    hp = hyper_parameters(preset, trace.learning_rate)
    rule = "sgd" if trace.optimizer in ("gd", "sgd", "momentum") else trace.optimizer
    state = {key: float(b[target] if bias else w[source, target]) for key, (w, b) in lt.state.items()}
    formula, filled, terms = step_lines(StepInputs(
        rule, name, float(lt.grad_bias[target] if bias else lt.grad_weight[source, target]), value, change,
        state, hp, trace.step, penalised=not bias, grad_norm=trace.grad_norm))
    return Explanation(
        title, formula, filled + (line(name, f"{n(value)} + {n(change)}", value + change),), change,
        f"{trace.optimizer} turns the gradient into a step of {num(change)}; the weight goes from "
        f"{num(value)} to {num(value + change)}.", terms)


# --- the loss -------------------------------------------------------------------------------


def element_loss(loss: str, act: str, z, a, y, j: int) -> str:
    """One sample's output j's share of the loss, as arithmetic (cce: the sample's whole row)."""
    if loss == "mse":
        return f"({n(a[j])} − {n(y[j])})²"
    if loss == "mae":
        return f"abs({n(a[j])} − {n(y[j])})"
    if loss == "huber":
        d = float(a[j] - y[j])
        return f"0.5·({n(a[j])} − {n(y[j])})²" if abs(d) <= codes.HUBER_DELTA else f"(abs({n(a[j])} − {n(y[j])}) − 0.5)"
    if loss == "bce" and act == "sigmoid":          # as the kernel computes it: from z, never rounding a to 1
        up, down = f"ln(1 + e^(−{n(z[j])}))", f"ln(1 + e^({arg(z[j])}))"
        return up if y[j] == 1 else down if y[j] == 0 else f"[{n(y[j])}·{up} + (1 − {n(y[j])})·{down}]"
    if loss == "bce":
        return f"−ln({arg(a[j])})" if y[j] == 1 else f"−ln(1 − {n(a[j])})" if y[j] == 0 else \
            f"−[{n(y[j])}·ln({arg(a[j])}) + (1 − {n(y[j])})·ln(1 − {n(a[j])})]"
    k = int(np.argmax(y))
    if act == "softmax":                            # −ln softmax(z)_k = ln Σ e^z − z_k
        return f"[ln({' + '.join(f'e^({arg(v)})' for v in z)}) − {n(z[k])}]"
    return f"−ln({arg(a[k])})"


def penalty_lines(network_sizes, offsets, params, l1: float, l2: float) -> tuple[tuple, tuple, float]:
    """The L1/L2 term, by the kernel that reports it: Σ|w| and Σw² are its own sums at unit rates."""
    if not (l1 or l2):
        return (), (), 0.0
    symbols, parts = [], []
    if l1:
        symbols.append("l1·Σ|w|")
        parts.append(f"{n(l1)}·{n(weight_penalty(network_sizes, offsets, params, 1.0, 0.0))}")
    if l2:
        symbols.append("(l2/2)·Σw²")
        parts.append(f"({n(l2)}/2)·{n(weight_penalty(network_sizes, offsets, params, 0.0, 2.0))}")
    value = float(weight_penalty(network_sizes, offsets, params, l1, l2))
    return ((f"penalty = {' + '.join(symbols)}  (weights only, not biases)",),
            (line("penalty", " + ".join(parts), value),), value)


def batch_loss(trace: StepTrace, l1: float = 0.0, l2: float = 0.0) -> Explanation:
    """The traced minibatch's loss with its 1/N, each sample's term, and the L1/L2 penalty."""
    out = trace.layers[-1]
    rows, cols = out.z.shape
    loss, act = loss_name(trace), out.activation
    per_row = 1 if loss == "cce" else cols
    parts = [element_loss(loss, act, out.z[i], out.a[i], trace.y[i], j) for i in range(rows) for j in range(per_row)]
    big_n = mean_size(loss, rows, cols)
    filled = [line("L", f"(1/{big_n})·[{total(parts)}]", trace.loss)]
    p_formula, p_filled, penalty = penalty_lines(trace.sizes, trace.offsets, trace.params, l1, l2)
    formula = ("L = " + LOSS_FORMULAS[loss] + f"  (N = {big_n}: " + ("samples)" if loss == "cce" else
                                                        f"{rows} samples × {cols} output{'s' if cols > 1 else ''})"),)
    if p_filled:
        formula += p_formula + ("objective = L + penalty  (what the optimizer's gradient is of)",)
        filled += [*p_filled, line("objective", f"{n(trace.loss)} + {n(penalty)}", trace.loss + penalty)]
    return Explanation(
        f"{loss} loss of the minibatch ({rows} samples), before the step",
        formula, tuple(filled), trace.loss,
        "The loss is a mean over the minibatch, so it does not grow with the batch size"
        + ("; the penalty is added for the gradient, and the loss the screens report leaves it out." if p_filled else "."),
        ("loss", loss, "minibatch", *(("penalty",) if p_filled else ())))


def reported_loss(name: str, value: float, loss: str, rows: int, network, l1: float = 0.0, l2: float = 0.0) -> Explanation:
    """An EpochReport's `loss` (the epoch's minibatches, as training went) or `val_loss`/`test_loss`
    (the split after the epoch): the mean, and the L1/L2 term the optimizer also saw."""
    split = {"loss": "training", "val_loss": "validation", "test_loss": "test"}[name]
    p_formula, p_filled, penalty = penalty_lines(network.sizes, network.offsets, network.params, l1, l2)
    how = ("the mean of the epoch's minibatch losses, weighted by their rows, measured as training went"
           if name == "loss" else f"measured on the {rows} samples of the {split} split after the epoch")
    filled = p_filled + ((line("objective", f"{n(value)} + {n(penalty)}", value + penalty),) if p_filled else ())
    outputs = network.n_outputs
    count = f"N = {rows} samples" + (f" × {outputs} output{'s' if outputs > 1 else ''}" if loss != "cce" else "")
    return Explanation(
        f"{name}, the {loss} loss on the {split} split", (f"L = {LOSS_FORMULAS[loss]}  ({count})",) + p_formula, filled, value,
        f"{name} = {num(value)} is {how}; it leaves the penalty out (shown here for the weights as they are now)."
        if p_filled else f"{name} = {num(value)} is {how}.",
        ("loss", loss, f"{split} split" if split != "test" else "test split", "epoch",
         *(("val_", "validation vs test") if name != "loss" else ("minibatch",)), *(("penalty",) if p_filled else ())))


# --- metrics and counts ------------------------------------------------------------------------
def accuracy(outputs: np.ndarray, targets: np.ndarray, split: str) -> Explanation:
    """right / total on a split, with the metric the reports use."""
    right = int((predicted_classes(outputs) == predicted_classes(targets)).sum())
    count = int(outputs.shape[0])
    value = accuracy_of(outputs, targets)
    rule = ("class 1 where the sigmoid says ≥ 0.5" if outputs.shape[1] == 1 else "the class whose unit is largest")
    return Explanation(
        f"accuracy on the {split} split", ("accuracy = right / total",),
        (line("accuracy", f"{right}/{count}", value),), value,
        f"{right} of the {count} samples got their true class; the predicted class is {rule}.",
        ("accuracy", f"{split} split" if split in ("training", "validation", "test") else "accuracy"))


def rmse(outputs: np.ndarray, targets: np.ndarray, data, split: str) -> Explanation:
    """rmse = √mse on a split, in the target's own units, from the metrics module."""
    values, truth = data.in_target_units(outputs), data.in_target_units(targets)
    metrics = regression_metrics(values, truth)
    return Explanation(
        f"rmse on the {split} split", ("rmse = √[(1/N)·Σ (ŷ − y)²] = √mse",),
        (line("rmse", f"√({n(metrics['mse'])})", metrics["rmse"]),), metrics["rmse"],
        f"The typical miss over the {values.shape[0]} samples of the {split} split, in the target's units "
        "(the network's outputs scaled back from the standardised targets it learns).",
        ("rmse", "mse", f"{split} split" if split != "training" else "training split"))


def classification_scores(counts: np.ndarray, cls: int, class_name: str = "") -> list[Explanation]:
    """Precision, recall and F1 of class `cls` from a confusion matrix (rows true, columns predicted)."""
    scores = per_class_scores(counts)
    tp = int(counts[cls, cls])
    fp, fn = int(counts[:, cls].sum()) - tp, int(counts[cls, :].sum()) - tp
    p, r, f1 = (float(scores[k][cls]) for k in ("precision", "recall", "f1"))
    label = class_name or f"class {cls}"
    return [
        Explanation(f"precision of {label}", ("precision = TP / (TP + FP)",),
                    (line("precision", f"{tp}/({tp} + {fp})", p),) if tp + fp else (), p,
                    f"Of the {tp + fp} samples predicted as {label}, {tp} are it.", ("precision", "confusion matrix")),
        Explanation(f"recall of {label}", ("recall = TP / (TP + FN)",),
                    (line("recall", f"{tp}/({tp} + {fn})", r),) if tp + fn else (), r,
                    f"Of the {tp + fn} samples that are {label}, {tp} were found.", ("recall", "confusion matrix")),
        Explanation(f"F1 of {label}", ("F1 = 2·P·R / (P + R)",),
                    (line("F1", f"2·{n(p)}·{n(r)}/({n(p)} + {n(r)})", f1),) if p + r else (), f1,
                    "The harmonic mean of precision and recall: high only when both are.", ("F1", "precision", "recall")),
    ]


def parameters(network, layer: int) -> Explanation:
    """A layer's parameter count: fan_in × units weights and units biases."""
    lay = network.layers[layer]
    frozen = "" if lay.trainable else " The layer is frozen: the optimizer does not move them."
    return Explanation(
        f"parameters of layer {layer + 1}", ("parameters = fan_in × units + units  (weights, then biases)",),
        (line("parameters", f"{lay.fan_in} × {lay.units} + {lay.units}", lay.n_params),), float(lay.n_params),
        f"Each of the {lay.units} units has a weight for each of its {lay.fan_in} inputs and one bias." + frozen,
        ("parameter", "fan_in", "weight", "bias", *(("frozen layer",) if not lay.trainable else ())))


def network_parameters(network) -> Explanation:
    per_layer = [f"({lay.fan_in} × {lay.units} + {lay.units})" for lay in network.layers]
    return Explanation(
        "parameters of the network", ("parameters = Σ_layers (fan_in × units + units)",),
        (line("parameters", " + ".join(per_layer), network.n_params),), float(network.n_params),
        f"Every weight and bias of the {len(network.layers)} layers: the numbers training learns.",
        ("parameter", "fan_in", "layer"))


def epochs_per_second(epochs: int, seconds: float) -> Explanation:
    rate = epochs / seconds
    return Explanation(
        "epochs per second", ("epochs/s = epochs trained ÷ seconds they took",),
        (line("epochs/s", f"{epochs}/{n(seconds)}", rate),), rate,
        f"{epochs} epoch{'s' if epochs != 1 else ''} finished in the last {num(seconds)} s measured (the training thread's clock, "
        "between two updates of the screen).", ("epochs/s", "epoch", "backend"))


# --- the neuron lab and the descent race ------------------------------------------------------------
def neuron_sum(neuron) -> Explanation:
    """The lab neuron's z = Σ wᵢ·xᵢ + b, its terms from Neuron.terms()."""
    parts = [f"{n(w)}·{n(x)}" for _, x, w, _ in neuron.terms()] + [n(neuron.bias)]
    names = ", ".join(name for name, *_ in neuron.terms())
    return Explanation(
        "z, the neuron's weighted sum", ("z = Σ wᵢ·xᵢ + b",), (line("z", total(parts), neuron.weighted_sum()),),
        neuron.weighted_sum(), f"Each input ({names}) times its weight, added up, plus the bias {num(neuron.bias)}.",
        ("weighted sum", "weight", "bias"))


def neuron_output(neuron) -> Explanation:
    z, a = neuron.weighted_sum(), neuron.output()
    return Explanation(
        "a, the neuron's output", (ACTIVATION_FORMULAS[neuron.activation],),
        (line("a", applied(neuron.activation, z), a),), a,
        f"The weighted sum z = {num(z)} put through {neuron.activation}.", ("activation", neuron.activation))


RACER_RULES = {"gd": "sgd", "momentum": "sgd", "nesterov": "sgd", "rmsprop": "rmsprop", "adagrad": "adagrad",
               "adam": "adam"}
RACER_STATE = {"gd": (), "momentum": ("velocity",), "nesterov": ("velocity",), "rmsprop": ("square_avg",),
               "adagrad": ("sum",), "adam": ("m", "v")}


def racer_step(racer, axis: int) -> Explanation:
    """A racer's last step along x (axis 0) or y (1): the same rule that trains every network."""
    coordinate = "xy"[axis]
    if racer.t == 0 or len(racer.path) < 2:
        return Explanation(f"{racer.name}'s step in {coordinate}", ("no step yet",), (), 0.0,
                           "The racer has not moved yet: step once (s) and its update can be explained.", ("optimizer",))
    before, after = racer.path[-2][axis], racer.path[-1][axis]
    state = {key: float(racer.state[row, axis]) for row, key in enumerate(RACER_STATE[racer.name])}
    formula, filled, terms = step_lines(StepInputs(
        RACER_RULES[racer.name], coordinate, float(racer.grads[axis]), before, after - before, state, racer.hp, racer.t))
    return Explanation(
        f"{racer.name}'s step {racer.t} in {coordinate}", (f"g = ∂f/∂{coordinate} at the point before the step",) + formula,
        filled + (line(coordinate, f"{n(before)} + {n(after - before)}", after),), after - before,
        f"The racer's gradient at ({num(racer.path[-2][0])}, {num(racer.path[-2][1])}) is turned into a step by "
        f"{racer.name}'s rule — kernels.optimizers.optimizer_step, the function that trains every network.", terms)
