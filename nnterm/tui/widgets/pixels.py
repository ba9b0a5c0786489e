"""An image as terminal cells: the digit browser's greyscale inputs and the unit-image view's
weights (docs/design.md, "Drawing").

An image with more than 8 rows is drawn in half blocks — each cell "▀" with the upper pixel as
its foreground and the lower one as its background, so 28 × 28 pixels take 28 columns and 14
rows and fit an 80 × 24 screen. A small one (the 8 × 8 digits) gets two full-block cells a pixel
so it is not a postage stamp. Colours come in as an (rows, columns, 3) uint8 array.
"""
import numpy as np
from rich.text import Text

from nnterm.tui.widgets.palette import ramp_array, style

HALF_BLOCKS_ABOVE = 8           # rows beyond which an image is drawn two pixel rows a cell


def image_lines(rgb: np.ndarray, scale: int = 1) -> list[Text]:
    """One Text a terminal row: half blocks for a tall image, "██" a pixel for a small one.
    `scale` > 1 repeats each pixel (a small image drawn bigger, for a wide screen)."""
    if scale > 1:
        rgb = np.repeat(np.repeat(rgb, scale, axis=0), scale, axis=1)
    rows = rgb.shape[0]
    lines = []
    if rows > HALF_BLOCKS_ABOVE:
        padded = rgb if rows % 2 == 0 else np.concatenate([rgb, rgb[-1:] * 0], axis=0)
        for top, bottom in zip(padded[0::2], padded[1::2]):
            line = Text(no_wrap=True)
            for upper, lower in zip(top, bottom):
                line.append("▀", style=style(tuple(int(c) for c in upper), tuple(int(c) for c in lower)))
            lines.append(line)
        return lines
    for row in rgb:
        line = Text(no_wrap=True)
        for pixel in row:
            line.append("██", style=style(tuple(int(c) for c in pixel)))
        lines.append(line)
    return lines


def image_width(shape: tuple[int, int], scale: int = 1) -> int:
    """Columns image_lines takes for an image of `shape`."""
    return drawn_size(shape, 1, scale)[0]


def greyscale(image: np.ndarray) -> np.ndarray:
    """Pixel values → grey, black at 0 and white at the image's largest value (at least 1)."""
    top = max(float(np.max(image)), 1.0)
    grey = np.clip(np.rint(255 * np.clip(image, 0.0, top) / top), 0, 255).astype(np.uint8)
    return np.repeat(grey[..., None], 3, axis=-1)


def signed_colours(weights: np.ndarray, scale: float, dark: bool) -> np.ndarray:
    """Weights → the network view's colours: blue for +, orange for −, neutral at 0, full colour
    at ±scale."""
    scale = scale if scale > 0 else 1.0
    return ramp_array(weights, -scale, scale, dark)


def pooled(image: np.ndarray, factor: int) -> np.ndarray:
    """The mean of each factor × factor block (a 28 × 28 image as 14 × 14 for a small screen);
    edges that do not fill a block are dropped."""
    if factor <= 1:
        return image
    rows, columns = (image.shape[0] // factor) * factor, (image.shape[1] // factor) * factor
    blocks = image[:rows, :columns].reshape(rows // factor, factor, columns // factor, factor)
    return blocks.mean(axis=(1, 3))


def drawn_size(shape: tuple[int, int], pool: int, scale: int) -> tuple[int, int]:
    """(columns, rows) of terminal cells an image of `shape` takes, pooled then scaled."""
    rows, columns = shape[0] // pool * scale, shape[1] // pool * scale
    if rows > HALF_BLOCKS_ABOVE:
        return columns, (rows + 1) // 2
    return 2 * columns, rows
