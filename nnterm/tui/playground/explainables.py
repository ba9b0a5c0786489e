"""What the playground can explain (key X, or a click): the status line's numbers, and the network
view's selected unit, weight and layer. Each is an Explainable whose builder asks
nnterm.teach.explain for the Explanation, from the trainer as it is now (training paused).

A unit's z, a and δ are those of training sample 0 (one traced step on that sample, on copies:
nothing of the trainer changes); a weight's ∂L/∂w and Δw are those of the next minibatch, the
step training would take next. The builders run in the explanation's worker thread (an accuracy
predicts the whole split), and only once the warm-up has loaded the inspector's kernels (the
playground's `when_explainable`).
"""
from nnterm.errors import NntermError
from nnterm.runtime.language import _
from nnterm.runtime.numbers import fixed, num
from nnterm.tui.dialogs.explain_screen import Explainable

STATUS_TERMS = ("epoch", "minibatch", "loss", "val_", "validation split", "validation vs test", "epochs/s", "backend")
NETWORK_TERMS = ("weight", "bias", "activation", "weighted sum", "standardised", "parameter", "frozen layer",
                 "dead unit", "saturated unit")


def status_items(playground) -> list[Explainable]:
    """The status line's fields, keyed by the name the line shows (loss, val_loss, val_acc, …)."""
    from nnterm.teach import explain
    session, trainer = playground.session, playground.trainer
    report = trainer.history[-1] if trainer.history else None
    loss, t = session.preset.loss, session.preset.training
    data, net = trainer.data, trainer.network
    items = []
    if report is not None:
        items.append(Explainable(_("loss"), fixed(report.train_loss), lambda: explain.reported_loss(
            "loss", report.train_loss, loss, len(data.x_train), net, t.l1, t.l2), "loss"))
        if len(data.x_val):
            items.append(Explainable("val_loss", fixed(report.val_loss), lambda: explain.reported_loss(
                "val_loss", report.val_loss, loss, len(data.x_val), net, t.l1, t.l2), "val_loss"))
        split, x, y = ("validation", data.x_val, data.y_val) if len(data.x_val) else ("training", data.x_train, data.y_train)
        prefix = "val_" if split == "validation" else ""
        if data.task == "regression":
            value = report.metrics.get(prefix + "rmse")
            if value is not None:
                items.append(Explainable(prefix + "rmse", fixed(value), lambda: explain.rmse(
                    trainer.backend.predict(net, x), y, data, split), prefix + "rmse"))
        else:
            value = report.metrics.get(prefix + "accuracy")
            if value is not None:
                items.append(Explainable(prefix + "acc", fixed(value * 100, 1, 5) + "%", lambda: explain.accuracy(
                    trainer.backend.predict(net, x), y, split), prefix + "acc"))
    measured = session.rate_measured
    if measured is not None and session.epochs_per_second:
        items.append(Explainable("ep/s", fixed(session.epochs_per_second, 0, 5),
                                 lambda: explain.epochs_per_second(*measured), "ep/s"))
    return items


def network_items(playground) -> list[Explainable]:
    """The network view's selection: its unit's z, a and δ, its weight's ∂L/∂w and Δw, its layer's
    parameter count, and the whole network's."""
    from nnterm.teach import explain
    from nnterm.teach.trace import trace_step
    trainer, view = playground.trainer, playground.views[0]
    net = trainer.network
    items = []
    column, unit, source = view.column, view.unit, view.source
    # The view names its selection from the snapshot it draws, which a network rebuilt a moment
    # ago has not had yet: then only the whole network's count is offered.
    if view.snapshot is not None and 1 <= column <= len(net.layers) and unit < net.layers[column - 1].units:
        layer, name = column - 1, view.neuron_name(column, unit)
        sample = lambda: trace_step(trainer, [0])
        first = _("sample 0")
        items += [
            Explainable(_("z of {neuron}").format(neuron=name), first, lambda: explain.weighted_sum(sample(), layer, unit), "z"),
            Explainable(_("a of {neuron}").format(neuron=name), first, lambda: explain.activation(sample(), layer, unit), "a"),
            Explainable(_("δ of {neuron}").format(neuron=name), first, lambda: explain.delta(sample(), layer, unit), "δ"),
        ]
        if source is not None:
            what = view.describe_weight()
            value = num(view.selected_value())
            items += [
                Explainable(_("∂L/∂w of the {what}").format(what=what), value, lambda: explain.gradient(trace_step(trainer), layer, source, unit),
                            "gradient"),
                Explainable(_("Δw of the {what}").format(what=what), value, lambda: explain.update(
                    trace_step(trainer), layer, source, unit, trainer.preset, net.layers[layer].trainable), "update"),
            ]
        items.append(Explainable(_("parameters of layer {number}").format(number=column), f"{net.layers[layer].n_params:,}",
                                 lambda: explain.parameters(net, layer), "parameters"))
    items.append(Explainable(_("parameters of the network"), f"{net.n_params:,}", lambda: explain.network_parameters(net),
                             "network parameters"))
    return items


def playground_items(playground) -> list[Explainable]:
    return status_items(playground) + network_items(playground)


def unit_explanation(playground, column: int, unit: int):
    """A unit under the mouse: its z and a for training sample 0, in one explanation."""
    from nnterm.teach import explain
    from nnterm.teach.trace import trace_step
    if column < 1:
        raise NntermError(_("an input has no weighted sum: it is a feature of the data, standardised"))
    trace = trace_step(playground.trainer, [0])
    layer = column - 1
    return explain.combined(explain.weighted_sum(trace, layer, unit), explain.activation(trace, layer, unit))


def weight_explanation(playground, layer: int, source: int, target: int):
    """A link under the mouse: its gradient and its step on the next minibatch, in one explanation."""
    from nnterm.teach import explain
    from nnterm.teach.trace import trace_step
    trainer = playground.trainer
    trace = trace_step(trainer)
    return explain.combined(explain.gradient(trace, layer, source, target),
                            explain.update(trace, layer, source, target, trainer.preset,
                                           trainer.network.layers[layer].trainable))
