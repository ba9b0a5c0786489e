"""The descent race's surface map: the loss surface as a true-colour half-block heatmap with
contour bands (log of the height above the lowest point in view), x and y ticks, the minimum's
mark, and every racer's path in its own colour."""
import numpy as np
from rich.segment import Segment
from rich.text import Text
from textual.widget import Widget

from nnterm.runtime.language import _
from nnterm.runtime.numbers import axis_number
from nnterm.teach.descent import Race
from nnterm.teach.surfaces import Surface, surface_grid
from nnterm.tui.widgets.canvas import UPPER_HALF
from nnterm.tui.widgets.palette import muted, ramp_array, style

BANDS = 12                   # contour bands across the colour range
BAND_SHADE = 0.8             # odd bands are drawn this much darker, which makes the contours
PATH_COLOURS = {
    "gd": (245, 245, 245),
    "momentum": (255, 70, 190),
    "nesterov": (190, 120, 255),
    "rmsprop": (255, 225, 0),
    "adagrad": (0, 225, 225),
    "adam": (130, 255, 70),
}
MINIMUM_MARK = "+"


def path_pixels(cols: np.ndarray, rows: np.ndarray, longest: float) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of a polyline through (cols[i], rows[i]): each segment sampled once per pixel
    it crosses. A segment longer than `longest` pixels (a jump far out of view) keeps only its
    start point."""
    if len(cols) < 2:
        return np.rint(cols).astype(int), np.rint(rows).astype(int)
    dc, dr = np.diff(cols), np.diff(rows)
    span = np.maximum(np.abs(dc), np.abs(dr))
    n = np.where(span > longest, 1, np.ceil(np.minimum(span, longest)).astype(int) + 1)
    segment = np.repeat(np.arange(len(dc)), n)
    first = np.repeat(np.cumsum(n) - n, n)
    t = (np.arange(n.sum()) - first) / np.repeat(np.maximum(n - 1, 1), n)
    c = cols[segment] + t * dc[segment]
    r = rows[segment] + t * dr[segment]
    return np.rint(np.append(c, cols[-1])).astype(int), np.rint(np.append(r, rows[-1])).astype(int)


class SurfaceMap(Widget):
    """The loss surface as half-block pixels (two per cell, stacked) with the racers' paths."""

    DEFAULT_CSS = "SurfaceMap { border: round $primary 50%; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.race: Race | None = None
        self.cache_key = None
        self.base: np.ndarray | None = None      # (2h, w, 3) the shaded surface without paths

    def show(self, race: Race) -> None:
        self.race = race
        self.border_title = f"{_(race.surface.title)}: {race.surface.formula}"
        self.border_subtitle = _("step {step} · {mark} minimum").format(step=race.steps, mark=MINIMUM_MARK)
        self.refresh()

    def surface_image(self, surface: Surface, width: int, height: int) -> np.ndarray:
        key = (surface.name, width, height, self.app.current_theme.dark)
        if key != self.cache_key:
            _, _, f = surface_grid(surface, width, 2 * height)
            low = np.nanmin(f)
            level = np.log1p(np.maximum(f - low, 0.0))
            level = level / level.max() if level.max() > 0 else level
            # low loss blue, high loss orange (the palette's two ends), contour bands by shading
            rgb = ramp_array(1.0 - level, 0.0, 1.0, self.app.current_theme.dark).astype(np.float64)
            band = np.minimum((level * BANDS).astype(int), BANDS - 1)
            rgb[band % 2 == 1] *= BAND_SHADE
            self.base = rgb.astype(np.uint8)
            self.cache_key = key
        return self.base

    def to_pixel(self, surface: Surface, point: tuple, width: int, rows: int) -> tuple[float, float]:
        x0, x1, y0, y1 = surface.extent
        return ((point[0] - x0) / (x1 - x0) * (width - 1), (y1 - point[1]) / (y1 - y0) * (rows - 1))

    def render(self):
        full_width, full_height = self.content_size
        if self.race is None:
            return Text("")
        surface = self.race.surface
        x0, x1, y0, y1 = surface.extent
        y_labels = [axis_number(v) for v in (y1, (y0 + y1) / 2, y0)]
        label = max(len(t) for t in y_labels) + 1          # the y axis's values and its line, left of the map
        width, height = full_width - label, full_height - 1  # and the x axis's values under it
        if width < 4 or height < 2:
            return Text("")
        image = self.surface_image(surface, width, height).copy()
        rows = 2 * height
        inside = lambda c, r: 0 <= c < width and 0 <= r < rows
        for racer in self.race.racers:
            path = np.asarray(racer.path)
            cols, rws = self.to_pixel(surface, (path[:, 0], path[:, 1]), width, rows)
            cols, rws = np.clip(cols, -1e6, 1e6), np.clip(rws, -1e6, 1e6)   # far out of view stays out
            c, r = path_pixels(cols, rws, longest=4.0 * (width + rows))
            keep = (c >= 0) & (c < width) & (r >= 0) & (r < rows)
            image[r[keep], c[keep]] = PATH_COLOURS[racer.name]
        for racer in self.race.racers:                     # each racer itself, a 2×2 dot over every path
            c, r = (int(round(v)) for v in self.to_pixel(surface, racer.position, width, rows))
            for dc, dr in ((0, 0), (1, 0), (0, 1), (1, 1)):
                if inside(c + dc, r + dr):
                    image[r + dr, c + dc] = PATH_COLOURS[racer.name]
        mc, mr = (int(round(v)) for v in self.to_pixel(surface, surface.minimum, width, rows))
        pixels = image.tolist()
        lines = []
        for row in range(height):
            lines.append([Segment(UPPER_HALF, style(tuple(top), tuple(bottom)))
                          for top, bottom in zip(pixels[2 * row], pixels[2 * row + 1])])
        if 0 <= mr // 2 < height and 0 <= mc < width:
            bottom = tuple(pixels[mr // 2 * 2 + 1][mc])
            lines[mr // 2][mc] = Segment(MINIMUM_MARK, style((255, 255, 255), bottom, bold=True))
        dim = style(muted(self.app.current_theme.dark))
        ticks = {0: y_labels[0], (height - 1) // 2: y_labels[1], height - 1: y_labels[2]}
        for row in range(height):
            axis = (ticks[row].rjust(label - 1) + "┤") if row in ticks else " " * (label - 1) + "│"
            lines[row].insert(0, Segment(axis, dim))
        x_axis = [" "] * full_width
        for value, column in ((x0, 0), ((x0 + x1) / 2, width // 2), (x1, width - 1)):
            text = axis_number(value)
            start = min(max(label + column - len(text) // 2, label), full_width - len(text))
            x_axis[start:start + len(text)] = text
        lines.append([Segment("".join(x_axis)[:full_width], dim)])
        return SegmentLines(lines)


class SegmentLines:
    """A Rich renderable of pre-built segment rows (one row per terminal line)."""

    def __init__(self, lines):
        self.lines = lines

    def __rich_console__(self, console, options):
        for i, segments in enumerate(self.lines):
            yield from segments
            if i < len(self.lines) - 1:
                yield Segment.line()
