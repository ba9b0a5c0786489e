from nnterm.runtime.language import _, N_, ngettext
from nnterm.runtime.cells import pad, width
from nnterm.runtime.numbers import exact

HELP = N_("trace one training step through backprop: z, a, δ, gradients and the update, per layer (text or --json)")

PHASE_CHOICES = ("all", "forward", "backward", "update")
# Layers with more weights than this print one statistics line instead of a weight table.
WEIGHT_TABLE_MAX = 100
MATRIX_COLUMNS_MAX = 12


def add_arguments(parser) -> None:
    from nnterm.commands.options import add_preset_options
    add_preset_options(parser)
    parser.add_argument("--epochs", type=int, default=0, metavar="K",
                        help=_("train K epochs first, then trace the next step (default 0: the fresh network)"))
    parser.add_argument("--sample", type=int, default=None, metavar="I",
                        help=_("trace training sample I alone, as a batch of one (default: the next minibatch)"))
    parser.add_argument("--phase", default="all", metavar="PHASE",
                        help=_("which numbers to print: all, forward (z, a), backward (δ, gradients), update (default: all)"))
    parser.add_argument("--weight", default=None, metavar="L,J,K",
                        help=_("the weight whose chain rule to write out: layer L, from input/unit J (0 for the bias) "
                             "to unit K, all 1-based (default: 1,1,1)"))
    parser.add_argument("--json", action="store_true", help=_("print the trace as one JSON object"))


def parse_weight(text: str | None) -> tuple[int, int, int]:
    """`L,J,K` (1-based, J = 0 for the bias) → (layer, source, target) 0-based, source −1 for the bias."""
    from nnterm.errors import NntermError
    if text is None:
        return 0, 0, 0
    parts = text.split(",")
    if len(parts) != 3 or not all(p.strip().lstrip("-").isdigit() for p in parts):
        raise NntermError(_("--weight {text}: expected three whole numbers L,J,K, for example --weight 2,1,3 (layer 2, from unit 1 to unit 3; J = 0 for the bias)").format(text=text))
    layer, source, target = (int(p) for p in parts)
    return layer - 1, source - 1, target - 1


def table(headers: list[str], rows: list[list]) -> list[str]:
    """Right-aligned columns, two spaces apart, a rule under the header."""
    grid = [headers] + [[c if isinstance(c, str) else exact(c) for c in row] for row in rows]
    widths = [max(width(r[i]) for r in grid) for i in range(len(headers))]    # in cells: headers may be Chinese
    line = lambda r: "  ".join(pad(c, w, ">") for c, w in zip(r, widths))
    return [line(grid[0]), "  ".join("─" * w for w in widths)] + [line(r) for r in grid[1:]]


def mark(lt, k: int, rows: int, health) -> str:
    """Dead means never active on the whole training set (`health`, as the inspector says it);
    a unit silent on the traced rows alone is only inactive there."""
    dead, saturated = health[lt.index]
    if dead[k]:
        return _("dead (inactive on every training sample)")
    if lt.dead[k]:
        return _("inactive on this sample") if rows == 1 else _("inactive on this batch")
    if saturated[k]:
        return _("saturated (on every training sample)")
    if lt.saturated[k]:
        return _("saturated on this sample") if rows == 1 else _("saturated on this batch")
    return ""


def forward_section(trace, focus: int, health) -> list[str]:
    out = []
    rows = len(trace.rows)
    for lt in trace.layers:
        out.append(_("forward · layer {layer} ({activation}, {fan_in} → {units}):  z = a_prev·W + b,  a = {activation}(z)").format(
            layer=lt.index + 1, activation=lt.activation, fan_in=lt.fan_in, units=lt.units))
        out += table([_("unit"), "z", "a", _("note")], [[str(k + 1), float(lt.z[focus, k]), float(lt.a[focus, k]), mark(lt, k, rows, health)]
                                                 for k in range(lt.units)])
        out.append("")
    return out


def backward_section(trace, focus: int) -> list[str]:
    out = []
    for lt in reversed(trace.layers):
        out.append(_("backward · layer {layer}:  δ = ∂L/∂z,  ∂L/∂b = Σ δ,  ∂L/∂w = Σ a_prev·δ").format(layer=lt.index + 1))
        out += table([_("unit"), "δ", "∂L/∂b"], [[str(k + 1), float(lt.delta[focus, k]), float(lt.grad_bias[k])]
                                             for k in range(lt.units)])
        out += weight_matrix(lt, "∂L/∂w", lt.grad_weight)
        out.append("")
    return out


def update_section(trace) -> list[str]:
    out = []
    for lt in trace.layers:
        names = list(lt.state)
        out.append(_("update · layer {layer} ({optimizer}, learning rate {rate}):  Δ = what the optimizer added").format(
            layer=lt.index + 1, optimizer=trace.optimizer, rate=exact(trace.learning_rate)))
        out += table([_("unit"), "b", "Δb", _("b after")] + names,
                     [[str(k + 1), float(lt.bias[k]), float(lt.update_bias[k]), float(lt.bias_after[k])]
                      + [float(lt.state[n][1][k]) for n in names] for k in range(lt.units)])
        out += weight_matrix(lt, _("w before"), lt.weight)
        out += weight_matrix(lt, "Δw", lt.update_weight)
        out += weight_matrix(lt, _("w after"), lt.weight_after)
        for name in names:
            out += weight_matrix(lt, _("optimizer state {name}").format(name=name), lt.state[name][0])
        out.append("")
    return out


def weight_matrix(lt, title: str, values) -> list[str]:
    """A (fan_in, units) matrix: a row per input / unit of the layer before, a column per unit."""
    if lt.fan_in * lt.units > WEIGHT_TABLE_MAX or lt.units > MATRIX_COLUMNS_MAX:
        return [_("{title}: {fan_in}×{units} weights, norm {norm}, mean |·| {mean} (--json has every one)").format(
            title=title, fan_in=lt.fan_in, units=lt.units, norm=exact(float((values ** 2).sum() ** 0.5)),
            mean=exact(float(abs(values).mean())))]
    rows = [[_("from {number}").format(number=j + 1)] + [float(values[j, k]) for k in range(lt.units)] for j in range(lt.fan_in)]
    return [_("{title}:").format(title=title)] + table([""] + [_("to {number}").format(number=k + 1) for k in range(lt.units)], rows)


def text_report(trace, preset_name: str, phase: str, weight: tuple[int, int, int], health) -> str:
    """`health`: (dead, saturated) per layer over the whole training set (teach.trace.unit_health)."""
    from nnterm.presets.kinds import loss_formula
    from nnterm.teach.trace import gradient_check
    focus = 0
    rows = len(trace.rows)
    first = int(trace.rows[0])
    batch = (_("sample {sample} alone").format(sample=first) if rows == 1 else
             _("the next minibatch of {rows} (first: sample {sample})").format(rows=rows, sample=first))
    epochs = ngettext("{count} epoch", "{count} epochs", trace.epoch).format(count=trace.epoch)
    out = [_("{preset}: optimizer step {step} (after {epochs}) on {batch}; {optimizer}, learning rate {rate}, loss {loss}").format(
               preset=preset_name, step=trace.step, epochs=epochs, batch=batch, optimizer=trace.optimizer,
               rate=exact(trace.learning_rate), loss=trace.loss_name),
           _("inputs: {inputs}   target: {target}").format(
               inputs=", ".join(f"{name} = {exact(v)}" for name, v in zip(trace.feature_names, trace.x[focus])),
               target=", ".join(exact(v) for v in trace.y[focus])),
           ""]
    if rows > 1:
        out[-1:] = [_("per-unit numbers are those of the first sample; gradients and updates are the batch's"), ""]
    if phase in ("all", "forward"):
        out += forward_section(trace, focus, health)
    loss_line = (_("loss: {loss} on this sample, {formula}") if rows == 1 else
                 _("loss: {loss} over this batch of {rows}, {formula}"))
    out += [loss_line.format(loss=exact(trace.loss), rows=rows, formula=loss_formula(trace.loss_name)), ""]
    if phase in ("all", "backward"):
        out += backward_section(trace, focus)
    if phase in ("all", "update"):
        out += update_section(trace)
    if phase == "all":
        rule = trace.chain_rule(*weight, focus=focus)
        out += [_("one weight, from the loss to the update: {weight} of layer {layer}").format(weight=rule.name, layer=weight[0] + 1)]
        out += [f"  {text}" for _kind, text in rule.lines]
        out += [f"  {gradient_check(trace, *weight).line()}"]
    return "\n".join(out).rstrip()


def run(args) -> int:
    from nnterm.runtime.visible import visible
    from nnterm.runtime.numbers import json_text

    from nnterm.commands.options import load_from_args
    from nnterm.errors import NntermError
    if args.phase not in PHASE_CHOICES:
        raise NntermError(_("--phase {phase}: not one of {phases}").format(phase=args.phase, phases=", ".join(PHASE_CHOICES)))
    if args.epochs < 0:
        raise NntermError(_("--epochs {epochs}: the number of epochs to train first must be 0 or more").format(epochs=args.epochs))
    weight = parse_weight(args.weight)
    preset = load_from_args(args)
    from nnterm.teach.trace import check_weight, gradient_check, trace_step, unit_health
    from nnterm.engine.trainer import Trainer
    trainer = Trainer(preset, seed=args.seed, backend=args.backend)
    n = trainer.data.x_train.shape[0]
    if args.sample is not None and not 0 <= args.sample < n:
        raise NntermError(_("--sample {sample}: the training set of {name} has {n} samples, numbered 0 … {last}").format(sample=args.sample, name=preset.name, n=n, last=n - 1))
    check_weight(trainer.network.sizes, *weight)       # before any kernel runs (or compiles)
    stop = next((r for r in trainer.run(args.epochs) if r.stopped), None) if args.epochs else None
    trace = trace_step(trainer, None if args.sample is None else [args.sample])
    if args.json:
        out = {"preset": preset.name, **trace.to_dict(args.phase)}
        if stop is not None:
            out["stopped"] = stop.reason
        if args.phase == "all":
            rule, check = trace.chain_rule(*weight), gradient_check(trace, *weight)
            out["chain_rule"] = {"layer": weight[0] + 1, "source": weight[1] + 1, "target": weight[2] + 1,
                                 "weight": rule.name, "gradient": rule.gradient, "update": rule.update,
                                 "lines": [text for _kind, text in rule.lines]}
            out["gradient_check"] = {"analytic": check.analytic, "numeric": check.numeric,
                                     "relative_error": check.relative_error, "step": check.step}
        print(json_text(out))
        return 0
    if stop is not None:
        print(stop.reason)
    health = unit_health(trainer.network, trainer.data.x_train, trainer.data.y_train)
    print(visible(text_report(trace, preset.name, args.phase, weight, health), keep_newlines=True))
    return 0
