"""Any number on a screen, explained: its formula, the same formula with the real operands filled
in term by term, the result, a sentence in words, and the terms it uses (no textual).

The numbers come from the engine and its kernels — `trace_step` for z, a, δ, ∂L/∂w, the gradient
after its penalty, clipping and weight decay, and Δw; the trainer's reports for the loss;
`kernels.regularizers.weight_penalty` for the L1/L2 term; the metrics module for accuracy;
`Network` for parameter counts — and a builder here only lays them out. Every filled-in line reads
"name = arithmetic = result" in plain arithmetic (· × / + − ² ^ √ ln e^ σ tanh max min abs sign),
so the operands as shown reproduce the result as shown; the tests re-read each line to check that.
Where an intermediate is shown (the gradient after its penalty term, say), its result is the
kernel's too, and the line after it ends in the kernel's own result: a wrong layout cannot hide.

One job a file:
    layout.py    Explanation, combined, and how operands, sums and lines are written
    units.py     weighted_sum, activation, delta, gradient      a unit or weight, from a StepTrace
    step.py      update (and step_lines, StepInputs)             one optimizer step
    loss.py      batch_loss (a StepTrace), reported_loss (an EpochReport's loss or val_loss)
    counts.py    accuracy, rmse, classification_scores, parameters, network_parameters, epochs_per_second
    lab.py       neuron_sum, neuron_output (the neuron lab), racer_step (the descent race)
"""
from nnterm.runtime.numbers import num

from .counts import accuracy, classification_scores, epochs_per_second, network_parameters, parameters, rmse
from .lab import neuron_output, neuron_sum, racer_step
from .layout import MAX_CHARS, Explanation, combined, line, n, total
from .loss import batch_loss, element_loss, penalty_lines, reported_loss
from .step import StepInputs, step_lines, update
from .units import activation, activation_formula, delta, gradient, loss_name, weight_name, weighted_sum

__all__ = ["MAX_CHARS", "Explanation", "StepInputs", "accuracy", "activation", "activation_formula", "batch_loss",
           "classification_scores", "combined", "delta", "element_loss", "epochs_per_second", "gradient", "line",
           "loss_name", "n", "network_parameters", "neuron_output", "neuron_sum", "num", "parameters",
           "penalty_lines", "racer_step", "reported_loss", "rmse", "step_lines", "total", "update", "weight_name",
           "weighted_sum"]
