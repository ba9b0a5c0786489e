"""What each unit looks for (key u, on image data): every first-layer unit's incoming weights
drawn as an image — blue where ink raises its z, orange where it lowers it, as the network view
colours links — a page of them at a time, redrawn as training goes on (space trains and pauses
here). enter shows the training images that excite the chosen unit most, beside its weights.

The numbers are nnterm/teach/unit_images.py's; the drawing is widgets/pixels.py's. The view opens
on w − w₀, what training has changed: after one MNIST epoch w itself is still half its random
start, noise that hides the strokes (unit_images.py has the figures); c switches to w, the numbers
the unit computes with. s orders the units by how much they changed, most first. Each unit is
coloured to its own largest |value| as drawn, + and − alike (the label says it), so a weak unit's
pattern still shows and neutral is exactly 0; a small screen draws 28 × 28 as 14 × 14, each
pixel the mean of four, and the header says so. Pixels blank in every training image are drawn neutral: no
gradient reaches their weights, which keep their random start. The header says which is shown.
"""
import numpy as np
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from nnterm.runtime.cells import cut, pad
from nnterm.runtime.cells import width as cells_of
from nnterm.runtime.language import N_, _
from nnterm.teach.unit_images import full_colour, still_pixels, strongest_inputs, unit_images
from nnterm.tui.widgets.pixels import drawn_size, greyscale, image_lines, pooled, signed_colours

REDRAW_SECONDS = 0.5              # while training: the weights change every epoch
GAP = 2                           # columns between two images
# (pool, scale) choices, the largest drawing first: 28 × 28 at full size, then 14 × 14; the 8 × 8
# digits three, two or one times over.
SIZES = ((1, 3), (1, 2), (1, 1), (2, 1), (4, 1))
# the keys in one line: the long one where it fits, else the short
# (msgids, translated where shown)
KEYS = (N_("←→↑↓ unit · pgup/pgdn page · enter its strongest images · c w − w₀ or w · s order by change · "
           "space train/pause · esc back"),
        N_("←→↑↓ unit · enter strongest · c w−w₀/w · s order · space train · esc back"))
MEANING = {"change": N_("w − w₀ (what training changed): blue, ink here raises z more; orange, less"),
           "weights": N_("w (the random start w₀ in it): blue, ink here raises z; orange, lowers it"),
           "unchanged": N_("w − w₀ = 0: nothing trained yet · space trains · c shows w, the random start")}


class UnitImagesScreen(ModalScreen):
    DEFAULT_CSS = """
    UnitImagesScreen { align: center middle; }
    #units { width: 100%; height: 100%; border: round $accent; background: $surface; padding: 0 1; }
    #units-header, #units-keys { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
    #units-keys { color: $text-muted; }
    #units-view { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "back", N_("Back")), Binding("u", "back", N_("Back"), show=False),
                Binding("right", "move(1)", N_("Next")), Binding("left", "move(-1)", N_("Previous")),
                Binding("down", "move_row(1)", show=False), Binding("up", "move_row(-1)", show=False),
                Binding("pagedown", "page(1)", show=False), Binding("pageup", "page(-1)", show=False),
                Binding("enter", "strongest", N_("Strongest images")), Binding("space", "play", N_("Train/pause")),
                Binding("c", "show_change", N_("w − w₀ or w")), Binding("s", "order", N_("Order"))]

    class Found(Message):
        def __init__(self, unit: int, rows, outputs, epoch: int) -> None:
            super().__init__()
            self.unit, self.rows, self.outputs, self.epoch = unit, rows, outputs, epoch

    def __init__(self, trainer=None) -> None:
        """`trainer` is taken as the lesson screen hands it; the view reads the app's session live."""
        super().__init__()
        self.unit = 0
        self.found = None                 # the last Found, shown while `showing` is set
        self.showing = False
        self.drawn = None                 # (epoch, training) as last drawn
        self.still = None                 # (data, its still pixels), worked out once per data set
        self.change = True                # draw w − w₀ (else w)
        self.ranked = False               # units in order of ‖w − w₀‖, most first (else by number)
        self.order = None                 # the units in the order last drawn

    @property
    def session(self):
        return self.app.session

    @property
    def trainer(self):
        return self.app.session.trainer

    def compose(self):
        with Vertical(id="units"):
            yield Static(id="units-header")
            yield Static(id="units-view")
            yield Static(id="units-keys")

    def on_mount(self) -> None:
        self.retranslate()
        self.set_interval(REDRAW_SECONDS, self.follow_training)
        self.redraw()

    def retranslate(self) -> None:
        """The title, again in the language in use (nnterm/tui/language_switch.py)."""
        self.query_one("#units", Vertical).border_title = _("What each unit looks for")
        self.redraw()

    def on_resize(self) -> None:
        self.redraw()

    # --- the layout ------------------------------------------------------------------------
    def layout_for(self) -> tuple[int, int, int, int]:
        """(pool, scale, images a row, rows of images) for the screen's size: the largest drawing
        that fits two rows of at least three, else the smallest."""
        width, height = self.app.size.width - 4, self.app.size.height - 2 - 3 - 1   # border, header, keys
        shape = self.trainer.data.image_shape
        for pool, scale in SIZES:
            if shape[0] % pool or (shape[0] <= 8 and pool > 1) or (shape[0] > 16 and scale > 1):
                continue
            columns, rows = drawn_size(shape, pool, scale)
            across, down = (width + GAP) // (columns + GAP), height // (rows + 1)
            if across >= 3 and down >= 2:
                return pool, scale, across, down
            smallest = pool, scale, max(1, across), max(1, down)
        return smallest

    def keys_line(self) -> str:
        return _(KEYS[0]) if cells_of(_(KEYS[0])) <= self.app.size.width - 4 else _(KEYS[1])

    # --- keys --------------------------------------------------------------------------------
    def action_back(self) -> None:
        if self.showing:
            self.showing = False
            self.redraw()
        else:
            self.dismiss()

    def units_in_order(self) -> np.ndarray:
        units = self.trainer.network.layers[0].units
        return self.order if self.order is not None and len(self.order) == units else np.arange(units)

    def action_move(self, step: int) -> None:
        order = self.units_in_order()
        at = int(np.flatnonzero(order == self.unit)[0]) if self.unit < len(order) else 0
        self.unit = int(order[(at + step) % len(order)])
        self.showing = False
        self.redraw()

    def action_move_row(self, step: int) -> None:
        self.action_move(step * self.layout_for()[2])

    def action_page(self, step: int) -> None:
        _, _, across, down = self.layout_for()
        self.action_move(step * across * down)

    def action_play(self) -> None:
        if self.session.training:
            self.session.pause()
        else:
            self.session.play()
        self.redraw()

    def action_show_change(self) -> None:
        self.change = not self.change
        self.redraw()

    def action_order(self) -> None:
        self.ranked = not self.ranked
        self.order = None
        self.redraw()
        if self.ranked:
            self.unit = int(self.order[0])    # the unit that changed most, on the first page
            self.redraw()

    def action_strongest(self) -> None:
        self.showing = True
        self.find(self.unit)
        self.redraw()

    @work(thread=True, exclusive=True, exit_on_error=False, group="units")
    def find(self, unit: int) -> None:
        trainer = self.trainer
        _, _, across, down = self.layout_for()
        rows, outputs = strongest_inputs(trainer.network, trainer.data.x_train, unit, max(1, across * down - 1))
        self.post_message(self.Found(unit, rows, outputs, trainer.epoch))

    def on_unit_images_screen_found(self, message: Found) -> None:
        self.found = message
        self.redraw()

    def follow_training(self) -> None:
        now = (self.trainer.epoch, self.session.training)
        if now != self.drawn:
            if self.showing and now[0] != self.drawn[0]:
                self.find(self.unit)          # the strongest images of the new weights
            self.redraw()

    # --- drawing -----------------------------------------------------------------------------
    def redraw(self) -> None:
        trainer = self.trainer
        if trainer.data.image_shape is None:     # a rebuild behind this screen took the images away
            self.dismiss()
            return
        self.drawn = (trainer.epoch, self.session.training)
        if self.still is None or self.still[0] is not trainer.data:
            self.still = (trainer.data, still_pixels(trainer.data.x_train, trainer.data.image_shape))
        images = unit_images(trainer.network, trainer.data.image_shape, self.still[1], trainer.start_params)
        self.unit = min(self.unit, images.units - 1)
        self.order = images.by_change() if self.ranked else np.arange(images.units)
        pool, scale, across, down = self.layout_for()
        dark = self.app.current_theme.dark if self.app.current_theme else True
        rows, columns = images.shape
        what = (_("{count} hidden units") if images.hidden else _("{count} output units, one a class")).format(count=images.units)
        header = Text(no_wrap=True)
        if pool == 1:
            header.append(_("{units} (layer 1, {activation}): each one's {count} weights as a {rows} × {columns} image").format(
                units=what, activation=images.activation, count=rows * columns, rows=rows, columns=columns) + "\n",
                style="bold")
        else:
            header.append(_("{rows}×{columns} means of {pool}×{pool} weights · {units} (layer 1, {activation})").format(
                rows=rows // pool, columns=columns // pool, pool=pool, units=what, activation=images.activation) + "\n",
                style="bold")
        order = _("by change") if self.ranked else _("by number")
        line = (_("epoch {epoch} · training · {order} · unit {unit}: b = {bias}, full colour at ±{scale}")
                if self.session.training else
                _("epoch {epoch} · paused · {order} · unit {unit}: b = {bias}, full colour at ±{scale}"))
        header.append(line.format(epoch=trainer.epoch, order=order, unit=self.unit + 1, bias=f"{images.biases[self.unit]:+.3f}",
                                  scale=f"{self.drawn_values(images, self.unit, pool)[1]:.3f}") + "\n")
        unchanged = self.change and not np.any(images.change)
        drawn = "unchanged" if unchanged else "change" if self.change else "weights"   # a name apart: Babel 2.12 read the
        header.append(_(MEANING[drawn]), style="italic")                                 # literals inside _() as a msgid
        self.query_one("#units-header", Static).update(header)
        self.query_one("#units-keys", Static).update(Text(self.keys_line(), style="dim"))
        if self.showing:
            tiles = self.strongest_tiles(images, pool, scale, dark)
        else:
            per_page = across * down
            first = int(np.flatnonzero(self.order == self.unit)[0]) // per_page * per_page
            tiles = []
            for unit in self.order[first:first + per_page]:
                colours = self.colours(images, unit, pool, dark)
                label = f"{unit + 1} ±{self.drawn_values(images, unit, pool)[1]:.2f}"
                tiles.append((image_lines(colours, scale), label, unit == self.unit))
        self.query_one("#units-view", Static).update(grid(tiles, across, drawn_size(images.shape, pool, scale)[0]))

    def drawn_values(self, images, unit: int, pool: int) -> tuple[np.ndarray, float]:
        """(the unit's image as drawn — w − w₀ or w, pooled to the screen —, its full-colour scale)."""
        values = pooled(images.values(unit, self.change), pool)
        return values, full_colour(values)

    def colours(self, images, unit: int, pool: int, dark: bool) -> np.ndarray:
        return signed_colours(*self.drawn_values(images, unit, pool), dark)

    def strongest_tiles(self, images, pool: int, scale: int, dark: bool) -> list:
        unit = self.unit
        colours = self.colours(images, unit, pool, dark)
        tiles = [(image_lines(colours, scale), _("unit {number}").format(number=unit + 1), True)]
        found = self.found
        if found is None or found.unit != unit:
            return tiles + [([Text(_("finding …"), style="dim")], "", False)]
        data = self.trainer.data
        for row, output in zip(found.rows, found.outputs):
            pixels = (data.x_train[row].astype(np.float64) * data.scaler_std + data.scaler_mean).reshape(images.shape)
            label = int(np.argmax(data.y_train[row])) if data.y_train.shape[1] > 1 else int(data.y_train[row, 0])
            name = data.class_names[label] if label < len(data.class_names) else str(label)
            tiles.append((image_lines(greyscale(pooled(pixels, pool)), scale), f"{name} a={output:.2f}", False))
        return tiles


def grid(tiles: list, across: int, width: int) -> Text:
    """Tiles (lines, label, chosen) in rows of `across`, each label under its image."""
    out = Text(no_wrap=True)
    for start in range(0, len(tiles), across):
        row = tiles[start:start + across]
        height = max(len(lines) for lines, _, _ in row)
        for r in range(height):
            for i, (lines, _, _) in enumerate(row):
                if i:
                    out.append(" " * GAP)
                out.append_text(lines[r] if r < len(lines) else Text(" " * width))
                if r < len(lines) and lines[r].cell_len < width:
                    out.append(" " * (width - lines[r].cell_len))
            out.append("\n")
        for i, (_, label, chosen) in enumerate(row):
            if i:
                out.append(" " * GAP)
            out.append(pad(cut(label, width, ""), width), style="bold reverse" if chosen else "dim")
        out.append("\n")
    return out
