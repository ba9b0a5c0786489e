"""Backprop, one step at a time, with the real numbers (the inspector's engine; no textual).

`trace_step(trainer, rows)` runs `kernels.trace_step` — the very functions `train_epoch` runs —
on copies of the trainer's weights and optimizer state, for the training rows given, and turns
its flat buffers into a readable structure: per layer the inputs, z, a, δ = ∂L/∂z, ∂L/∂W,
∂L/∂b, the update the optimizer applies, and its state. Nothing of the trainer changes.

On top of it, for a person learning backprop:
    trace.chain_rule(layer, source, target)    one weight's gradient, written out with numbers
    gradient_check(trace, layer, source, target)  the same slope by central finite differences
    unit_health(network, x, y)                 dead ReLUs and saturated sigmoid/tanh units
    LayerTrace.stats()                         mean |δ|, gradient norm, update/weight ratio

Weights are named as in `net.layers[l].weight[source, target]`; `source = -1` is the bias of
unit `target` (the same convention as the TUI's WeightEdit message).
"""
import math
from dataclasses import dataclass

import numpy as np

from nnterm import kernels
from nnterm.errors import NntermError
from nnterm.kernels import codes
from nnterm.kernels.activations import backprop_activation
from nnterm.kernels.codes import ACTIVATIONS, ROW_CHUNK
from nnterm.kernels.epoch import run_forward
from nnterm.kernels.optimizers import decayed_gradients
from nnterm.kernels.regularizers import add_weight_penalty, clip_global_norm
from nnterm.kernels.stepped import run_small
from nnterm.engine.trainer import Trainer, hyper_parameters
from nnterm.runtime.language import _
from nnterm.runtime.numbers import MINUS, num

PHASES = ("forward", "loss", "backward", "update")
# A sigmoid/tanh unit is saturated when its output sits this close to a limit: there f'(z) is
# below 2 % of its peak, so almost no gradient flows back through it.
SATURATION = 0.99
# Central differences in float64: h ≈ ∛ε·max(1, |θ|) balances truncation (h²) and rounding (ε/h).
FD_STEP = 1e-5

# Which rows of the trainer's (2, P) state each optimizer keeps, and what the docs call them.
STATE_NAMES = {"gd": ("velocity",), "sgd": ("velocity",), "momentum": ("velocity",),
               "rmsprop": ("square_avg",), "adagrad": ("sum",), "adam": ("m", "v"), "adamw": ("m", "v")}

SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(*numbers: int) -> str:
    """1-based subscripts as the textbooks write them: w₁₂; with a comma once a number has two digits."""
    text = [str(n) for n in numbers]
    joined = ("," if any(len(t) > 1 for t in text) else "").join(text)
    return joined.translate(SUBSCRIPTS)


@dataclass(frozen=True)
class LayerStats:
    """One layer in a line, for layers too wide to show neuron by neuron."""
    mean_abs_delta: float      # mean over batch and units of |δ|: how much blame reaches the layer
    grad_norm: float           # ‖∂L/∂θ‖₂ over the layer's weights and biases
    update_ratio: float        # ‖Δθ‖ / ‖θ‖: around 1e-3 is healthy, 1e-1 wild, 1e-6 stuck
    dead: int
    saturated: int


@dataclass(frozen=True)
class LayerTrace:
    index: int
    activation: str
    inputs: np.ndarray         # (rows, fan_in): a of the layer before, or the data for layer 0
    z: np.ndarray              # (rows, units): z = inputs @ W + b
    a: np.ndarray              # (rows, units): a = f(z)
    delta: np.ndarray          # (rows, units): δ = ∂L/∂z
    weight: np.ndarray         # (fan_in, units), before the update
    bias: np.ndarray
    grad_weight: np.ndarray    # ∂L/∂W = inputsᵀ δ  (the chain rule's, before penalty and clipping)
    grad_bias: np.ndarray      # ∂L/∂b = Σ_rows δ
    update_weight: np.ndarray  # Δw = w_after − w_before, as the optimizer applied it
    update_bias: np.ndarray
    state: dict                # optimizer state after the step: name → (W-shaped, b-shaped)
    dead: np.ndarray           # (units,) bool: ReLU with z ≤ 0 on every row of the batch
    saturated: np.ndarray      # (units,) bool: sigmoid/tanh pinned at a limit on every row
    penalty_weight: np.ndarray | None = None   # (fan_in, units): l1·sign(w) + l2·w, the kernel's penalty gradient
    # The gradient as the kernels hand it on, stage by stage (W-shaped, b-shaped) — each the kernel's own result:
    penalised: tuple | None = None    # after add_weight_penalty: ∂L/∂w + l1·sign(w) + l2·w (biases unchanged)
    clipped: tuple | None = None      # after clip_global_norm as well: g · c / (‖g‖ + ε) when ‖g‖ > c
    decayed: tuple | None = None      # what the optimizer's rule steps on: + λ·w (weight decay; not adamw's),
                                      # stored in the network's dtype (the rule keeps it in a float64 local)

    @property
    def fan_in(self) -> int:
        return self.weight.shape[0]

    @property
    def units(self) -> int:
        return self.weight.shape[1]

    @property
    def weight_after(self) -> np.ndarray:
        return self.weight + self.update_weight

    @property
    def bias_after(self) -> np.ndarray:
        return self.bias + self.update_bias

    def stats(self) -> LayerStats:
        grad = np.concatenate([self.grad_weight.ravel(), self.grad_bias])
        update = np.concatenate([self.update_weight.ravel(), self.update_bias])
        theta = np.concatenate([self.weight.ravel(), self.bias])
        size = float(np.linalg.norm(theta))
        ratio = float(np.linalg.norm(update)) / size if size > 0 else math.inf
        return LayerStats(float(np.mean(np.abs(self.delta))), float(np.linalg.norm(grad)), ratio,
                          int(self.dead.sum()), int(self.saturated.sum()))


@dataclass(frozen=True)
class GradientCheck:
    analytic: float            # ∂L/∂θ from backprop
    numeric: float             # (L(θ + h) − L(θ − h)) / 2h, in float64
    relative_error: float      # |analytic − numeric| / max(|analytic|, |numeric|)
    step: float                # h

    def line(self) -> str:
        step, error = (f"{v:.{d}e}".replace("-", MINUS) for v, d in ((self.step, 0), (self.relative_error, 1)))
        return _("check: nudge it by ±{step} and re-run the network: slope ≈ {numeric} vs backprop {analytic} "
                 "(relative error {error})").format(step=step, numeric=num(self.numeric), analytic=num(self.analytic),
                                                     error=error)


@dataclass(frozen=True)
class ChainRule:
    """One weight's gradient, from the loss back to the update, as sentences with numbers.

    `lines` holds (phase, text) pairs so a screen can leave later phases blank.
    """
    layer: int
    source: int
    target: int
    name: str                  # e.g. "w₁₂" or "b₂"
    gradient: float            # ∂L/∂θ over the whole batch
    term: float                # the focus sample's share: δ · a
    update: float
    lines: tuple


@dataclass(frozen=True)
class StepTrace:
    rows: np.ndarray           # training-set indices of the batch, in order
    x: np.ndarray
    y: np.ndarray
    loss: float                # mean loss of the batch, before the update (no penalty)
    loss_name: str             # the loss in force ("auto" resolved: bce, cce, mse, …)
    optimizer: str
    learning_rate: float
    step: int                  # the optimizer step this was (Adam's t)
    epoch: int                 # epochs the trainer had finished
    grad_norm: float           # ‖g‖₂ handed to the optimizer (after penalty, before clipping)
    layers: tuple
    feature_names: tuple
    params: np.ndarray         # flat weights before the update (for gradient checks)
    sizes: np.ndarray
    acts: np.ndarray
    offsets: np.ndarray
    loss_code: int
    plain_update: bool         # Δθ = −lr·g exactly (gd/sgd, no momentum, decay, penalty or clip)
    l1: float = 0.0            # the weight penalty l1·Σ|w| + (l2/2)·Σw² the step included
    l2: float = 0.0
    penalised_plain: bool = False   # Δw = −lr·(g + penalty) exactly: plain but for L1/L2

    def penalty_sentence(self) -> str:
        """What L1/L2 add to the update, in words, or "" when neither is on."""
        terms, slopes = [], []
        if self.l1:
            terms.append(f"L1 l1·Σ|w| (l1 = {num(self.l1)})")
            slopes.append("l1·sign(w)")
        if self.l2:
            terms.append(f"L2 (l2/2)·Σw² (l2 = {num(self.l2)})")
            slopes.append("l2·w")
        if not terms:
            return ""
        return _("With {penalties} on the weights (not biases), each weight steps on {gradient}.").format(
            penalties=" + ".join(terms), gradient="∂L/∂w + " + " + ".join(slopes))

    @property
    def was_clipped(self) -> bool:
        """Whether clip_global_norm scaled this step's gradient down (the kernel's own decision)."""
        return any(not np.array_equal(c, p) for lt in self.layers if lt.clipped is not None
                   for c, p in zip(lt.clipped, lt.penalised))

    @property
    def output(self) -> np.ndarray:
        return self.layers[-1].a

    def param_index(self, layer: int, source: int, target: int) -> int:
        """Position of weight[source, target] (source −1: bias[target]) in the flat buffer."""
        lt = self.layers[layer]
        base = int(self.offsets[layer])
        return base + lt.fan_in * lt.units + target if source < 0 else base + source * lt.units + target

    def check_weight(self, layer: int, source: int, target: int) -> None:
        check_weight(self.sizes, layer, source, target)

    def source_label(self, layer: int, source: int) -> str:
        """What feeds the weight: an input feature by name, or a unit of the layer before."""
        if layer == 0:
            name = self.feature_names[source] if source < len(self.feature_names) else f"x{source + 1}"
            return _("input {name} ({symbol})").format(name=name, symbol=f"x{sub(source + 1)}")
        return _("unit {number} of layer {layer} ({symbol})").format(number=source + 1, layer=layer,
                                                                    symbol=f"a{sub(source + 1)}")

    def chain_rule(self, layer: int, source: int, target: int, focus: int = 0) -> ChainRule:
        """The chain rule for weight[source, target] of `layer`, with the numbers of batch row `focus`."""
        self.check_weight(layer, source, target)
        lt = self.layers[layer]
        k = target
        is_bias = source < 0
        name = f"b{sub(k + 1)}" if is_bias else f"w{sub(source + 1, k + 1)}"
        a_in = 1.0 if is_bias else float(lt.inputs[focus, source])
        a_sym = "1" if is_bias else ("x" if layer == 0 else "a") + sub(source + 1)
        d = float(lt.delta[focus, k])
        grad = float(lt.grad_bias[k] if is_bias else lt.grad_weight[source, k])
        update = float(lt.update_bias[k] if is_bias else lt.update_weight[source, k])
        before = float(lt.bias[k] if is_bias else lt.weight[source, k])
        last = len(self.layers) - 1
        rows = len(self.rows)
        where = (_("{name} = {value} is the bias of unit {number} in layer {layer}.") if is_bias else
                 _("{name} = {value} is the weight from {source} to unit {number} of layer {layer}."))
        forward = f"z{sub(k + 1)} = Σ w·a + b = {num(lt.z[focus, k])},  " \
                  f"a{sub(k + 1)} = {lt.activation}(z{sub(k + 1)}) = {num(lt.a[focus, k])}"
        lines = [("forward", where.format(name=name, value=num(before), number=k + 1, layer=layer + 1,
                                          source=self.source_label(layer, source) if not is_bias else "")),
                 ("forward", _("forward: {arithmetic}").format(arithmetic=forward))]
        out = self.layers[-1]
        target_text = ", ".join(num(v) for v in self.y[focus])
        output_text = ", ".join(num(v) for v in out.a[focus])
        lines.append(("loss", _("loss: the network said {output}, the answer is {target}; {loss} over the batch "
                                "of {count} = {value}").format(output=output_text, target=target_text,
                                                               loss=self.loss_name, count=rows, value=num(self.loss))))
        if layer == last:
            lines.append(("backward", _("blame: {delta} = {slope} comes straight from the loss and the output "
                                        "a − y = {miss}: {delta} = {value}").format(
                delta=f"δ{sub(k + 1)}", slope=f"∂L/∂z{sub(k + 1)}", miss=num(out.a[focus, k] - self.y[focus, k]),
                value=num(d))))
        else:
            nxt = self.layers[layer + 1]
            slope = activation_slope(lt.activation, lt.z[focus:focus + 1], lt.a[focus:focus + 1])[0, k]
            pairs = [(float(nxt.weight[k, m]), float(nxt.delta[focus, m])) for m in range(nxt.units)]
            spread = sum(w * dn for w, dn in pairs)
            shown = " + ".join(f"({num(w)})({num(dn)})" for w, dn in pairs[:4]) + (" + …" if len(pairs) > 4 else "")
            lines.append(("backward", _("blame flows back from layer {layer}: {arithmetic}").format(
                layer=layer + 2, arithmetic=f"Σ w·δ = {shown} = {num(spread)}")))
            lines.append(("backward", _("blame: {arithmetic}").format(
                arithmetic=f"δ{sub(k + 1)} = {lt.activation}′(z{sub(k + 1)}) · Σ w·δ = "
                           f"({num(slope)})({num(spread)}) = {num(d)}")))
        term = a_in * d
        if rows == 1:
            lines.append(("backward", _("gradient: {arithmetic}").format(
                arithmetic=f"∂L/∂{name} = δ{sub(k + 1)} · {a_sym} = ({num(d)})({num(a_in)}) = {num(grad)}")))
        else:
            lines.append(("backward", _("gradient: {gradient} = Σ over the {count} samples of {product} = {value}; "
                                        "this sample's share {share}").format(
                gradient=f"∂L/∂{name}", count=rows, product=f"δ{sub(k + 1)} · {a_sym}", value=num(grad),
                share=f"({num(d)})({num(a_in)}) = {num(term)}")))
        penalty = 0.0 if is_bias or lt.penalty_weight is None else float(lt.penalty_weight[source, k])
        stepped = grad if is_bias or lt.penalised is None else float(lt.penalised[0][source, k])
        if penalty or (not is_bias and (self.l1 or self.l2)):
            slopes = ([f"l1·sign({name})"] if self.l1 else []) + ([f"l2·{name}"] if self.l2 else [])
            lines.append(("update", _("penalty: its slope {slope} = {value}; the step follows {sum}").format(
                slope=" + ".join(slopes), value=num(penalty), sum=f"∂L/∂{name} + {num(penalty)} = {num(stepped)}")))
        if self.plain_update:
            lines.append(("update", _("update: {arithmetic}").format(
                arithmetic=f"Δ{name} = −lr · ∂L/∂{name} = −({num(self.learning_rate)})({num(grad)}) = {num(update)}")))
        elif self.penalised_plain and not is_bias:
            lines.append(("update", _("update: {step} = −lr · ({gradient} + penalty) = {arithmetic}").format(
                step=f"Δ{name}", gradient=f"∂L/∂{name}",
                arithmetic=f"−({num(self.learning_rate)})({num(stepped)}) = {num(update)}")))
        elif self.penalised_plain:
            lines.append(("update", _("update: {arithmetic} (no penalty on a bias)").format(
                arithmetic=f"Δ{name} = −lr · ∂L/∂{name} = −({num(self.learning_rate)})({num(grad)}) = {num(update)}")))
        else:
            lines.append(("update", _("update: {optimizer} moves {name} by Δ = {step} (learning rate {rate}{state})").format(
                optimizer=self.optimizer, name=name, step=num(update), rate=num(self.learning_rate),
                state=state_text(lt, source, k))))
        lines.append(("update", f"{name}: {num(before)} → {num(before + update)}"))
        return ChainRule(layer, source, target, name, grad, term, update, tuple(lines))

    def to_dict(self, phase: str = "all") -> dict:
        """JSON-ready: every layer's numbers for the phase asked ("all", "forward", "backward", "update")."""
        if phase not in ("all", "forward", "backward", "update"):
            raise NntermError(_('phase "{phase}" is not one of all, forward, backward, update').format(phase=phase))
        want = lambda p: phase in ("all", p)
        layers = []
        for lt in self.layers:
            entry = {"layer": lt.index + 1, "activation": lt.activation, "fan_in": lt.fan_in, "units": lt.units}
            if want("forward"):
                entry.update(inputs=lt.inputs.tolist(), weight=lt.weight.tolist(), bias=lt.bias.tolist(),
                             z=lt.z.tolist(), a=lt.a.tolist())
            if want("backward"):
                entry.update(delta=lt.delta.tolist(), grad_weight=lt.grad_weight.tolist(), grad_bias=lt.grad_bias.tolist())
            if want("update"):
                entry.update(update={"weight": lt.update_weight.tolist(), "bias": lt.update_bias.tolist()},
                             weight_after=lt.weight_after.tolist(), bias_after=lt.bias_after.tolist(),
                             state={k: {"weight": w.tolist(), "bias": b.tolist()} for k, (w, b) in lt.state.items()})
            stats = lt.stats()
            entry.update(dead=np.flatnonzero(lt.dead).tolist(), saturated=np.flatnonzero(lt.saturated).tolist(),
                         stats={"mean_abs_delta": stats.mean_abs_delta, "grad_norm": stats.grad_norm,
                                "update_ratio": stats.update_ratio if math.isfinite(stats.update_ratio) else None})
            layers.append(entry)
        return {"epoch": self.epoch, "step": self.step, "optimizer": self.optimizer, "loss_function": self.loss_name,
                "learning_rate": self.learning_rate, "phase": phase, "batch": self.rows.tolist(),
                "target": self.y.tolist(), "output": self.output.tolist(), "loss": self.loss,
                "grad_norm": self.grad_norm, "layers": layers}


def state_text(lt: LayerTrace, source: int, k: int) -> str:
    parts = [f"{name} = {num(b[k] if source < 0 else w[source, k])}" for name, (w, b) in lt.state.items()]
    return "; " + ", ".join(parts) if parts else ""


def activation_slope(activation: str, z: np.ndarray, a: np.ndarray) -> np.ndarray:
    """f′(z), from the kernel's own backward rule: δ = 1 · f′(z) when ∂L/∂a is all ones."""
    ones = np.ones_like(z)
    slope = np.empty_like(z)
    run_small(backprop_activation, ACTIVATIONS.index(activation), np.ascontiguousarray(z), np.ascontiguousarray(a),
              ones, slope)
    return slope


def health(activation: str, z: np.ndarray, a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(dead, saturated) per unit over the rows given: dead = a ReLU that never fired (z ≤ 0
    on every row, so no gradient can ever reach its weights); saturated = a sigmoid/tanh whose
    output sat within 1 % of a limit on every row."""
    units = z.shape[1]
    dead = (z <= 0).all(axis=0) if activation == "relu" and z.shape[0] else np.zeros(units, bool)
    if activation == "sigmoid" and z.shape[0]:
        saturated = ((a < 1 - SATURATION) | (a > SATURATION)).all(axis=0)
    elif activation == "tanh" and z.shape[0]:
        saturated = (np.abs(a) > SATURATION).all(axis=0)
    else:
        saturated = np.zeros(units, bool)
    return dead, saturated


def unit_health(network, x, y) -> list[tuple[np.ndarray, np.ndarray]]:
    """(dead, saturated) for every layer over the rows x (e.g. the whole training set), from
    one forward pass of the engine's kernel."""
    x = network.as_input(x)
    zs, outs, _ = network.trace_buffers(x.shape[0])
    run_forward(network.sizes, network.acts, network.offsets, network.params, x, zs, outs, small=True)
    z_blocks, a_blocks = network.unit_blocks(zs, x.shape[0]), network.unit_blocks(outs, x.shape[0])
    return [health(layer.activation, z, a) for layer, z, a in zip(network.layers, z_blocks, a_blocks)]


def check_rows(trainer: Trainer, rows) -> np.ndarray:
    n = trainer.data.x_train.shape[0]
    rows = np.atleast_1d(np.asarray(rows, dtype=np.int64))
    if rows.size == 0:
        raise NntermError(_("the batch to trace is empty; give at least one sample"))
    bad = rows[(rows < 0) | (rows >= n)]
    if bad.size:
        raise NntermError(_("sample {row} is out of range: the training set has {count} samples, numbered 0 … {last}").format(
            row=int(bad[0]), count=n, last=n - 1))
    return rows


def check_weight(sizes, layer: int, source: int, target: int) -> None:
    """A sentence unless layer `layer` (0-based) of a network of `sizes` has weight source → target
    (source −1: the bias). Checkable before any kernel runs, so bad input fails fast."""
    layers = len(sizes) - 1
    if not 0 <= layer < layers:
        raise NntermError(_("layer {layer} does not exist; the network has layers 1 … {layers}").format(
            layer=layer + 1, layers=layers))
    fan_in, units = int(sizes[layer]), int(sizes[layer + 1])
    if not -1 <= source < fan_in or not 0 <= target < units:
        raise NntermError(_("layer {layer} has weights from inputs 1 … {fan_in} (0 for the bias) to units 1 … {units}; "
                            "there is no weight {source} → {target}").format(
            layer=layer + 1, fan_in=fan_in, units=units, source=source + 1, target=target + 1))


def trace_step(trainer: Trainer, rows=None) -> StepTrace:
    """One optimizer step on the training rows given (default: the trainer's next minibatch),
    run by kernels.trace_step on copies: the trainer's weights and state are untouched."""
    net, data, preset = trainer.network, trainer.data, trainer.preset
    rows = trainer.peek_batch() if rows is None else check_rows(trainer, rows)
    x = np.ascontiguousarray(data.x_train[rows])
    y = np.ascontiguousarray(data.y_train[rows])
    before = net.params.copy()
    params, state, step = net.params.copy(), trainer.state.copy(), trainer.step_count.copy()
    grads, update = np.zeros_like(params), np.zeros_like(params)
    zs, outs, deltas = net.trace_buffers(len(rows))
    lr = trainer.current_learning_rate()
    hp = hyper_parameters(preset, lr)
    loss, norm = run_small(kernels.trace_step, net.sizes, net.acts, net.offsets, net.loss_code, trainer.opt_code,
                           params, grads, net.mask, state, step, hp, x, y, zs, outs, deltas, update,
                           kernels.blocks_for(net.sizes, len(rows), params.itemsize))
    n = len(rows)
    blocks = [net.unit_blocks(buf, n) for buf in (zs, outs, deltas)]
    t = preset.training
    names = STATE_NAMES[t.optimizer]
    if t.optimizer in ("gd", "sgd", "momentum") and t.momentum == 0:
        names = ()                                   # plain gradient descent keeps no state
    layers = []
    # The gradient's stages as kernels.trace_step passed them on, by the same kernels on copies.
    penalised = grads.copy()
    run_small(add_weight_penalty, net.sizes, net.offsets, before, penalised, float(t.l1), float(t.l2))
    clipped = penalised.copy()
    run_small(clip_global_norm, clipped, net.mask, hp[codes.HP_CLIP])
    decayed = np.empty_like(clipped)
    run_small(decayed_gradients, before, clipped, 0.0 if t.optimizer == "adamw" else hp[codes.HP_WEIGHT_DECAY], decayed)
    split = [net.split(buf) for buf in (before, grads, update, penalised - grads, penalised, clipped, decayed)]
    for i, layer in enumerate(net.layers):
        (w, b), (gw, gb), (uw, ub), (pw, _), *stages = (part[i] for part in split)
        z, a, d = (blocks[j][i].copy() for j in range(3))
        dead, saturated = health(layer.activation, z, a)
        kept = {name: tuple(part.copy() for part in net.split(state[row])[i]) for row, name in enumerate(names)}
        layers.append(LayerTrace(i, layer.activation, x if i == 0 else blocks[1][i - 1].copy(), z, a, d,
                                 w.copy(), b.copy(), gw.copy(), gb.copy(), uw.copy(), ub.copy(), kept, dead, saturated,
                                 pw.copy(), *(tuple(part.copy() for part in stage) for stage in stages)))
    penalised_plain = (t.optimizer in ("gd", "sgd") and t.momentum == 0 and t.weight_decay == 0
                       and np.array_equal(clipped, penalised))          # clip_global_norm left g as it was
    plain = penalised_plain and t.l1 == 0 and t.l2 == 0
    return StepTrace(rows, x, y, float(loss), preset.loss, t.optimizer, float(lr), int(step[0]), trainer.epoch, float(norm),
                     tuple(layers), tuple(data.feature_names), before, net.sizes.copy(), net.acts.copy(),
                     net.offsets.copy(), net.loss_code, plain, float(t.l1), float(t.l2), penalised_plain)


def gradient_check(trace: StepTrace, layer: int, source: int, target: int, step: float = FD_STEP) -> GradientCheck:
    """∂L/∂θ by central differences, (L(θ + h) − L(θ − h)) / 2h, on the trace's batch, with
    kernels.evaluate_loss in float64 — a check on backprop that shares none of its backward code."""
    trace.check_weight(layer, source, target)
    index = trace.param_index(layer, source, target)
    params = trace.params.astype(np.float64)
    x, y = trace.x.astype(np.float64), trace.y.astype(np.float64)
    h = step * max(1.0, abs(params[index]))
    original = params[index]

    def loss_at(value):
        params[index] = value
        return kernels.evaluate_loss(trace.sizes, trace.acts, trace.offsets, trace.loss_code, params, x, y, ROW_CHUNK,
                                     small=True)

    numeric = (loss_at(original + h) - loss_at(original - h)) / (2 * h)
    lt = trace.layers[layer]
    analytic = float(lt.grad_bias[target] if source < 0 else lt.grad_weight[source, target])
    scale = max(abs(analytic), abs(numeric))
    error = abs(analytic - numeric) / scale if scale > 0 else 0.0
    return GradientCheck(analytic, float(numeric), float(error), float(h))


@dataclass(frozen=True)
class EpochChanges:
    """One epoch trained through the Trainer, as before → after, for the inspector's `n`."""
    report: object             # the Trainer's EpochReport
    loss_before: float         # mean loss over the training set before the epoch …
    loss_after: float          # … and after it
    before: list               # [(W, b), ...] copies before the epoch
    after: list                # [(W, b), ...] copies after it
    health: list               # [(dead, saturated), ...] over the training set, after the epoch

    def weight_changes(self) -> list[tuple[int, int, int, float, float, float]]:
        """(layer, source, target, before, after, after − before) for every weight and bias
        (source −1), one neuron's bias and incoming weights after another."""
        rows = []
        for layer, ((w0, b0), (w1, b1)) in enumerate(zip(self.before, self.after)):
            for k in range(w0.shape[1]):
                rows.append((layer, -1, k, float(b0[k]), float(b1[k]), float(b1[k] - b0[k])))
                rows += [(layer, j, k, float(w0[j, k]), float(w1[j, k]), float(w1[j, k] - w0[j, k])) for j in range(w0.shape[0])]
        return rows


def epoch_changes(trainer: Trainer, train_one_epoch) -> EpochChanges:
    """Reports every weight before → after one real epoch, which `train_one_epoch()` trains and
    returns the report of: the session's verb, never this module (docs/design.md, "Who drives
    the trainer")."""
    net, data = trainer.network, trainer.data
    copies = lambda: [(w.copy(), b.copy()) for w, b in net.split(net.params)]
    before = copies()
    loss_before = trainer.backend.evaluate_loss(net, data.x_train, data.y_train)
    report = train_one_epoch()
    loss_after = trainer.backend.evaluate_loss(net, data.x_train, data.y_train)
    return EpochChanges(report, float(loss_before), float(loss_after), before, copies(),
                     unit_health(net, data.x_train, data.y_train))
