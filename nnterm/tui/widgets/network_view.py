"""NetworkView: the network as TensorFlow Playground draws it, from a Snapshot.

Columns left to right: the input features, each layer's neurons, the output. For 2-D data
each neuron is a small half-block heatmap of its activation over the input plane (the
snapshot's neuron maps); otherwise a swatch of its bias. Links are braille lines coloured by
the weight's sign (blue +, orange −), brighter the larger |w| is within the layer; the
strongest link wins a shared cell. A layer too tall for the panel (or over MAX_DRAWN units)
is shown as a summary: units, activation, mean |w|, min and max.

Selection (arrows or the mouse) picks a neuron — its bias, activation and incoming weights
are shown — or, with [ and ], one of its incoming weights (bias first). Enter types a new
value: the view posts WeightEdit. + − a x A ask for architecture changes: ArchitectureEdit.
A double-click on a neuron or a link asks for its explanation: ExplainAsked.
The shell owns the trainer; this widget only draws and asks.
"""
from dataclasses import dataclass, field

import numpy as np
from textual.binding import Binding
from textual.events import Click
from textual.message import Message

from nnterm.kernels.codes import ACTIVATIONS, HIDDEN_ACTIVATIONS
from nnterm.runtime.cells import cut, pad
from nnterm.runtime.cells import width as width_of
from nnterm.runtime.language import N_, _, ngettext
from nnterm.runtime.numbers import weight_text
from nnterm.presets.edits import NEW_LAYER_UNITS, AddLayer, AddNeuron, NetworkEdit, RemoveLayer, RemoveNeuron, SetActivation
from nnterm.tui.widgets.canvas import Canvas, braille_char, braille_lines, resample
from nnterm.tui.widgets.heatmap import OutputView
from nnterm.tui.widgets.painted import PaintedView
from nnterm.tui.widgets.palette import BLUE, ORANGE, blend, hex_colour, label_colour, muted, neutral, ramp_array, style
from nnterm.tui.widgets.palette import selected as selected_colour
from nnterm.tui.widgets.weight_editor import WeightEditor

MAX_DRAWN = 16                                  # more units than this: a summary column
BOXES = ((6, 3, 1), (4, 2, 1), (2, 1, 1), (2, 1, 0))      # neuron box (cells wide, cells tall, gap below), largest first
SUMMARY_WIDTH = 12
MIN_LINK_GAP = 2                                # cells between columns, for the links (4 braille dots)
MAX_LINK_GAP = 16
LABEL_WIDTH = 7                                 # input feature names, left of their boxes
COMPACT_WIDTH = 44                              # narrower panels name neurons briefly (L1·2, out·1)


def link_legend(width: int) -> str:
    """What a link's colour means, as border markup that fits a panel `width` wide: the sign of
    its weight and, where there is room, its size."""
    signs = f"[{hex_colour(BLUE)}]━[/] w > 0  [{hex_colour(ORANGE)}]━[/] w < 0"
    return _("links: {signs}  fainter = smaller |w|").format(signs=signs) if width >= 50 else signs


def weight_stats(mean_abs: float, low: float, high: float, room: int) -> str:
    """A layer's weights in a line of `room` columns, never a number cut: the mean |w| and the range
    when they fit, else the range alone, with two decimals."""
    span = f"w ∈ [{weight_text(low, 2)}, {weight_text(high, 2)}]"
    whole = f"|w| {weight_text(mean_abs, 2)} · {span}"
    return whole if len(whole) <= room else span


@dataclass
class Column:
    """One drawn column: the inputs (index 0) or network layer index − 1."""
    index: int
    units: int
    drawn: bool                  # neuron boxes (else a summary block)
    x: int = 0                   # left cell of the boxes (or of the summary)
    width: int = 0
    tops: list[int] = field(default_factory=list)    # top row of each unit's box


def plan_columns(sizes, feature_names, width: int, top: int, avail: int):
    """Picks the box size that draws the most columns, then the largest box; places columns.

    Returns (columns, box) with box = (w, h, gap), or the smallest box with every column a
    summary when even that does not fit, or (None, None) when not even the summaries fit side
    by side (the view then lists the layers as a table, one row each).
    """
    best = None
    for box in BOXES:
        bw, bh, gap = box
        drawn = [u <= MAX_DRAWN and u * bh + (u - 1) * gap <= avail for u in sizes]
        label = min(LABEL_WIDTH, max((len(n) for n in feature_names), default=0)) + 1 if drawn[0] else 0
        used = sum(bw if d else SUMMARY_WIDTH for d in drawn) + label
        fits = width - used >= MIN_LINK_GAP * (len(sizes) - 1)
        score = (fits, sum(drawn), bw)
        if best is None or score > best[0]:
            best = (score, box, drawn, label, used)
    (fits, *_rest), box, drawn, label, used = best
    if not fits:                                    # too narrow for links: summaries, side by side
        drawn = [False] * len(sizes)
        label, used = 0, SUMMARY_WIDTH * len(sizes)
        if used + len(sizes) - 1 > width:
            return None, None
    bw, bh, gap = box
    gaps = len(sizes) - 1
    link_gap = min(MAX_LINK_GAP, (width - used) // gaps) if gaps else 0
    link_gap = max(1, link_gap)
    x = max(0, (width - used - link_gap * gaps) // 2) + label
    columns = []
    for index, (units, is_drawn) in enumerate(zip(sizes, drawn)):
        col = Column(index, units, is_drawn, x, bw if is_drawn else SUMMARY_WIDTH)
        if is_drawn:
            block = units * bh + (units - 1) * gap
            start = top + max(0, (avail - block) // 2)
            col.tops = [start + u * (bh + gap) for u in range(units)]
        columns.append(col)
        x += col.width + link_gap
    return columns, box


class NetworkView(PaintedView, can_focus=True):
    """The network panel. `show(snapshot)` draws it; the shell handles the messages it posts."""

    DEFAULT_CSS = """
    NetworkView { width: 1fr; height: 1fr; min-height: 4; }
    """
    BINDINGS = [
        Binding("up", "move(0, -1)", N_("Select"), key_display="↑↓←→"),
        Binding("down", "move(0, 1)", N_("Down"), show=False),
        Binding("left", "move(-1, 0)", N_("Left"), show=False),
        Binding("right", "move(1, 0)", N_("Right"), show=False),
        Binding("left_square_bracket", "cycle_weight(-1)", N_("Prev weight"), show=False),
        Binding("right_square_bracket", "cycle_weight(1)", N_("Weight"), key_display="[ ]"),
        Binding("enter", "edit", N_("Edit value")),
        Binding("plus,equals_sign", "neurons(1)", N_("+ neuron")),
        Binding("minus", "neurons(-1)", N_("− neuron")),
        Binding("a", "add_layer", N_("Add layer")),
        Binding("x", "remove_layer", N_("Remove layer")),
        Binding("A", "cycle_activation", N_("Activation")),
        Binding("f", "freeze", N_("Freeze"), show=False),
        # The output view's toggles, so they work while the network has the focus (it has it first).
        Binding("t", "output('toggle_test_points')", N_("Test points"), show=False),
        Binding("z", "output('toggle_discretize')", N_("Discretize"), show=False),
    ]

    KEY_HELP = {       # words for the help screen (key ?), by action
        "move": N_("select a neuron (arrows; or click one)"),
        "cycle_weight": N_("select the neuron's next / previous incoming weight, its bias first (or click a link)"),
        "edit": N_("type a new value for the selected weight or bias"),
        "neurons": N_("add (+) or remove (−) a neuron in the selected hidden layer"),
        "add_layer": N_("add a hidden layer after the selected one"),
        "remove_layer": N_("remove the selected hidden layer"),
        "cycle_activation": N_("the selected layer's next activation"),
        "freeze": N_("freeze the selected layer (the optimizer skips it, bit for bit) or let it train again"),
    }

    class ArchitectureEdit(Message):
        """Asks for a change of the architecture, as a value of nnterm.presets.edits
        (AddLayer, RemoveLayer, AddNeuron, RemoveNeuron, SetActivation); the session pauses,
        rebuilds and says so."""

        def __init__(self, edit: NetworkEdit) -> None:
            super().__init__()
            self.edit = edit

    class FreezeToggle(Message):
        """Asks to freeze network.layers[layer] (trainable False) or let it train again."""

        def __init__(self, layer: int, trainable: bool) -> None:
            super().__init__()
            self.layer = layer
            self.trainable = trainable

    class WeightEdit(Message):
        """Asks the shell to set network.layers[layer].weight[source, target] (source −1: the bias of target)."""

        def __init__(self, layer: int, source: int, target: int, value: float) -> None:
            super().__init__()
            self.layer = layer
            self.source = source
            self.target = target
            self.value = value

    class ExplainAsked(Message):
        """A double-click on a neuron (source None) or a link: explain its numbers."""

        def __init__(self, column: int, unit: int, source: int | None) -> None:
            super().__init__()
            self.column, self.unit, self.source = column, unit, source

    def __init__(self, *, name=None, id=None, classes=None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.snapshot = None
        self.column = 1                   # 0: the inputs; k: network layer k − 1
        self.unit = 0
        self.source: int | None = None    # the selected incoming weight of the neuron (−1: its bias)
        self.table_mode = False           # the last paint listed the layers as rows (a narrow panel)
        self._hits: dict[tuple[int, int], tuple] = {}

    # --- what the shell calls ----------------------------------------------------------------
    def on_resize(self, _event) -> None:
        # Textual then runs PaintedView's on_resize too (every class's handler runs): the repaint
        self.border_subtitle = link_legend(self.size.width)

    def show(self, snapshot) -> None:
        self.snapshot = snapshot
        self.clamp_selection()
        self.repaint()

    # --- selection ---------------------------------------------------------------------------
    @property
    def selected_layer(self) -> int:
        """The selected network layer (−1 when the inputs are selected)."""
        return self.column - 1

    def clamp_selection(self) -> None:
        if self.snapshot is None:
            return
        sizes = self.snapshot.sizes
        self.column = min(max(self.column, 0), len(sizes) - 1)
        self.unit = min(max(self.unit, 0), sizes[self.column] - 1)
        if self.source is not None and (self.column == 0 or self.source >= sizes[self.column - 1]):
            self.source = None

    def select(self, column: int, unit: int, source: int | None = None) -> None:
        self.column, self.unit, self.source = column, unit, source
        self.clamp_selection()
        self.repaint()

    def action_move(self, dx: int, dy: int) -> None:
        if self.snapshot is None:
            return
        if self.table_mode:               # a table of layers: every arrow walks the layers
            self.select(self.column + dx + dy, self.unit)
        else:
            self.select(self.column + dx, self.unit + dy)

    def action_cycle_weight(self, step: int) -> None:
        """Walks the selected neuron's incoming weights: its bias (−1), then each input's weight."""
        snap = self.snapshot
        if snap is None:
            return
        if self.column == 0:
            self.app.notify(_("An input has no incoming weights: select a neuron in a layer (→) first."),
                            severity="warning")
            return
        choices = [-1] + list(range(snap.sizes[self.column - 1]))
        at = choices.index(self.source) if self.source in choices else (-1 if step > 0 else 0)
        self.select(self.column, self.unit, choices[(at + step) % len(choices)])

    def selected_value(self) -> float:
        snap, layer = self.snapshot, self.selected_layer
        if self.source is None or self.source < 0:
            return float(snap.biases[layer][self.unit])
        return float(snap.weights[layer][self.source, self.unit])

    def describe_weight(self) -> str:
        target = self.unit
        if self.source is None or self.source < 0:
            return _("bias of {neuron}").format(neuron=self.neuron_name(self.column, target))
        return _("weight {source} → {target}").format(source=self.neuron_name(self.column - 1, self.source),
                                                       target=self.neuron_name(self.column, target))

    def neuron_name(self, column: int, unit: int) -> str:
        snap = self.snapshot
        if column == 0:
            names = snap.feature_names
            return _("input {name}").format(name=names[unit] if unit < len(names) else unit + 1)
        if column == len(snap.sizes) - 1:
            return _("output neuron {number}").format(number=unit + 1)
        return _("layer {layer} neuron {number}").format(layer=column, number=unit + 1)

    def action_edit(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        if self.column == 0:
            self.app.notify(_("Inputs have no weights to edit: select a neuron, or one of its weights with [ ]."),
                            severity="warning")
            return
        layer, source, target = self.selected_layer, (-1 if self.source is None else self.source), self.unit

        def done(value: float | None) -> None:
            if value is not None:
                self.post_message(self.WeightEdit(layer, source, target, value))

        self.app.push_screen(WeightEditor(_("New value for the {what}:").format(what=self.describe_weight()), self.selected_value()), done)

    def action_output(self, action: str) -> None:
        """Runs an OutputView action (t, z) on every output view of this screen."""
        for view in self.screen.query(OutputView):
            getattr(view, f"action_{action}")()

    # --- architecture requests -----------------------------------------------------------------
    def refuse(self, sentence: str) -> None:
        self.app.notify(sentence, severity="warning")

    def is_hidden(self) -> bool:
        return self.snapshot is not None and 1 <= self.column < len(self.snapshot.sizes) - 1

    def action_neurons(self, step: int) -> None:
        snap = self.snapshot
        if snap is None:
            return
        if not self.is_hidden():
            self.refuse(_("Neurons are added and removed in hidden layers; the inputs are the data's features "
                          "(toggle them in the data panel).") if self.column == 0 else
                        _("Neurons are added and removed in hidden layers; the output layer's size is set by the data."))
            return
        units = snap.sizes[self.column] + step
        if units < 1:
            self.refuse(_("A layer keeps at least one neuron; press x to remove the whole layer."))
            return
        edit = AddNeuron(self.selected_layer) if step > 0 else RemoveNeuron(self.selected_layer)
        self.post_message(self.ArchitectureEdit(edit))

    def action_add_layer(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        index = min(self.column, snap.n_layers - 1)       # right after the selection, before the output
        units = snap.sizes[self.column] if self.is_hidden() else NEW_LAYER_UNITS
        self.post_message(self.ArchitectureEdit(AddLayer(index, units)))

    def action_remove_layer(self) -> None:
        if self.snapshot is None:
            return
        if not self.is_hidden():
            self.refuse(_("Only a hidden layer can be removed: select one between the inputs and the output."))
            return
        self.post_message(self.ArchitectureEdit(RemoveLayer(self.selected_layer)))

    def action_freeze(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        if self.column == 0:
            self.refuse(_("Inputs have no weights to freeze: select a layer."))
            return
        layer = self.selected_layer
        self.post_message(self.FreezeToggle(layer, not snap.trainable[layer]))

    def action_cycle_activation(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        if self.column == 0:
            self.refuse(_("Inputs have no activation: select a layer to change its activation."))
            return
        choices = HIDDEN_ACTIVATIONS if self.is_hidden() else ACTIVATIONS
        current = snap.activations[self.selected_layer]
        following = choices[(choices.index(current) + 1) % len(choices)] if current in choices else choices[0]
        self.post_message(self.ArchitectureEdit(SetActivation(self.selected_layer, following)))

    # --- Textual plumbing ------------------------------------------------------------------------
    def on_click(self, event: Click) -> None:
        offset = event.get_content_offset(self)
        hit = self._hits.get((offset.x, offset.y)) if offset is not None else None
        if hit is None:
            return
        self.focus()
        if hit[0] == "neuron":
            self.select(hit[1], hit[2])
        elif hit[0] == "link":
            self.select(hit[1] + 1, hit[3], hit[2])
        elif hit[0] == "column":
            self.select(hit[1], self.unit)
        if event.chain >= 2 and hit[0] in ("neuron", "link"):
            self.post_message(self.ExplainAsked(self.column, self.unit, self.source))

    # --- painting ----------------------------------------------------------------------------------
    def paint(self, width: int, height: int) -> Canvas:
        canvas = Canvas(width, height)
        self.dark = self.theme_is_dark()          # read once per paint: the app lookup is not free
        self._hits = {}
        snap = self.snapshot
        if snap is None:
            canvas.text(0, 0, _("waiting for the first snapshot…"), style(muted(self.dark)))
            return canvas
        info_rows = 2 if height >= 10 else (1 if height >= 4 else 0)
        top, avail = 1, height - 1 - info_rows
        columns, box = plan_columns(snap.sizes, snap.feature_names, width, top, avail)
        if info_rows == 2 and (columns is None or not all(c.drawn for c in columns)):   # hints give way to neurons
            roomier = plan_columns(snap.sizes, snap.feature_names, width, top, avail + 1)
            if sum(c.drawn for c in roomier[0] or []) > sum(c.drawn for c in columns or []):
                (columns, box), info_rows, avail = roomier, 1, avail + 1
        self.table_mode = columns is None
        if self.table_mode:
            self.paint_table(canvas, snap, avail)
            columns = []
        else:
            self.paint_links(canvas, snap, columns, box)
        for i, col in enumerate(columns):
            left = 0 if i == 0 else (columns[i - 1].x + columns[i - 1].width + col.x) // 2 + 1
            right = width if i == len(columns) - 1 else (col.x + col.width + columns[i + 1].x) // 2
            self.paint_header(canvas, snap, col, left, right)
            if col.drawn:
                self.paint_neurons(canvas, snap, col, box)
            else:
                self.paint_summary(canvas, snap, col, top, avail)
        if info_rows:
            self.paint_info(canvas, snap, height - info_rows)
        if info_rows == 2:
            hints = _("↑↓←→ neuron · [ ] weight · ⏎ edit · + − neuron · a x layer · A activation")
            if width_of(hints) > width:
                hints = _("↑↓←→ [ ] ⏎ edit  + − a x A")
            canvas.text(0, height - 1, hints, style(muted(self.dark)))
        return canvas

    def paint_table(self, canvas: Canvas, snap, avail: int) -> None:
        """Too narrow for columns: the layers as rows — units and activation, then mean |w| and
        min … max of the weights (on a second line when there is room for it)."""
        dark = self.dark
        canvas.text(0, 0, _("layers"), style(muted(dark), bold=True))
        last = len(snap.sizes) - 1
        two_lines = 2 * len(snap.sizes) - 1 <= avail
        units_w = max(len(str(u)) for u in snap.sizes)
        act_w = max(len(a) for a in snap.activations)
        # the row's name, then at least one space: "in  " and "out " in English, 输入 and 输出 wider
        names = [_("in"), *(str(index) for index in range(1, last)), _("out")] if last else [_("in")]
        name_w = max(4, *(width_of(name) + 1 for name in names))
        y = 1
        for index in range(len(snap.sizes)):
            if y > avail:
                break
            if index == 0:
                head = pad(names[0], name_w) + f"{snap.sizes[0]:>{units_w}} " + " ".join(snap.feature_names)
                head, stats = cut(head, canvas.width), ""          # 784 pixel names end in …, not mid-name
            else:
                mean_abs, low, high = snap.weight_summary(index - 1)
                head = pad(names[index], name_w) + f"{snap.sizes[index]:>{units_w}} {snap.activations[index - 1]:<{act_w}}"
                stats = weight_stats(mean_abs, low, high, canvas.width - (2 if two_lines else width_of(head) + 2))
            chosen = index == self.column
            look = style(selected_colour(dark) if chosen else muted(dark), bold=chosen)
            rows = [head, "  " + stats] if two_lines and stats else [head + ("  " + stats if stats else "")]
            for line in rows:
                if y > avail:
                    break
                canvas.text(0, y, line, look)
                for x in range(canvas.width):
                    self._hits[(x, y)] = ("column", index)
                y += 1

    def paint_header(self, canvas: Canvas, snap, col: Column, left: int, right: int) -> None:
        """The column's activation (or "input"), centred over it within [left, right)."""
        if col.index == 0:
            label = _("input")
        else:
            label = snap.activations[col.index - 1]
            if not snap.trainable[col.index - 1]:
                label += " ❄"          # a frozen layer (fine-tuning)
        selected = col.index == self.column
        colour = selected_colour(self.dark) if selected else muted(self.dark)
        label = cut(label, max(1, right - left), "")
        centre = col.x + col.width // 2
        start = max(left, min(centre - width_of(label) // 2, right - width_of(label)))
        end = canvas.text(start, 0, label, style(colour, bold=selected), limit=right)
        for x in range(start, end):
            self._hits[(x, 0)] = ("column", col.index)

    def column_pixels(self, snap, col: Column, bw: int, bh: int) -> np.ndarray:
        """(units, 2·bh, bw, 3): each neuron's activation map, or its bias swatch without a plane."""
        dark = self.dark
        if snap.neuron_maps is not None:
            return ramp_array(resample(snap.neuron_maps[col.index], 2 * bh, bw), -1.0, 1.0, dark)
        if col.index == 0:
            colours = np.tile(np.array(blend(neutral(dark), muted(dark), 0.5), dtype=np.uint8), (col.units, 1))
        else:
            bias = snap.biases[col.index - 1].astype(np.float64)
            scale = float(np.abs(bias).max()) if bias.size else 1.0
            colours = ramp_array(bias, -scale, scale, dark) if scale > 0 else ramp_array(bias, -1.0, 1.0, dark)
        return np.broadcast_to(colours[:, None, None, :], (col.units, 2 * bh, bw, 3))

    def paint_neurons(self, canvas: Canvas, snap, col: Column, box) -> None:
        bw, bh, _gap = box
        dark = self.dark
        pixels = self.column_pixels(snap, col, bw, bh)
        for unit, row in enumerate(col.tops):
            canvas.image(col.x, row, pixels[unit])
            for dy in range(bh):
                for dx in range(bw):
                    self._hits[(col.x + dx, row + dy)] = ("neuron", col.index, unit)
            if col.index == 0:
                name = snap.feature_names[unit] if unit < len(snap.feature_names) else f"x{unit + 1}"
                name = name[:LABEL_WIDTH]
                canvas.text(col.x - 1 - len(name), row + (bh - 1) // 2, name, style(muted(dark)))
            if col.index == self.column and unit == self.unit:
                mark = style(selected_colour(self.dark), bold=True)
                for dy in range(bh):
                    canvas.put(col.x - 1, row + dy, "▐" if self.source is None else "│", mark)
                    canvas.put(col.x + bw, row + dy, "▌" if self.source is None else "│", mark)

    def paint_summary(self, canvas: Canvas, snap, col: Column, top: int, avail: int) -> None:
        dark = self.dark
        selected = col.index == self.column
        text = style(selected_colour(self.dark) if selected else muted(dark), bold=selected)
        if col.index == 0:
            lines = [ngettext("{count} input", "{count} inputs", col.units).format(count=col.units)]
        else:
            mean_abs, low, high = snap.weight_summary(col.index - 1)
            lines = [ngettext("{count} unit", "{count} units", col.units).format(count=col.units), f"|w| {mean_abs:.3f}",
                     f"min {weight_text(low)}", f"max {weight_text(high)}"]
        for i, line in enumerate(lines[:max(0, avail)]):
            y = top + i
            canvas.text(col.x, y, line, text, limit=col.x + col.width)
            for x in range(col.x, col.x + col.width):
                self._hits[(x, y)] = ("column", col.index)

    def paint_links(self, canvas: Canvas, snap, columns: list[Column], box) -> None:
        """Every weight between two drawn columns as a braille line; the strongest owns a shared cell.

        A link's colour is the ramp at sign(w)·(0.25 + 0.75·|w|/max|w| of its layer): blue for +,
        orange for −, never fainter than a quarter, so weak links stay visible but quiet.
        """
        _width, bh, _gap = box
        keys, lines, strength, colours = [], [], [], []          # one array per pair of drawn columns
        for left, right in zip(columns, columns[1:]):
            x0, x1 = (left.x + left.width) * 2, right.x * 2 - 1
            if not (left.drawn and right.drawn) or x1 <= x0:
                continue
            layer = right.index - 1
            w = snap.weights[layer].astype(np.float64)
            scale = float(np.abs(w).max()) if w.size else 1.0
            relative = np.abs(w) / (scale if scale > 0 else 1.0)
            src, tgt = (a.ravel() for a in np.indices(w.shape))
            tops_left = np.asarray(left.tops)[src] * 4 + bh * 2
            tops_right = np.asarray(right.tops)[tgt] * 4 + bh * 2
            keys.append(np.column_stack([np.full(src.size, layer), src, tgt]))
            lines.append(np.column_stack([np.full(src.size, x0), tops_left, np.full(src.size, x1), tops_right]))
            strength.append(relative.ravel())
            colours.append(ramp_array(np.sign(w) * (0.25 + 0.75 * relative), -1.0, 1.0, self.dark).reshape(-1, 3))
        if not keys:
            return
        keys, lines, strength, colours = (np.concatenate(a) for a in (keys, lines, strength, colours))
        ranks = np.empty(len(keys), dtype=np.int64)
        ranks[np.argsort(strength, kind="stable")] = np.arange(len(keys))
        chosen = np.flatnonzero((keys[:, 0] == self.selected_layer) & (keys[:, 1] == (self.source if self.source is not None else -2))
                                & (keys[:, 2] == self.unit))
        if chosen.size:
            ranks[chosen[0]] = len(keys)                 # the selected link is drawn over everything
            colours[chosen[0]] = selected_colour(self.dark)
        by_rank = np.empty(len(keys) + 1, dtype=np.int64)
        by_rank[ranks] = np.arange(len(keys))
        bits, owner = braille_lines(canvas.width, canvas.height, lines, ranks)
        ys, xs = np.nonzero(bits)
        owners = by_rank[owner[ys, xs]].tolist()
        key_list, colour_list = keys.tolist(), colours.astype(np.int64).tolist()
        picked = int(chosen[0]) if chosen.size else -1
        for y, x, i, dots in zip(ys.tolist(), xs.tolist(), owners, bits[ys, xs].tolist()):
            canvas.put(x, y, braille_char(dots), style(tuple(colour_list[i]), bold=i == picked))
            self._hits[(x, y)] = ("link", *key_list[i])

    def short_name(self, column: int, unit: int) -> str:
        """A neuron's name in a few cells, for narrow panels: x1, L2·3, out·1."""
        snap = self.snapshot
        if column == 0:
            return snap.feature_names[unit] if unit < len(snap.feature_names) else f"x{unit + 1}"
        return f"out·{unit + 1}" if column == len(snap.sizes) - 1 else f"L{column}·{unit + 1}"

    def paint_info(self, canvas: Canvas, snap, y: int) -> None:
        dark = self.dark
        narrow = canvas.width < COMPACT_WIDTH
        text, value_style = style(muted(dark)), style(selected_colour(self.dark), bold=True)
        if self.column == 0:
            name = snap.feature_names[self.unit] if self.unit < len(snap.feature_names) else str(self.unit + 1)
            line = _("input {name}").format(name=name) if narrow else _(
                "input {name}: feature {number} of {count}, standardised").format(
                name=name, number=self.unit + 1, count=snap.sizes[0])
            canvas.text(0, y, line, text)
            return
        layer = self.selected_layer
        target = self.short_name(self.column, self.unit)
        if self.source is not None:
            if narrow:
                label = f"b {target} " if self.source < 0 else f"{self.short_name(self.column - 1, self.source)}→{target} "
            else:
                label = f"{self.describe_weight()} = "
            x = canvas.text(0, y, label, text)
            x = canvas.text(x, y, weight_text(self.selected_value()), value_style)
            canvas.text(x, y, "  " + _("(⏎ edit)"), text)
            return
        label = f"{target} b " if narrow else _("{neuron} · {activation} · bias ").format(
            neuron=self.neuron_name(self.column, self.unit), activation=snap.activations[layer])
        x = canvas.text(0, y, label, text)
        x = canvas.text(x, y, weight_text(float(snap.biases[layer][self.unit])), value_style)
        incoming = snap.weights[layer][:, self.unit]
        x = canvas.text(x, y, _(" · in:"), text)
        for value in incoming:
            if x >= canvas.width:
                break
            x = canvas.text(x, y, " " + weight_text(float(value)), style(label_colour(float(value), 0)))
