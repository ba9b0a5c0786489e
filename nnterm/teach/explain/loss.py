"""The loss: a traced minibatch's with its 1/N and each sample's term, an epoch report's, and the
L1/L2 penalty by the kernel that reports it (kernels.regularizers.weight_penalty)."""
import numpy as np

from nnterm.kernels.codes import HUBER_DELTA
from nnterm.kernels.regularizers import weight_penalty
from nnterm.kernels.stepped import run_small
from nnterm.presets.kinds import LOSS_FORMULAS
from nnterm.runtime.language import _, ngettext
from nnterm.runtime.numbers import num
from nnterm.teach.trace import StepTrace

from .layout import Explanation, arg, line, n, noted, total
from .units import loss_name, mean_size


def element_loss(loss: str, act: str, z, a, y, j: int) -> str:
    """One sample's output j's share of the loss, as arithmetic (cce: the sample's whole row)."""
    if loss == "mse":
        return f"({n(a[j])} − {n(y[j])})²"
    if loss == "mae":
        return f"abs({n(a[j])} − {n(y[j])})"
    if loss == "huber":
        d = float(a[j] - y[j])
        delta = n(HUBER_DELTA)
        return (f"0.5·({n(a[j])} − {n(y[j])})²" if abs(d) <= HUBER_DELTA else
                f"{delta}·(abs({n(a[j])} − {n(y[j])}) − 0.5·{delta})")
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
        parts.append(f"{n(l1)}·{n(run_small(weight_penalty, network_sizes, offsets, params, 1.0, 0.0))}")
    if l2:
        symbols.append("(l2/2)·Σw²")
        parts.append(f"({n(l2)}/2)·{n(run_small(weight_penalty, network_sizes, offsets, params, 0.0, 2.0))}")
    value = float(run_small(weight_penalty, network_sizes, offsets, params, l1, l2))
    return ((noted(f"penalty = {' + '.join(symbols)}", _("weights only, not biases")),),
            (line("penalty", " + ".join(parts), value),), value)


def mean_note(loss: str, rows: int, cols: int) -> str:
    """What the N of a loss's 1/N counts, in words: the samples (cce) or every sample's every output."""
    big_n = mean_size(loss, rows, cols)
    if loss == "cce":
        return _("N = {count}: one term per sample").format(count=big_n)
    return ngettext("N = {count}: {rows} samples × {outputs} output", "N = {count}: {rows} samples × {outputs} outputs",
                    cols).format(count=big_n, rows=rows, outputs=cols)


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
    formula = (noted("L = " + LOSS_FORMULAS[loss], mean_note(loss, rows, cols)),)
    if p_filled:
        formula += p_formula + (noted("objective = L + penalty", _("what the optimizer's gradient is of")),)
        filled += [*p_filled, line("objective", f"{n(trace.loss)} + {n(penalty)}", trace.loss + penalty)]
    words = (_("The loss is a mean over the minibatch, so it does not grow with the batch size; the penalty is added "
               "for the gradient, and the loss the screens report leaves it out.") if p_filled else
             _("The loss is a mean over the minibatch, so it does not grow with the batch size."))
    return Explanation(
        ngettext("{loss} loss of the minibatch ({count} sample), before the step",
                 "{loss} loss of the minibatch ({count} samples), before the step", rows).format(loss=loss, count=rows),
        formula, tuple(filled), trace.loss, words,
        ("loss", loss, "minibatch", *(("penalty",) if p_filled else ())))


def reported_loss(name: str, value: float, loss: str, rows: int, network, l1: float = 0.0, l2: float = 0.0) -> Explanation:
    """An EpochReport's `loss` (the epoch's minibatches, as training went) or `val_loss`/`test_loss`
    (the split after the epoch): the mean, and the L1/L2 term the optimizer also saw."""
    split = {"loss": "training", "val_loss": "validation", "test_loss": "test"}[name]
    p_formula, p_filled, penalty = penalty_lines(network.sizes, network.offsets, network.params, l1, l2)
    how = (_("the mean of the epoch's minibatch losses, weighted by their rows, measured as training went")
           if name == "loss" else _("measured on the {count} samples of the {split} split after the epoch").format(
               count=rows, split=_(split)))
    filled = p_filled + ((line("objective", f"{n(value)} + {n(penalty)}", value + penalty),) if p_filled else ())
    said = (_("{name} = {value} is {how}; it leaves the penalty out (shown here for the weights as they are now).")
            if p_filled else _("{name} = {value} is {how}."))
    return Explanation(
        _("{name}, the {loss} loss on the {split} split").format(name=name, loss=loss, split=_(split)),
        (noted(f"L = {LOSS_FORMULAS[loss]}", mean_note(loss, rows, network.n_outputs)),) + p_formula, filled, value,
        said.format(name=name, value=num(value), how=how),
        ("loss", loss, f"{split} split" if split != "test" else "test split", "epoch",
         *(("val_", "validation vs test") if name != "loss" else ("minibatch",)), *(("penalty",) if p_filled else ())))

