"""A unit's z, a and δ and a weight's ∂L/∂w, from a traced step (nnterm/teach/trace.py)."""
from nnterm.kernels import codes
from nnterm.kernels.codes import HUBER_DELTA
from nnterm.presets.kinds import ACTIVATION_FORMULAS, HUBER
from nnterm.runtime.language import _
from nnterm.runtime.numbers import num
from nnterm.teach.trace import StepTrace, activation_slope, sub

from .layout import Explanation, arg, line, n, noted, titled, total


def activation_formula(activation: str, z: str = "z") -> str:
    """a = f(z) in symbols, for a unit whose sum is named `z` (softmax: unit k of its layer)."""
    if activation == "softmax":
        return "a_k = " + ACTIVATION_FORMULAS["softmax"]
    return "a = " + ACTIVATION_FORMULAS[activation].replace("z", z)


# --- a = f(z), written out per activation (the formulas: presets/kinds.py ACTIVATION_FORMULAS) ---
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
    if layer == len(trace.layers) - 1:
        return _("output unit {number}").format(number=unit + 1)
    return _("layer {layer} unit {number}").format(layer=layer + 1, number=unit + 1)


def sample_name(trace: StepTrace, focus: int) -> str:
    return _("sample {row} of the training split").format(row=int(trace.rows[focus]))


def input_symbol(layer: int, source: int) -> str:
    return ("x" if layer == 0 else "a") + sub(source + 1)


def weighted_sum(trace: StepTrace, layer: int, unit: int, focus: int = 0) -> Explanation:
    """z = Σ w·a + b of one unit for one sample of the traced batch."""
    trace.check_weight(layer, -1, unit)
    lt = trace.layers[layer]
    k = sub(unit + 1)
    parts = [f"{n(lt.weight[j, unit])}·{n(lt.inputs[focus, j])}" for j in range(lt.fan_in)] + [n(lt.bias[unit])]
    words = (_("The unit reads {count} numbers — the inputs (standardised) — multiplies each by the weight of its "
               "link, adds them up and adds its bias.") if layer == 0 else
             _("The unit reads {count} numbers — layer {layer}'s outputs — multiplies each by the weight of its "
               "link, adds them up and adds its bias."))
    return Explanation(
        formula=(noted(f"z{k} = Σ_j w_j{k}·a_j + b{k}", _("each input times its weight, plus the bias")),),
        filled=(line(f"z{k}", total(parts), lt.z[focus, unit]),),
        result=float(lt.z[focus, unit]),
        words=words.format(count=lt.fan_in, layer=layer),
        terms=("weighted sum", "weight", "bias", "standardised" if layer == 0 else "activation"),
        **titled(_("{symbol} of {unit}, {sample}"), f"z{k}", unit=where(trace, layer, unit),
                 sample=sample_name(trace, focus)))


def activation(trace: StepTrace, layer: int, unit: int, focus: int = 0) -> Explanation:
    """a = f(z) of one unit for one sample of the traced batch."""
    trace.check_weight(layer, -1, unit)
    lt = trace.layers[layer]
    k = sub(unit + 1)
    z, a = float(lt.z[focus, unit]), float(lt.a[focus, unit])
    text = applied(lt.activation, z, lt.z[focus], unit)
    words = [_("The unit's output is its weighted sum {symbol} = {value} put through {activation}.").format(
        symbol=f"z{k}", value=num(z), activation=lt.activation)]
    if lt.dead[unit]:
        words.append(_("This ReLU is dead on the batch: z ≤ 0 for every sample, so it passes no gradient."))
    elif lt.saturated[unit]:
        words.append(_("It is saturated on the batch: f′(z) is nearly 0, so little gradient passes back."))
    return Explanation(
        formula=(activation_formula(lt.activation, f"z{k}"),),
        filled=(line(f"a{k}", text, a),),
        result=a,
        words=" ".join(words),
        terms=("activation", lt.activation, *(("dead unit",) if lt.dead[unit] else ()),
               *(("saturated unit",) if lt.saturated[unit] else ())),
        **titled(_("{symbol} of {unit}, {sample}"), f"a{k}", unit=where(trace, layer, unit),
                 sample=sample_name(trace, focus)))


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
    title = titled(_("{symbol} of {unit}, {sample}"), f"δ{k}", unit=where(trace, layer, unit),
                   sample=sample_name(trace, focus))
    terms = ("δ", "f′(z)", "chain rule")
    if layer < len(trace.layers) - 1:
        nxt = trace.layers[layer + 1]
        slope = float(activation_slope(lt.activation, lt.z[focus:focus + 1], lt.a[focus:focus + 1])[0, unit])
        back = [f"{n(nxt.weight[unit, m])}·{n(nxt.delta[focus, m])}" for m in range(nxt.units)]
        return Explanation(
            formula=(noted(f"δ{k} = f′(z{k}) · Σ_m w{k}m·δ_m",
                           _("the blame of the units it feeds, back through their weights")),),
            filled=(line(f"δ{k}", f"{n(slope)}·[{total(back)}]", d),), result=d,
            words=_("Layer {layer}'s units pass their δ back along the weights from this unit; its own slope "
                    "{slope} = {value} decides how much of that gets through.").format(
                layer=layer + 2, slope=f"{lt.activation}′(z{k})", value=num(slope)),
            terms=terms, **title)
    rows, cols = lt.z.shape
    big_n = mean_size(loss_name(trace), rows, cols)
    a, y = float(lt.a[focus, unit]), float(trace.y[focus, unit])
    loss, act = loss_name(trace), lt.activation
    fused = (loss, act) in (("bce", "sigmoid"), ("cce", "softmax"))
    if fused:
        formula = noted(f"δ{k} = (a{k} − y{k}) / N",
                        _("{activation} with {loss}: the slopes cancel to this").format(activation=act, loss=loss))
        filled = (line(f"δ{k}", f"({n(a)} − {n(y)})/{big_n}", d),)
    elif act == "softmax":
        formula, filled = noted(f"δ{k} = Σ_j ∂L/∂a_j · ∂a_j/∂z{k}", _("softmax couples the units")), ()
    else:
        slope = n(activation_slope(act, lt.z[focus:focus + 1], lt.a[focus:focus + 1])[0, unit])
        dloss = {"mse": ("2·(a − y)", f"2·({n(a)} − {n(y)})"),
                 "mae": ("sign(a − y)", f"sign({n(a)} − {n(y)})"),
                 "huber": ("clip(a − y, −δ, δ)", f"min(max({n(a)} − {n(y)}, −{n(HUBER_DELTA)}), {n(HUBER_DELTA)})"),
                 "bce": ("(a − y)/(a(1 − a))", f"({n(a)} − {n(y)})/({n(a)}·(1 − {n(a)}))"),
                 "cce": ("−y/a", f"(−{n(y)})/{n(a)}")}[loss]
        formula = f"δ{k} = f′(z{k}) · ∂ℓ/∂a{k} / N = f′(z{k}) · {dloss[0]} / N"+ (f",  {HUBER}" if loss == "huber" else "")
        filled = (line(f"δ{k}", f"{slope}·{dloss[1]}/{big_n}", d),)
    return Explanation(
        formula=(formula,), filled=filled, result=d,
        words=_("At the output the blame comes straight from the {loss} loss: the network said {output}, the answer "
                "is {target}; N = {count} because the loss is a mean.").format(
            loss=loss, output=num(a), target=num(y), count=big_n),
        terms=(*terms, loss), **title)


def weight_name(layer: int, source: int, target: int) -> str:
    return f"b{sub(target + 1)}" if source < 0 else f"w{sub(source + 1, target + 1)}"


def weight_where(trace: StepTrace, layer: int, source: int, target: int) -> str:
    if source < 0:
        return _("the bias of {unit}").format(unit=where(trace, layer, target))
    return _("the weight from {source} to {unit}").format(source=trace.source_label(layer, source),
                                                          unit=where(trace, layer, target))


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
    words = [_("Each sample adds its δ times what flowed through the weight; the 1/N of the loss is already in δ."),
             *backward[-1:]]
    return Explanation(
        formula=(noted(sym, _("the chain rule: ∂L/∂z · ∂z/∂w")),),
        filled=(line(f"∂L/∂{name}", total(parts), g),), result=g,
        words=" ".join(words),
        terms=("gradient", "chain rule", "δ", "minibatch"),
        **titled(_("{symbol}, {weight}, over a minibatch of {count}"), f"∂L/∂{name}",
                 weight=weight_where(trace, layer, source, target), count=rows))

