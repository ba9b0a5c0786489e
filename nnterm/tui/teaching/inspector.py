"""The backprop inspector (key `i`): one training step, phase by phase, with the real numbers.

Every number comes from nnterm.teach.trace, which runs the engine's own traced kernel on the
trainer's current weights; this screen only decides what to show and what to highlight.

Keys: ←/→ sample (or type its number and press enter) · b one sample ↔ the next minibatch ·
space next phase, p previous, a all phases · ↑/↓ weight, [ / ] layer, z all weights of the
layer · n train one epoch · escape back.
"""
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from nnterm.errors import NntermError
from nnterm.presets.kinds import loss_formula
from nnterm.runtime.language import N_, _
from nnterm.runtime.numbers import num
from nnterm.teach.trace import epoch_changes, gradient_check, sub, trace_step, unit_health
from nnterm.tui.teaching.base import HIGHLIGHT, TeachingScreen
from nnterm.tui.widgets.wrapped_text import WrappedText

# A layer with more units than this shows one statistics line plus the selected unit.
UNIT_ROWS_MAX = 16
# A layer with more weights than this lists only the selected neuron's incoming weights
# (press z to list them all, up to WEIGHT_ROWS_MAX).
WEIGHTS_SHOWN_MAX = 24
WEIGHT_ROWS_MAX = 400
HEADER_INPUTS_MAX = 8      # inputs named in the header line; the layer 1 table has them all
HIDDEN = Text("·", style="dim")

# Msgids (N_), translated where the header shows them.
PHASE_HELP = {
    "forward": N_("Forward pass, layer {layer}: each neuron adds up its inputs times their weights, plus its bias "
                "(z = Σ w·a + b), then squashes the sum with its activation (a = f(z)). Layer 1's inputs are the sample's features."),
    "loss": N_("Loss: one number for how wrong the output p is against the right answer y — {formula}, "
             "over the traced rows. Training means making it smaller."),
    "backward": N_("Backward pass, layer {layer}: δ = ∂L/∂z is each neuron's share of the blame — how fast the loss "
                 "changes if its sum z changes. The output layer gets it from the loss; each earlier layer gets it back "
                 "through the weights (δ = f′(z)·Σ w·δ). A weight's gradient is the blame of the neuron it feeds times "
                 "the signal on its wire: ∂L/∂w = δ·a."),
    "update": N_("Update: the optimizer ({optimizer}, learning rate {lr}) moves every weight a small step against its "
               "gradient, so the loss goes down: Δw = −lr·∂L/∂w for plain SGD. This is the step training would take "
               "{scope}.{penalty}"),
}


def phase_steps(layers: int) -> list[tuple[str, int]]:
    """forward layer 1 … L → loss → backward layer L … 1 → update (layer −1: not per layer)."""
    return ([("forward", i) for i in range(layers)] + [("loss", -1)]
            + [("backward", i) for i in reversed(range(layers))] + [("update", -1)])


PHASE_NAMES = {"forward": N_("forward"), "loss": N_("loss"), "backward": N_("backward"), "update": N_("update")}


def step_label(step: tuple[str, int]) -> str:
    kind, layer = step
    return f"{_(PHASE_NAMES[kind])} {layer + 1}" if layer >= 0 else _(PHASE_NAMES[kind])


class InspectorScreen(TeachingScreen):
    """Backprop, step by step, on the playground's network and data."""

    PREFIX = "inspector"
    KEYS = N_("←/→ sample (or type a number, enter) · b sample ↔ minibatch · space next phase · p back · a all · "
            "↑/↓ weight · [ ] layer · z all weights · n train 1 epoch · esc back")
    EDITOR = False                         # a sample's number is typed as bare digits, into the header

    BINDINGS = [
        Binding("left", "sample(-1)", "sample −1"),
        Binding("right", "sample(1)", "sample +1"),
        Binding("space", "phase(1)", "next phase"),
        Binding("p", "phase(-1)", "previous phase"),
        Binding("a", "all_phases", "all phases"),
        Binding("up", "weight(-1)", "weight ↑"),
        Binding("down", "weight(1)", "weight ↓"),
        Binding("left_square_bracket", "layer(-1)", "layer −1"),
        Binding("right_square_bracket", "layer(1)", "layer +1"),
        Binding("z", "expand", "all weights"),
        Binding("n", "epoch", "train 1 epoch"),
        Binding("b", "batch", "sample ↔ minibatch"),
        Binding("enter", "enter", "go to sample", show=False),
        Binding("pagedown", "scroll_layers(1)", "scroll down", show=False),
        Binding("pageup", "scroll_layers(-1)", "scroll up", show=False),
        Binding("backspace", "erase", "erase digit", show=False),
    ]

    DEFAULT_CSS = """
    InspectorScreen #inspector-body { height: 1fr; }
    InspectorScreen #inspector-layers-scroll { width: 3fr; }
    InspectorScreen #inspector-side { width: 2fr; border-left: solid $primary; }
    InspectorScreen #inspector-chain, InspectorScreen #inspector-epoch { padding: 0 1; }
    InspectorScreen.narrow #inspector-body { layout: vertical; }
    InspectorScreen.narrow #inspector-layers-scroll { width: 1fr; height: 3fr; }
    InspectorScreen.narrow #inspector-side { width: 1fr; height: 2fr; border-left: none; border-top: solid $primary; }
    """
    # Narrower than this, the one weight's chain goes under the layers: side by side, the table's
    # columns shrank to "0.40…", and a number cut short is no number to read.
    SIDE_BY_SIDE_FROM = 110

    class EpochTrained(Message):
        """A training epoch finished (posted by the worker)."""

        def __init__(self, step) -> None:
            super().__init__()
            self.step = step

    class EpochFailed(Message):
        def __init__(self, reason: str) -> None:
            super().__init__()
            self.reason = reason

    class Traced(Message):
        """A traced step (and the units' health over the training set), from the trace thread."""

        def __init__(self, trace, health, error: str = "") -> None:
            super().__init__()
            self.trace, self.health, self.error = trace, health, error

    class Checked(Message):
        """A finite-difference check of one weight's gradient, from the check thread."""

        def __init__(self, trace, weight: tuple[int, int, int], check) -> None:
            super().__init__()
            self.trace, self.weight, self.check = trace, weight, check

    def __init__(self, session, sample: int = 0):
        super().__init__(session)
        self.sample = sample               # the training sample shown (single-sample mode)
        self.batch_mode = False            # b: trace the trainer's next minibatch instead
        self.focus = 0                     # which row of the traced batch the per-unit numbers are
        self.digits = ""                   # digits typed so far, for "go to sample"
        self.position = 0                  # index into phase_steps
        self.selected = (0, 0, 0)          # (layer, source, target); source −1 = bias
        self.expanded: set[int] = set()    # layers whose every weight is listed
        self.trace = None
        self.health = []
        self.checks = {}                   # (layer, source, target) → its gradient check, for this trace
        self.last_epoch = None
        self.busy = False                  # an epoch is training in the worker thread

    # --- layout ------------------------------------------------------------------------
    def body(self):
        with Horizontal(id="inspector-body"):
            with VerticalScroll(id="inspector-layers-scroll", can_focus=False):
                yield Static(id="inspector-layers")
            with VerticalScroll(id="inspector-side", can_focus=False):
                yield WrappedText(id="inspector-chain")
                yield WrappedText(id="inspector-epoch")

    def on_resize(self) -> None:
        self.set_class(self.size.width < self.SIDE_BY_SIDE_FROM, "narrow")

    def started(self) -> None:
        self.retrace()

    # --- state helpers -------------------------------------------------------------------
    @property
    def steps(self) -> list[tuple[str, int]]:
        return phase_steps(len(self.trainer.network.layers))

    @property
    def phase(self) -> tuple[str, int]:
        return self.steps[self.position]

    @property
    def n_samples(self) -> int:
        return self.trainer.data.x_train.shape[0]

    def reached(self, kind: str, layer: int = -1) -> bool:
        """Whether the numbers of (kind, layer) are shown yet: phases later than the current stay blank."""
        steps = self.steps
        key = (kind, layer) if (kind, layer) in steps else (kind, -1)
        return steps.index(key) <= self.position

    def current(self, kind: str, layer: int = -1) -> bool:
        return self.phase == (kind, layer)

    def cell(self, value: float, kind: str, layer: int = -1, style: str = "") -> Text:
        if not self.reached(kind, layer):
            return HIDDEN
        return Text(num(float(value)), style=HIGHLIGHT if self.current(kind, layer) else style)

    def retrace(self) -> None:
        """Re-runs the traced step for the current sample and weights — in a thread, as every
        kernel call here — and redraws when it is back (on_inspector_screen_traced)."""
        if self.busy:                      # the weights are changing under the epoch; retraced when it ends
            self.redraw()
            return
        self.trace_in_thread(self.trainer.peek_batch() if self.batch_mode else [self.sample])

    @work(thread=True, exclusive=True, exit_on_error=False, group="inspector-trace")
    def trace_in_thread(self, rows) -> None:
        try:
            trace = trace_step(self.trainer, rows)
            data = self.trainer.data     # dead / saturated: over the whole training set, not one sample
            self.post_message(self.Traced(trace, unit_health(self.trainer.network, data.x_train, data.y_train)))
        except NntermError as err:        # e.g. the data changed under us: say so, keep the screen
            self.post_message(self.Traced(None, None, str(err)))
        except Exception as err:          # in words on the screen, never a traceback
            self.post_message(self.Traced(None, None, _("the step could not be traced: {error}").format(error=err)))

    def on_inspector_screen_traced(self, message: Traced) -> None:
        if message.error:
            self.message = message.error
        else:
            self.trace, self.health, self.checks = message.trace, message.health, {}
            self.focus = min(self.focus, len(self.trace.rows) - 1) if self.batch_mode else 0
        self.clamp_selection()
        self.redraw()

    @work(thread=True, exclusive=True, exit_on_error=False, group="inspector-check")
    def check_in_thread(self, trace, weight: tuple[int, int, int]) -> None:
        self.post_message(self.Checked(trace, weight, gradient_check(trace, *weight)))

    def on_inspector_screen_checked(self, message: Checked) -> None:
        if message.trace is self.trace:
            self.checks[message.weight] = message.check
            self.redraw()

    def clamp_selection(self) -> None:
        layers = self.trainer.network.layers
        layer, source, target = self.selected
        layer = min(max(layer, 0), len(layers) - 1)
        fan_in, units = layers[layer].fan_in, layers[layer].units
        self.selected = (layer, min(max(source, -1), fan_in - 1), min(max(target, 0), units - 1))

    # --- actions -------------------------------------------------------------------------
    def may_leave(self) -> bool:
        if self.busy:                      # the playground may train again once we are gone: finish first
            self.message = _("finishing the epoch …")
            self.redraw()
            return False
        return True

    def action_sample(self, delta: int) -> None:
        self.digits = ""
        if self.batch_mode:                # walk the rows of the minibatch; its gradients stay the same
            if self.trace is None:         # the first trace is still being computed: nothing to walk yet
                return
            self.focus = (self.focus + delta) % len(self.trace.rows)
            self.redraw()
            return
        self.sample = (self.sample + delta) % self.n_samples
        self.retrace()

    def on_key(self, event) -> None:
        if event.character and event.character.isdigit():
            self.digits = (self.digits + event.character)[:9]
            event.stop()
            self.redraw()

    def action_erase(self) -> None:
        self.digits = self.digits[:-1]
        self.redraw()

    def action_enter(self) -> None:
        if not self.digits:
            self.action_phase(1)
            return
        wanted, self.digits = int(self.digits), ""
        if wanted >= self.n_samples:
            self.message = _("there is no sample {wanted}: the training set has {count} samples, numbered 0 … {last}").format(
                wanted=wanted, count=self.n_samples, last=self.n_samples - 1)
            self.redraw()
            return
        self.message = ""
        self.sample, self.batch_mode = wanted, False
        self.retrace()

    def action_batch(self) -> None:
        self.batch_mode = not self.batch_mode
        self.focus = 0
        self.retrace()

    def action_phase(self, delta: int) -> None:
        self.position = min(max(self.position + delta, 0), len(self.steps) - 1)
        self.redraw()

    def action_all_phases(self) -> None:
        self.position = len(self.steps) - 1
        self.redraw()

    def weight_order(self, layer: int) -> list[tuple[int, int]]:
        """(source, target) pairs of a layer, one neuron's bias and incoming weights after another."""
        lt = self.trainer.network.layers[layer]
        return [(source, target) for target in range(lt.units) for source in range(-1, lt.fan_in)]

    def action_weight(self, delta: int) -> None:
        layer, source, target = self.selected
        order = self.weight_order(layer)
        i = (order.index((source, target)) + delta) % len(order)
        self.selected = (layer, *order[i])
        self.redraw()

    def action_layer(self, delta: int) -> None:
        layer, source, target = self.selected
        self.selected = ((layer + delta) % len(self.trainer.network.layers), source, target)
        self.clamp_selection()
        self.redraw()

    def action_scroll_layers(self, direction: int) -> None:
        pane = self.query_one("#inspector-layers-scroll", VerticalScroll)
        pane.scroll_page_down() if direction > 0 else pane.scroll_page_up()

    def action_expand(self) -> None:
        layer = self.selected[0]
        self.expanded ^= {layer}
        self.redraw()

    def action_epoch(self) -> None:
        if self.busy:                      # one epoch at a time: only one thread may touch the trainer
            return
        self.busy = True
        self.message = _("training one epoch …")
        self.redraw()
        self.train_one_epoch()

    @work(thread=True, exclusive=True, exit_on_error=False, group="inspector-epoch")
    def train_one_epoch(self) -> None:
        try:
            self.post_message(self.EpochTrained(epoch_changes(self.trainer, self.one_epoch)))
        except Exception as err:           # said in words on the screen, never a traceback
            self.post_message(self.EpochFailed(_("the epoch could not be trained: {error}").format(error=err)))

    def one_epoch(self):
        """One epoch through the session (its training thread, its events); its report."""
        change = self.session.train_now(1)
        reports = change.extra.get("reports")
        if change.error or not reports:
            raise NntermError(change.said)
        return reports[-1]

    def on_inspector_screen_epoch_trained(self, message: EpochTrained) -> None:
        self.busy = False
        self.last_epoch = message.step
        report = message.step.report
        self.message = report.reason if report.stopped else ""
        self.retrace()

    def on_inspector_screen_epoch_failed(self, message: EpochFailed) -> None:
        self.busy = False
        self.message = message.reason
        self.redraw()

    # --- drawing -------------------------------------------------------------------------
    def draw(self) -> None:
        if self.trace is None:
            return
        self.query_one("#inspector-layers", Static).update(Group(*self.layer_sections()))
        self.query_one("#inspector-chain", Static).update(self.chain_panel())
        self.query_one("#inspector-epoch", Static).update(self.epoch_panel())

    def header(self):
        if self.trace is None:
            return Text(self.message or _("tracing …"))
        t = self.trace
        inputs = self.inputs_text(t.x[self.focus])
        target = ", ".join(num(float(v)) for v in t.y[self.focus])
        if self.batch_mode:
            shown = _("the next minibatch training will use ({count} samples); row {row}: sample {sample}").format(
                count=len(t.rows), row=self.focus + 1, sample=int(t.rows[self.focus]))
        else:
            shown = _("sample {sample} of {count} alone").format(sample=self.sample, count=self.n_samples)
        title = Text.assemble((_("Backprop inspector"), "bold"), " — " + _("epoch {epoch}, {shown} → right answer {target}").format(
            epoch=self.trainer.epoch, shown=shown, target=target))
        title.append("\n" + inputs)
        if self.digits:
            title.append("   " + _("go to sample: {digits}_").format(digits=self.digits), style="bold")
        bar = Text(_("phase: "))
        for i, step in enumerate(self.steps):
            if i:
                bar.append(" › ", style="dim")
            style = HIGHLIGHT if i == self.position else ("" if i < self.position else "dim")
            bar.append(step_label(step), style=style)
        kind, layer = self.phase
        scope = (_("on this minibatch: gradients and updates add up every sample's share") if self.batch_mode
                 else _("on this one sample (b: the next real minibatch)"))
        penalty = t.penalty_sentence()
        explain = _(PHASE_HELP[kind]).format(layer=layer + 1, formula=loss_formula(t.loss_name), optimizer=t.optimizer,
                                          lr=num(t.learning_rate), scope=scope, penalty=" " + penalty if penalty else "")
        parts = [title, bar, Text(explain, style="italic")]
        if self.message:
            parts.append(Text(self.message, style="bold"))
        return Group(*parts)

    def inputs_text(self, x) -> str:
        """The inputs as the network computes with them and, when the preset standardises, in the
        data's own units beside them — each said for what it is."""
        names = self.trace.feature_names
        listed = lambda values: (", ".join(f"{name} = {num(float(v))}" for name, v in list(zip(names, values))[:HEADER_INPUTS_MAX])
                                 + (", " + _("… ({count} inputs)").format(count=len(names)) if len(names) > HEADER_INPUTS_MAX else ""))
        if not self.trainer.preset.data.standardize:
            return _("inputs (the data's own values; this preset does not standardise): {inputs}").format(inputs=listed(x))
        raw = self.trainer.data.raw_inputs(x)
        return (_("standardised inputs (x − mean)/std, what the network computes with: {inputs}").format(inputs=listed(x))
                + "\n" + _("raw inputs, in the data's own units: {inputs}").format(inputs=listed(raw)))

    def layer_sections(self) -> list:
        t = self.trace
        out = []
        for lt in t.layers:
            i = lt.index
            title = Text((_("Layer {number} · {activation} · {fan_in} → {units} (output)") if i == len(t.layers) - 1 else
                          _("Layer {number} · {activation} · {fan_in} → {units}")).format(
                number=i + 1, activation=lt.activation, fan_in=lt.fan_in, units=lt.units), style="bold")
            if lt.activation == "relu" and lt.units <= UNIT_ROWS_MAX:     # a wide layer's stats line counts them
                title.append(" · " + _("dead ReLUs {dead} (on the training set)").format(dead=int(self.health[i][0].sum())))
            out.append(title)
            if lt.units <= UNIT_ROWS_MAX:
                out.append(self.unit_table(lt, range(lt.units)))
            else:
                out.append(self.stats_line(lt))
                out.append(self.unit_table(lt, [self.selected[2]] if self.selected[0] == i else [0]))
            out.append(self.weight_table(lt))
            if i == len(t.layers) - 1:
                out.append(Text.assemble("loss L = ", self.cell(t.loss, "loss"), f"   ({loss_formula(t.loss_name)})"))
            out.append(Text(""))
        return out

    def stats_line(self, lt) -> Text:
        stats = lt.stats()
        line = Text("  " + _("{count} units — mean |δ| ").format(count=lt.units))
        line.append_text(self.cell(stats.mean_abs_delta, "backward", lt.index))
        line.append("  ‖∂L/∂θ‖ ")
        line.append_text(self.cell(stats.grad_norm, "backward", lt.index))
        line.append("  " + _("update/weight") + " ")
        line.append_text(self.cell(stats.update_ratio, "update"))
        dead, saturated = self.health[lt.index]
        line.append("  " + _("dead ReLUs {dead}  saturated {saturated} (on the training set)").format(
            dead=int(dead.sum()), saturated=int(saturated.sum())))
        return line

    def unit_note(self, lt, k: int) -> str:
        dead, saturated = self.health[lt.index]
        return _("dead ReLU") if dead[k] else (_("saturated") if saturated[k] else "")

    def unit_table(self, lt, units) -> Table:
        i = lt.index
        table = Table(box=None, padding=(0, 1), show_edge=False)
        for name in ("", _("unit"), "z", "a", "δ = ∂L/∂z", "b", "∂L/∂b", "Δb", ""):
            table.add_column(name, justify="right")
        for k in units:
            mark = "▸" if self.selected[0] == i and self.selected[2] == k else ""
            f = self.focus
            table.add_row(mark, str(k + 1), self.cell(lt.z[f, k], "forward", i), self.cell(lt.a[f, k], "forward", i),
                          self.cell(lt.delta[f, k], "backward", i), Text(num(float(lt.bias[k]))),
                          self.cell(lt.grad_bias[k], "backward", i), self.cell(lt.update_bias[k], "update"),
                          Text(self.unit_note(lt, k), style="bold"))
        return table

    def weight_table(self, lt):
        i = lt.index
        sel_layer, sel_source, sel_target = self.selected
        everything = lt.fan_in * lt.units <= WEIGHTS_SHOWN_MAX or i in self.expanded
        target = sel_target if sel_layer == i else 0
        pairs = [(j, k) for k in range(lt.units) for j in range(lt.fan_in)] if everything else [(j, target) for j in range(lt.fan_in)]
        caption = (_("weights") if everything else
                   _("weights into unit {number} (of {count}; z lists them all, ↑/↓ walks the neurons)").format(
                       number=target + 1, count=lt.fan_in * lt.units))
        table = Table(box=None, padding=(0, 1), show_edge=False, title=caption, title_justify="left", title_style="dim")
        for name in ("", _("from → to"), "w", "∂L/∂w", "Δw", _("w after")):
            table.add_column(name, justify="right")
        for j, k in pairs[:WEIGHT_ROWS_MAX]:
            chosen = (sel_layer, sel_source, sel_target) == (i, j, k)
            table.add_row("▸" if chosen else "", f"{j + 1} → {k + 1}", Text(num(float(lt.weight[j, k])), style="bold" if chosen else ""),
                          self.cell(lt.grad_weight[j, k], "backward", i), self.cell(lt.update_weight[j, k], "update"),
                          self.cell(lt.weight_after[j, k], "update"))
        return table

    def chain_panel(self) -> Group:
        t = self.trace
        layer, source, target = self.selected
        rule = t.chain_rule(layer, source, target, focus=self.focus)
        needs = {"forward": ("forward", layer), "loss": ("loss", -1), "backward": ("backward", layer), "update": ("update", -1)}
        lines = [Text(_("Follow one weight: {weight}, layer {layer}").format(weight=rule.name, layer=layer + 1), style="bold"),
                 Text(_("from its input, through the loss, back to its update (↑/↓ and [ ] pick another)"), style="dim")]
        for kind, text in rule.lines:
            step = needs[kind]
            if self.reached(*step):
                lines.append(Text(text, style=HIGHLIGHT if self.current(*step) else ""))
            elif lines[-1].plain != "· " + _("{phase}: not reached yet").format(phase=_(PHASE_NAMES[kind])):
                lines.append(Text("· " + _("{phase}: not reached yet").format(phase=_(PHASE_NAMES[kind])), style="dim"))
        if self.reached("backward", layer):
            check = self.checks.get(self.selected)
            if check is None:
                self.check_in_thread(t, self.selected)
            line = check.line() if check is not None else _("gradient check: computing …")
            lines.append(Text(line, style=HIGHLIGHT if self.current("backward", layer) else ""))
        return Group(*lines)

    def epoch_panel(self):
        step = self.last_epoch
        if step is None:
            return Text("\n" + _("Press n to train one real epoch (every minibatch, through the trainer) and see every weight before → after."),
                        style="dim")
        report = step.report
        lines = [Text(""), Text(_("Epoch {epoch} trained: loss on the whole training set, before → after the epoch, "
                                  "{before} → {after}").format(epoch=report.epoch, before=num(step.loss_before),
                                                               after=num(step.loss_after)), style="bold"),
                 Text(_("(the status line's loss, {loss}, is the mean over the epoch's minibatches as the weights moved)").format(
                     loss=num(report.train_loss)), style="dim")]
        marks = []
        for i, (dead, saturated) in enumerate(step.health):
            if dead.any():
                marks.append(_("layer {layer}: dead ReLU unit(s) {units}").format(
                    layer=i + 1, units=", ".join(str(k + 1) for k in dead.nonzero()[0])))
            if saturated.any():
                marks.append(_("layer {layer}: saturated unit(s) {units}").format(
                    layer=i + 1, units=", ".join(str(k + 1) for k in saturated.nonzero()[0])))
        lines.append(Text(_("; ").join(marks) if marks else _("no dead ReLUs, no saturated units"), style="bold" if marks else "dim"))
        table = Table(box=None, padding=(0, 1), show_edge=False)
        for name in (_("weight"), _("before"), _("after"), _("change")):
            table.add_column(name, justify="right")
        for layer, source, target, old, new, change in step.weight_changes()[:WEIGHT_ROWS_MAX]:
            name = f"b{sub(target + 1)}" if source < 0 else f"w{sub(source + 1, target + 1)}"
            table.add_row(_("layer {layer} {weight}").format(layer=layer + 1, weight=name), num(old), num(new), num(change))
        lines.append(table)
        return Group(*lines)

    # --- what X explains (nnterm/tui/teaching/explainables.py) ----------------------------------
    def explainables(self) -> list:
        from nnterm.tui.teaching.explainables import inspector_items
        return inspector_items(self)

    def explained_terms(self) -> tuple:
        from nnterm.tui.teaching.explainables import INSPECTOR_TERMS
        return INSPECTOR_TERMS
