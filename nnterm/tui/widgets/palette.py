"""One palette for every view: TensorFlow Playground's orange (negative) and blue (positive).

A value is placed on a diverging ramp: orange at the low end, a neutral middle, blue at the
high end. The neutral middle follows the theme — a dark slate on dark themes (so a decision
boundary reads as a dark seam), TensorFlow Playground's pale grey on light ones — so the same
picture is calm on either. Colours are RGB tuples; `style()` turns them into rich Styles.

Surfaces (the output heatmap, the neuron maps) are drawn a little softer than the colours of
data points and links, so points drawn on top stand out as TensorFlow Playground's do.
"""
from functools import lru_cache

import numpy as np
from rich.color import Color
from rich.style import Style

ORANGE = (245, 147, 34)         # #f59322: negative values, class 0
BLUE = (8, 119, 189)            # #0877bd: positive values, class 1
GREEN = (80, 190, 110)          # a third series: the test split's loss, the price game's player
NEUTRAL_DARK = (44, 47, 53)     # the ramp's middle on a dark theme
NEUTRAL_LIGHT = (232, 234, 235)  # the ramp's middle on a light theme (#e8eaeb, the playground's)
SURFACE_STRENGTH = 0.6          # how far a surface goes from neutral toward full colour
SELECTED_DARK = (255, 215, 0)   # the selection: gold on a dark theme,
SELECTED_LIGHT = (150, 60, 170)  # violet on a light one (gold vanishes on white; orange means "negative")
MUTED_DARK = (130, 136, 145)    # secondary text, axis labels
MUTED_LIGHT = (100, 104, 110)


def neutral(dark: bool) -> tuple[int, int, int]:
    return NEUTRAL_DARK if dark else NEUTRAL_LIGHT


def selected(dark: bool) -> tuple[int, int, int]:
    return SELECTED_DARK if dark else SELECTED_LIGHT


def muted(dark: bool) -> tuple[int, int, int]:
    return MUTED_DARK if dark else MUTED_LIGHT


def blend(a, b, t: float) -> tuple[int, int, int]:
    """(1 − t)·a + t·b per channel, t clipped to 0 … 1."""
    t = min(1.0, max(0.0, float(t)))
    return tuple(int(round(int(x) + (int(y) - int(x)) * t)) for x, y in zip(a, b))


def ramp_array(values: np.ndarray, low: float, high: float, dark: bool,
               strength: float = 1.0) -> np.ndarray:
    """values → (…, 3) uint8 RGB on the diverging ramp over [low, high] (clipped).

    The middle (low + high)/2 is neutral; t = 2·(v − mid)/(high − low) ∈ [−1, 1] blends the
    neutral toward orange (t < 0) or blue (t > 0) by |t|·strength. NaN draws neutral.
    """
    values = np.asarray(values, dtype=np.float64)
    span = (high - low) if high > low else 1.0
    t = np.clip(2.0 * (values - (low + high) / 2.0) / span, -1.0, 1.0)
    t = np.where(np.isfinite(t), t, 0.0)[..., None] * strength
    mid = np.asarray(neutral(dark), dtype=np.float64)
    towards = np.where(t < 0, np.asarray(ORANGE, dtype=np.float64), np.asarray(BLUE, dtype=np.float64))
    rgb = mid + (towards - mid) * np.abs(t)
    return np.clip(np.rint(rgb), 0, 255).astype(np.uint8)


def ramp(value: float, low: float, high: float, dark: bool, strength: float = 1.0) -> tuple[int, int, int]:
    """One value's colour on the diverging ramp (see ramp_array)."""
    return tuple(int(c) for c in ramp_array(np.array([value]), low, high, dark, strength)[0])


def signed(value: float, scale: float, dark: bool) -> tuple[int, int, int]:
    """A weight's colour: blue for +, orange for −, its strength |value| / scale (links, summaries)."""
    scale = scale if scale > 0 else 1.0
    return ramp(value, -scale, scale, dark)


# Several classes: one colour each, the two-class pair first (class 0 orange, class 1 blue).
CLASS_COLOURS = (ORANGE, BLUE, GREEN, (190, 110, 200), (220, 80, 80), (40, 170, 170), (230, 200, 60),
                 (150, 110, 70), (120, 140, 230), (160, 160, 160))


def label_colour(label: float, n_classes: int) -> tuple[int, int, int]:
    """A data point's colour: class 0 orange, class 1 blue, more classes CLASS_COLOURS (regression:
    the value's sign)."""
    if n_classes == 0:
        return BLUE if label >= 0 else ORANGE
    if n_classes > 2:
        return CLASS_COLOURS[int(label) % len(CLASS_COLOURS)]
    return BLUE if label >= 1 else ORANGE


def class_pixels(classes: np.ndarray, confidence: np.ndarray, n_classes: int, dark: bool,
                 strength: float) -> np.ndarray:
    """(…, 3) uint8 colours of a several-class surface: each cell its class's colour, from the
    background (probability 1/k: a guess) to `strength` of the way to full colour (probability 1)."""
    palette = np.array([CLASS_COLOURS[k % len(CLASS_COLOURS)] for k in range(n_classes)], dtype=np.float64)
    chance = 1.0 / n_classes
    t = np.clip((confidence - chance) / (1.0 - chance), 0.0, 1.0)[..., None] * strength
    base = np.array(neutral(dark), dtype=np.float64)
    return np.rint(base + (palette[classes.astype(np.int64)] - base) * t).astype(np.uint8)


def point_colour(label: float, n_classes: int, dark: bool) -> tuple[int, int, int]:
    """A point drawn on a surface: its label colour, lifted (dark theme) or deepened (light) to stand out."""
    return blend(label_colour(label, n_classes), (255, 255, 255) if dark else (0, 0, 0), 0.22 if dark else 0.12)


@lru_cache(maxsize=8192)
def style(fg=None, bg=None, bold: bool = False) -> Style:
    """A rich Style from RGB tuples (cached: views build thousands of cells per frame)."""
    return Style(color=Color.from_rgb(*fg) if fg is not None else None,
                 bgcolor=Color.from_rgb(*bg) if bg is not None else None, bold=bold)


def hex_colour(rgb) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)
