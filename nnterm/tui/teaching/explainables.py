"""What each teaching screen can explain (key X): its numbers as Explainable values, built by
nnterm.teach.explain from the screen's own engine objects — the inspector's StepTrace, the lab's
Neuron, the race's Racer — so the explanation shows exactly the numbers on screen."""
from nnterm.errors import NntermError
from nnterm.runtime.numbers import num
from nnterm.tui.dialogs.explain_screen import Explainable

INSPECTOR_TERMS = ("weighted sum", "activation", "loss", "δ", "f′(z)", "chain rule", "gradient", "optimizer",
                   "learning rate", "minibatch", "step", "dead unit", "saturated unit", "standardised")
NEURON_LAB_TERMS = ("weighted sum", "weight", "bias", "activation", "linear", "sigmoid", "tanh", "relu", "dead unit",
                    "mse", "learning rate", "gradient")
DESCENT_TERMS = ("gd", "momentum", "nesterov", "rmsprop", "adagrad", "adam", "learning rate", "gradient",
                 "velocity", "m and v")


def inspector_items(screen) -> list[Explainable]:
    """The selected weight's unit (z, a, δ for the row in focus), the loss, ∂L/∂w and Δw."""
    from nnterm.teach import explain
    trace = screen.trace
    if trace is None:
        raise NntermError("the step is still being traced: ask again in a moment")
    layer, source, target = screen.selected
    focus = screen.focus
    lt = trace.layers[layer]
    unit = f"unit {target + 1} of layer {layer + 1}"
    name = explain.weight_name(layer, source, target)
    t = screen.trainer.preset.training
    trainable = screen.trainer.network.layers[layer].trainable
    return [
        Explainable(f"z of {unit}", num(float(lt.z[focus, target])), lambda: explain.weighted_sum(trace, layer, target, focus)),
        Explainable(f"a of {unit}", num(float(lt.a[focus, target])), lambda: explain.activation(trace, layer, target, focus)),
        Explainable("loss of the batch", num(trace.loss), lambda: explain.batch_loss(trace, t.l1, t.l2)),
        Explainable(f"δ of {unit}", num(float(lt.delta[focus, target])), lambda: explain.delta(trace, layer, target, focus)),
        Explainable(f"∂L/∂{name}", num(float(lt.grad_bias[target] if source < 0 else lt.grad_weight[source, target])),
                    lambda: explain.gradient(trace, layer, source, target)),
        Explainable(f"Δ{name}", num(float(lt.update_bias[target] if source < 0 else lt.update_weight[source, target])),
                    lambda: explain.update(trace, layer, source, target, screen.trainer.preset, trainable)),
        Explainable(f"parameters of layer {layer + 1}", f"{screen.trainer.network.layers[layer].n_params:,}",
                    lambda: explain.parameters(screen.trainer.network, layer)),
    ]


def neuron_lab_items(screen) -> list[Explainable]:
    from nnterm.teach import explain
    neuron = screen.neuron
    return [Explainable("z, the weighted sum", num(neuron.weighted_sum()), lambda: explain.neuron_sum(neuron)),
            Explainable("a, the output", num(neuron.output()), lambda: explain.neuron_output(neuron))]


def descent_items(screen) -> list[Explainable]:
    """Every racer's last step, x and y, the selected racer first."""
    from nnterm.teach import explain
    if screen.race is None:
        return []
    racers = [screen.racer] + [r for r in screen.race.racers if r is not screen.racer]
    items = []
    for racer in racers:
        for axis in (0, 1):
            shown = "no step yet" if len(racer.path) < 2 else num(racer.path[-1][axis] - racer.path[-2][axis])
            items.append(Explainable(f"{racer.name}: step in {'xy'[axis]}", shown,
                                     lambda r=racer, a=axis: explain.racer_step(r, a)))
    return items
