"""The neuron lab (key `l`): one neuron with named inputs, its weights and bias in your hands.

Every number comes from nnterm.teach.neuron_lab, which runs the engine's kernels on a one-unit
network; this screen only shows them and sends edits.

Keys: ↑/↓ pick a row (an input, or the bias) · tab switch between its input x and weight w ·
+/− nudge it · e type a value · f next activation · v what the side shows (the shape f(z), f′(z);
softmax over three units; every activation at this z) · t one training step · [ / ] learning
rate · s the other neuron · r reset · escape back.
"""
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from nnterm.errors import NntermError
from nnterm.presets.kinds import loss_formula
from nnterm.runtime.language import N_, _, ngettext
from nnterm.runtime.numbers import ROUNDING_MARK, ROUNDING_NOTE, num
from nnterm.teach.neuron_lab import NEURON_ACTIVATIONS, SETUPS, VIEWS, Neuron
from nnterm.tui.teaching.base import HIGHLIGHT, RATE_BINDINGS, TeachingScreen
from nnterm.tui.widgets.curve_plot import CurvePlot
from nnterm.tui.widgets.palette import CLASS_COLOURS, GREEN, hex_colour
from nnterm.tui.widgets.wrapped_text import WrappedText

NUDGE = 0.1
F_COLOUR = (90, 170, 255)            # f(z), p₁: a light blue that reads on either theme
SLOPE_COLOUR = GREEN                 # f′(z), ∂p₁/∂z₁
SOFTMAX_COLOURS = (F_COLOUR, CLASS_COLOURS[3], CLASS_COLOURS[5], SLOPE_COLOUR)


class NeuronLabScreen(TeachingScreen):
    """One neuron up close. It is the lab's own neuron: the playground's network is not changed."""

    PREFIX = "lab"
    KEYS = N_("↑/↓ row · tab x ↔ w · +/− nudge · e type a value · f activation · v shape/softmax/table · t train 1 step · "
            "[ ] learning rate · s other neuron · r reset · esc back")
    NUMBER_EXAMPLE = "0.5 or -3"

    BINDINGS = [
        Binding("up", "row(-1)", "row ↑"),
        Binding("down", "row(1)", "row ↓"),
        Binding("tab", "column", "x ↔ w"),
        Binding("plus,equals_sign", "nudge(1)", "+0.1"),
        Binding("minus", "nudge(-1)", "−0.1"),
        Binding("e", "edit", "type a value"),
        Binding("f", "activation", "next activation"),
        Binding("v", "view", "what the side shows"),
        Binding("t", "train", "train 1 step"),
        *RATE_BINDINGS,
        Binding("s", "switch", "other neuron"),
        Binding("r", "reset", "reset"),
    ]

    DEFAULT_CSS = """
    NeuronLabScreen #lab-body { height: 1fr; }
    NeuronLabScreen #lab-neuron-scroll { width: 3fr; }
    NeuronLabScreen #lab-side { width: 2fr; border-left: solid $primary; }
    NeuronLabScreen #lab-shape { height: 1fr; min-height: 6; max-height: 18; padding: 0 1; }
    NeuronLabScreen #lab-side-scroll { height: 1fr; }
    NeuronLabScreen #lab-shape-title, NeuronLabScreen #lab-shape-values { height: auto; padding: 0 1; }
    NeuronLabScreen #lab-neuron, NeuronLabScreen #lab-activations, NeuronLabScreen #lab-training { padding: 0 1; }
    """

    def __init__(self, session=None, setup: str = "score"):
        super().__init__(session)          # the playground's session; the lab never trains it
        self.neuron = Neuron(SETUPS[setup])
        self.row = 0                       # 0 … n−1 an input, n the bias
        self.column = "w"                  # "x" (the input's value) or "w" (its weight)
        self.edited = (0, "w")             # the field the open prompt names: ↑/↓ may move on meanwhile
        self.last_step = None
        self.view = VIEWS[0]

    def body(self):
        with Horizontal(id="lab-body"):
            with VerticalScroll(id="lab-neuron-scroll", can_focus=False):
                yield WrappedText(id="lab-neuron")
            with Vertical(id="lab-side"):
                yield Static(id="lab-shape-title")
                yield CurvePlot(id="lab-shape")
                yield Static(id="lab-shape-values")
                with VerticalScroll(id="lab-side-scroll", can_focus=False):
                    yield Static(id="lab-activations")
                    yield WrappedText(id="lab-training")

    # --- what is selected ------------------------------------------------------------------
    @property
    def on_bias(self) -> bool:
        return self.row == len(self.neuron.names)

    def field_name(self) -> str:
        if self.on_bias:
            return "bias b"
        name = self.neuron.names[self.row]
        return f"input {name}" if self.column == "x" else f"weight of {name}"

    def field_value(self) -> float:
        if self.on_bias:
            return self.neuron.bias
        return float(self.neuron.inputs[self.row] if self.column == "x" else self.neuron.weights[self.row])

    def set_field(self, value: float) -> None:
        self.last_step = None              # its gradients were the old neuron's: t takes a fresh step
        if self.on_bias:
            self.neuron.set_bias(value)
        elif self.column == "x":
            self.neuron.set_input(self.row, value)
        else:
            self.neuron.set_weight(self.row, value)

    # --- actions -----------------------------------------------------------------------------
    def action_row(self, delta: int) -> None:
        self.row = (self.row + delta) % (len(self.neuron.names) + 1)
        self.redraw()

    def action_column(self) -> None:
        self.column = "x" if self.column == "w" else "w"
        self.redraw()

    def action_nudge(self, direction: int) -> None:
        self.set_field(round(self.field_value() + direction * NUDGE, 10))
        self.message = ""
        self.redraw()

    def action_edit(self) -> None:
        self.edited = (self.row, self.column)
        self.editor.open("field", f"new value for the {self.field_name()} (now {num(self.field_value())}), then enter")

    def typed(self, what: str, value: float) -> None:
        # The value goes where the prompt said, even if ↑/↓ moved the marker while it was open.
        self.row, self.column = self.edited
        self.set_field(value)
        self.message = ""

    def action_activation(self) -> None:
        names = NEURON_ACTIVATIONS
        self.neuron.set_activation(names[(names.index(self.neuron.activation) + 1) % len(names)])
        self.last_step = None
        self.redraw()

    def action_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.redraw()

    def action_train(self) -> None:
        try:
            self.last_step = self.neuron.train_step()
            self.message = ""
        except NntermError as err:
            self.message = str(err)
        self.redraw()

    def scale_rate(self, factor: float) -> None:
        self.neuron.set_learning_rate(self.neuron.learning_rate * factor)
        self.last_step = None              # its Δw were taken at the old rate

    def action_switch(self) -> None:
        keys = list(SETUPS)
        key = keys[(keys.index(self.neuron.setup.key) + 1) % len(keys)]
        self.neuron = Neuron(SETUPS[key])
        self.row, self.last_step, self.message = 0, None, ""
        self.redraw()

    def action_reset(self) -> None:
        self.neuron.reset()
        self.last_step, self.message = None, ""
        self.redraw()

    # --- drawing -----------------------------------------------------------------------------
    def draw(self) -> None:
        self.query_one("#lab-neuron", Static).update(self.neuron_panel())
        self.draw_side_view()
        self.query_one("#lab-training", Static).update(self.training_panel())

    def draw_side_view(self) -> None:
        """The shape (f and f′, or softmax's p and ∂p₁/∂z₁) or every activation's value, as `view` says."""
        plotted = self.view != "table"
        for part in ("#lab-shape-title", "#lab-shape", "#lab-shape-values"):
            self.query_one(part).display = plotted
        activations = self.query_one("#lab-activations", Static)
        activations.display = not plotted
        if not plotted:
            activations.update(self.activation_panel())
            return
        plot = self.query_one("#lab-shape", CurvePlot)
        points = 2 * max(plot.plot_width(), 30) + 1
        shape = self.neuron.activation_shape(points) if self.view == "shape" else self.neuron.softmax_shape(points=points)
        colours = (F_COLOUR, SLOPE_COLOUR) if self.view == "shape" else SOFTMAX_COLOURS
        plot.show(shape.z, shape.curves, shape.at, colours)
        title = Text(shape.title, style="bold")
        if self.view == "softmax":
            title.append("  " + _("(v: every activation)"), style="dim")
        else:
            title.append("  " + _("(v: softmax)"), style="dim")
        self.query_one("#lab-shape-title", Static).update(title)
        values = Text(_("at z = {z}: ").format(z=num(shape.at)))
        for i, ((label, value), colour) in enumerate(zip(shape.values, colours)):
            values.append(("  " if i else "") + "━ ", style=f"bold {hex_colour(colour)}")
            values.append(f"{label} = {num(value)}")
        self.query_one("#lab-shape-values", Static).update(values)

    def header(self) -> Group:
        setup = self.neuron.setup
        parts = [Text.assemble((_("Neuron lab"), "bold"), f" — {_(setup.title)}"), Text(_(setup.story), style="italic"),
                 Text(_("A neuron multiplies each input by its weight, adds them up with its bias, z = Σ w·x + b, "
                        "and passes the sum through its activation: a = f(z)."), style="dim")]
        if self.message:
            parts.append(Text(self.message, style="bold"))
        return Group(*parts)

    def neuron_panel(self) -> Group:
        n = self.neuron
        table = Table(box=None, padding=(0, 1), show_edge=False)
        for name, justify in (("", "right"), (_("input"), "left"), ("x", "right"), ("w", "right"), ("w·x", "right")):
            table.add_column(name, justify=justify)
        for i, (name, x, w, product) in enumerate(n.terms()):
            chosen = i == self.row
            style = lambda col: HIGHLIGHT if chosen and self.column == col else ""
            table.add_row("▸" if chosen else "", _(name), Text(num(x), style=style("x")), Text(num(w), style=style("w")),
                          num(product))
        table.add_row("▸" if self.on_bias else "", _("bias b"), "", Text(num(n.bias), style=HIGHLIGHT if self.on_bias else ""),
                      num(n.bias))
        z, a = n.weighted_sum(), n.output()
        parts = [table, Text(""),
                 Text(f"z = Σ w·x + b = {num(z)}", style="bold"),
                 Text(f"a = {n.activation}(z) = {num(a)}", style="bold")]
        if n.is_dead():
            parts += [Text(""), Text(_("DEAD ReLU: z ≤ 0 for every example and for the input above, so the neuron outputs 0 "
                                       "everywhere and its slope there is 0 — no gradient reaches its weights and training "
                                       "cannot bring it back. Raise the bias or a weight."), style="bold reverse")]
        return Group(*parts)

    def activation_panel(self) -> Group:
        n = self.neuron
        table = Table(box=None, padding=(0, 1), show_edge=False)
        table.add_column("")
        table.add_column("f")
        table.add_column("f(z)", justify="right")
        for name, value in n.outputs_by_activation().items():
            mine = name == n.activation
            table.add_row("▸" if mine else "", name, Text(num(value), style="bold" if mine else ""))
        return Group(Text(_("every activation at z = {z}").format(z=num(n.weighted_sum())), style="bold"), table,
                     Text(_("f picks the next one"), style="dim"))

    def training_panel(self) -> Group:
        n = self.neuron
        z, a = n.example_outputs()
        scale = n.magnitude()
        shown = lambda value, size=scale: num(float(value), scale=size)      # a rounding leftover as ≈0
        table = Table(box=None, padding=(0, 1), show_edge=False)
        for name in (_("example"), _("answer y"), "z", "a", "a − y"):
            table.add_column(name, justify="right")
        cells = []
        for example, zi, ai in zip(n.examples, z, a):
            row = [num(example.target), shown(zi), shown(ai), shown(ai - example.target)]
            cells += row
            table.add_row(_(example.label), *row)
        title = _("examples it learns from ({loss}, learning rate {rate})").format(loss=loss_formula(n.network.loss),
                                                                                  rate=num(n.learning_rate))
        loss = shown(n.loss(), scale * scale)
        cells.append(loss)
        parts = [Text(""), Text(title, style="bold"), table,
                 Text(ngettext("loss L = {loss} after {count} training step", "loss L = {loss} after {count} training steps",
                               n.steps).format(loss=loss, count=n.steps), style="bold")]
        step = self.last_step
        if step is not None:
            parts += [Text(_("last step: loss {before} → {after}").format(before=shown(step.loss_before, scale * scale),
                                                                            after=shown(step.loss_after, scale * scale))),
                      Text(_("each weight moved against its gradient, Δw = −lr · ∂L/∂w:"), style="dim")]
            moves = Table(box=None, padding=(0, 1), show_edge=False)
            for name in ("", "∂L/∂w", "Δw", _("now")):
                moves.add_column(name, justify="right")
            rows = [(name, g, u, w) for name, g, u, w in zip(n.names, step.grad_weights, step.update_weights, n.weights)]
            for name, g, u, w in rows + [("bias b", step.grad_bias, step.update_bias, n.bias)]:
                row = [shown(g), shown(u), shown(w)]
                cells += row
                moves.add_row(_(name), *row)
            parts.append(moves)
        else:
            parts.append(Text(_("press t to take one training step"), style="dim"))
        if ROUNDING_MARK in cells:
            parts.append(Text(_(ROUNDING_NOTE), style="dim"))
        return Group(*parts)

    # --- what X explains (nnterm/tui/teaching/explainables.py) ----------------------------------
    def explainables(self) -> list:
        from nnterm.tui.teaching.explainables import neuron_lab_items
        return neuron_lab_items(self)

    def explained_terms(self) -> tuple:
        from nnterm.tui.teaching.explainables import NEURON_LAB_TERMS
        return NEURON_LAB_TERMS
