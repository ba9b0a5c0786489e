"""A grid of styled cells the views paint once per snapshot, then hand to Textual line by line.

Half-block pixels: a cell shows two pixels stacked, "▀" with the foreground as the top pixel
and the background as the bottom one, so a w × h cell area is a w × 2h true-colour image with
square pixels. Braille links: a cell is a 2 × 4 grid of dots, so many thin lines can cross a
narrow gap and still be told apart.
"""
from functools import lru_cache

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from nnterm.runtime.cells import char_width
from nnterm.tui.widgets.palette import style

UPPER_HALF = "▀"
BRAILLE_BASE = 0x2800
# Dot bit of braille position (column 0–1, row 0–3), Unicode's numbering.
BRAILLE_BIT_GRID = np.array(((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80)), dtype=np.int64)


class Canvas:
    def __init__(self, width: int, height: int):
        self.width = max(0, width)
        self.height = max(0, height)
        self.chars = [[" "] * self.width for _ in range(self.height)]
        self.styles: list[list[Style | None]] = [[None] * self.width for _ in range(self.height)]

    def inside(self, x: int, y: int) -> bool:
        return 0 <= x < self.width and 0 <= y < self.height

    def put(self, x: int, y: int, char: str, cell_style: Style | None = None) -> None:
        if self.inside(x, y):
            self.chars[y][x] = char
            self.styles[y][x] = cell_style

    def text(self, x: int, y: int, text: str, cell_style: Style | None = None, limit: int | None = None) -> int:
        """Writes text from (x, y), clipped at `limit` (default: the right edge). Returns its end.
        A two-cell character (a Hanzi) takes its cell and the next, which holds "" so the row's
        string stays as wide as the canvas; one that would straddle the limit is left out whole."""
        stop = self.width if limit is None else min(limit, self.width)
        for char in text:
            cells = char_width(char)
            if x + cells > stop:
                break
            self.put(x, y, char, cell_style)
            if cells == 2:
                self.put(x + 1, y, "", cell_style)
            x += cells
        return x

    def image(self, x0: int, y0: int, rgb: np.ndarray) -> None:
        """A (2h, w, 3) uint8 image as h rows of half-block cells from (x0, y0); odd heights pad."""
        if rgb.shape[0] % 2:
            rgb = np.concatenate([rgb, rgb[-1:]], axis=0)
        rgb = rgb.astype(np.int64)
        packed = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
        cells = ((packed[0::2] << 24) | packed[1::2]).tolist()      # (top pixel, bottom pixel) per cell
        for row, line in enumerate(cells):
            y = y0 + row
            if not 0 <= y < self.height:
                continue
            chars, styles = self.chars[y], self.styles[y]
            for col, key in enumerate(line):
                x = x0 + col
                if 0 <= x < self.width:
                    chars[x] = UPPER_HALF
                    styles[x] = half_block_style(key)

    def strips(self, base: Style | None = None) -> list[Strip]:
        """One Strip per row, runs of equal style joined into one Segment."""
        out = []
        for chars, styles in zip(self.chars, self.styles):
            segments, start = [], 0
            for x in range(1, self.width + 1):
                if x == self.width or styles[x] is not styles[start]:
                    cell = styles[start]
                    segments.append(Segment("".join(chars[start:x]), base + cell if base and cell else cell or base))
                    start = x
            out.append(Strip(segments, self.width))
        return out


@lru_cache(maxsize=16384)
def half_block_style(key: int) -> Style:
    """The style of a "▀" cell whose top pixel is key >> 24 and bottom pixel key & 0xFFFFFF (RGB24)."""
    top, bottom = key >> 24, key & 0xFFFFFF
    return style((top >> 16, (top >> 8) & 255, top & 255), (bottom >> 16, (bottom >> 8) & 255, bottom & 255))


def braille_lines(width: int, height: int, lines: np.ndarray, ranks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Straight lines in braille dots over a width × height cell grid, all at once.

    lines: (k, 4) dot coordinates x0, y0, x1, y1 (a cell is 2 dots wide, 4 tall); ranks: (k,)
    ints. Returns the dot bits of each cell and its owner: the highest-ranked line through it
    (−1 where none passes), so a caller that ranks by |w| lets the strongest weight colour a cell.
    """
    bits = np.zeros((height, width), dtype=np.int64)
    owner = np.full((height, width), -1, dtype=np.int64)
    if len(lines) == 0:
        return bits, owner
    x0, y0, x1, y1 = (lines[:, i, None].astype(np.float64) for i in range(4))
    steps = int(max(np.abs(x1 - x0).max(), np.abs(y1 - y0).max())) + 1     # one dot per step on the long axis
    t = np.linspace(0.0, 1.0, steps)[None, :]
    xs = np.rint(x0 + (x1 - x0) * t).astype(np.int64)
    ys = np.rint(y0 + (y1 - y0) * t).astype(np.int64)
    cx, cy = xs // 2, ys // 4
    inside = (xs >= 0) & (ys >= 0) & (cx < width) & (cy < height)
    where = (cy[inside], cx[inside])
    np.bitwise_or.at(bits, where, BRAILLE_BIT_GRID[ys[inside] % 4, xs[inside] % 2])
    np.maximum.at(owner, where, np.broadcast_to(ranks[:, None], xs.shape)[inside])
    return bits, owner


def braille_char(bits: int) -> str:
    return chr(BRAILLE_BASE + bits)


def resample(grid: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Nearest-neighbour resize of the last two axes (an image-ordered grid) to rows × cols (pixel centres)."""
    height, width = grid.shape[-2:]
    r = ((np.arange(rows) + 0.5) * height / rows).astype(int).clip(0, height - 1)
    c = ((np.arange(cols) + 0.5) * width / cols).astype(int).clip(0, width - 1)
    return grid[..., r[:, None], c[None, :]]
