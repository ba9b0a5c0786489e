"""The neuron lab's sum and output, and a descent racer's step (the rule that trains every network)."""
from nnterm.runtime.language import _
from nnterm.runtime.numbers import num
from nnterm.teach.rules import RULES

from .layout import Explanation, line, n, noted, total
from .step import StepInputs, step_lines
from .units import activation_formula, applied


def neuron_sum(neuron) -> Explanation:
    """The lab neuron's z = Σ wᵢ·xᵢ + b, its terms from Neuron.terms()."""
    parts = [f"{n(w)}·{n(x)}" for _name, x, w, _slope in neuron.terms()] + [n(neuron.bias)]
    names = ", ".join(name for name, *_ in neuron.terms())
    return Explanation(
        _("z, the neuron's weighted sum"), ("z = Σ wᵢ·xᵢ + b",), (line("z", total(parts), neuron.weighted_sum()),),
        neuron.weighted_sum(), _("Each input ({names}) times its weight, added up, plus the bias {bias}.").format(
            names=names, bias=num(neuron.bias)),
        ("weighted sum", "weight", "bias"))


def neuron_output(neuron) -> Explanation:
    z, a = neuron.weighted_sum(), neuron.output()
    return Explanation(
        _("a, the neuron's output"), (activation_formula(neuron.activation),),
        (line("a", applied(neuron.activation, z), a),), a,
        _("The weighted sum z = {value} put through {activation}.").format(value=num(z), activation=neuron.activation), ("activation", neuron.activation))


def racer_step(racer, axis: int) -> Explanation:
    """A racer's last step along x (axis 0) or y (1): the same rule that trains every network."""
    coordinate = "xy"[axis]
    if racer.t == 0 or len(racer.path) < 2:
        return Explanation(_("{racer}'s step in {coordinate}").format(racer=racer.name, coordinate=coordinate),
                           (_("no step yet"),), (), 0.0,
                           _("The racer has not moved yet: step once (s) and its update can be explained."), ("optimizer",))
    before, after = racer.path[-2][axis], racer.path[-1][axis]
    rule = racer.rule_key
    state = tuple(float(racer.state[row, axis]) for row in range(len(RULES[rule].state)))
    formula, filled, terms = step_lines(StepInputs(
        rule, coordinate, float(racer.grads[axis]), before, after - before, state, racer.hp, racer.t))
    return Explanation(
        _("{racer}'s step {step} in {coordinate}").format(racer=racer.name, step=racer.t, coordinate=coordinate),
        (noted(f"g = ∂f/∂{coordinate}", _("at the point before the step")),) + formula,
        filled + (line(coordinate, f"{n(before)} + {n(after - before)}", after),), after - before,
        _("The racer's gradient at {point} is turned into a step by {racer}'s rule — "
          "kernels.optimizers.optimizer_step, the function that trains every network.").format(
            point=f"({num(racer.path[-2][0])}, {num(racer.path[-2][1])})", racer=racer.name), terms)
