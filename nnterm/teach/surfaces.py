"""Two-parameter loss surfaces for the descent race: each a value f(x, y), its gradient, and
where its minimum lies.

Each function works on floats and on NumPy arrays alike (the race steps one point, the heatmap
evaluates a whole grid). The formula is written beside the code that computes it. The defaults
(start point, view, learning rates, steps) are chosen so that every optimizer makes visible
progress from the same start; they are documented per surface in `SURFACES` and in the README.
"""
from dataclasses import dataclass, field

import numpy as np

from nnterm.errors import NntermError
from nnterm.runtime.language import N_


def bowl(x, y):
    """f = x² + y²"""
    return x * x + y * y


def bowl_grad(x, y):
    """∇f = (2x, 2y)"""
    return 2.0 * x, 2.0 * y


VALLEY_STEEPNESS = 20.0


def valley(x, y):
    """f = x² + 20·y²"""
    return x * x + VALLEY_STEEPNESS * y * y


def valley_grad(x, y):
    """∇f = (2x, 40y)"""
    return 2.0 * x, 2.0 * VALLEY_STEEPNESS * y


def rosenbrock(x, y):
    """f = (1 − x)² + 100·(y − x²)²"""
    return (1.0 - x) ** 2 + 100.0 * (y - x * x) ** 2


def rosenbrock_grad(x, y):
    """∂f/∂x = −2(1 − x) − 400·x·(y − x²),   ∂f/∂y = 200·(y − x²)"""
    return -2.0 * (1.0 - x) - 400.0 * x * (y - x * x), 200.0 * (y - x * x)


def saddle(x, y):
    """f = x² + ¼y⁴ − ½y²"""
    return x * x + 0.25 * y ** 4 - 0.5 * y * y


def saddle_grad(x, y):
    """∇f = (2x, y³ − y)"""
    return 2.0 * x, y ** 3 - y


def beale(x, y):
    """f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²"""
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2


def beale_grad(x, y):
    """With a₁ = 1.5 − x + xy, a₂ = 2.25 − x + xy², a₃ = 2.625 − x + xy³:
    ∂f/∂x = 2a₁(y − 1) + 2a₂(y² − 1) + 2a₃(y³ − 1),   ∂f/∂y = 2a₁·x + 2a₂·2xy + 2a₃·3xy²"""
    a1 = 1.5 - x + x * y
    a2 = 2.25 - x + x * y * y
    a3 = 2.625 - x + x * y ** 3
    gx = 2.0 * a1 * (y - 1.0) + 2.0 * a2 * (y * y - 1.0) + 2.0 * a3 * (y ** 3 - 1.0)
    gy = 2.0 * a1 * x + 4.0 * a2 * x * y + 6.0 * a3 * x * y * y
    return gx, gy


DENT_DEPTH = 2.0


def dents(x, y):
    """f = x² + y² + 4 − 2·cos(2πx) − 2·cos(2πy), a gentle Rastrigin"""
    a = DENT_DEPTH
    return x * x + y * y + 2.0 * a - a * np.cos(2.0 * np.pi * x) - a * np.cos(2.0 * np.pi * y)


def dents_grad(x, y):
    """∇f = (2x + 4π·sin(2πx), 2y + 4π·sin(2πy))"""
    a = DENT_DEPTH
    return (2.0 * x + 2.0 * np.pi * a * np.sin(2.0 * np.pi * x),
            2.0 * y + 2.0 * np.pi * a * np.sin(2.0 * np.pi * y))


DESTINATION = (2.0, 1.0)


def distance(x, y):
    """f = √((x − 2)² + (y − 1)²)"""
    return np.hypot(x - DESTINATION[0], y - DESTINATION[1])


def distance_grad(x, y):
    """∇f = ((x − 2)/d, (y − 1)/d), the unit vector pointing away from the destination
    (taken as 0 on the destination itself, where d = 0 and the slope is undefined)."""
    d = np.hypot(x - DESTINATION[0], y - DESTINATION[1])
    with np.errstate(divide="ignore", invalid="ignore"):
        gx = np.where(d > 0.0, (x - DESTINATION[0]) / d, 0.0)
        gy = np.where(d > 0.0, (y - DESTINATION[1]) / d, 0.0)
    return (gx[()], gy[()]) if np.ndim(d) == 0 else (gx, gy)


@dataclass(frozen=True)
class Surface:
    name: str
    title: str               # a msgid (N_), shown translated
    formula: str
    value: object            # f(x, y)
    gradient: object         # (∂f/∂x, ∂f/∂y)
    minimum: tuple           # one point where f is lowest
    minimum_value: float
    extent: tuple            # (x_min, x_max, y_min, y_max) of the view
    start: tuple             # where every racer starts by default
    steps: int               # default number of steps
    tolerance: float         # "reached the minimum": f − minimum_value ≤ tolerance
    learning_rates: dict = field(default_factory=dict)   # default lr per optimizer
    story: str = ""          # a msgid (N_) with a {formula} slot: what the surface is like, shown translated


# Default learning rates per surface, chosen so each optimizer is stable from the default start
# and the race shows the textbook behaviour (see the README's table). β defaults are PyTorch's.
SURFACES = {s.name: s for s in (
    Surface("bowl", N_("Bowl"), "f = x² + y²", bowl, bowl_grad, (0.0, 0.0), 0.0,
            (-2.0, 2.0, -2.0, 2.0), (-1.6, 1.4), 100, 1e-4,
            {"gd": 0.1, "momentum": 0.05, "nesterov": 0.05, "rmsprop": 0.02, "adagrad": 0.5, "adam": 0.1},
            N_("{formula}: a round bowl, the same curvature every way.")),
    Surface("valley", N_("Elongated valley"), "f = x² + 20·y²", valley, valley_grad, (0.0, 0.0), 0.0,
            (-2.0, 2.0, -1.0, 1.0), (-1.8, 0.6), 150, 1e-4,
            {"gd": 0.045, "momentum": 0.01, "nesterov": 0.01, "rmsprop": 0.02, "adagrad": 0.5, "adam": 0.1},
            N_("{formula}: a long narrow valley, steep across (y) and shallow along (x). Plain gradient descent "
               "zig-zags across it; momentum averages the zig-zag away.")),
    Surface("rosenbrock", N_("Rosenbrock"), "f = (1 − x)² + 100·(y − x²)²", rosenbrock, rosenbrock_grad,
            (1.0, 1.0), 0.0, (-2.0, 2.0, -1.0, 3.0), (-1.2, 1.0), 1000, 1e-3,
            {"gd": 0.001, "momentum": 0.001, "nesterov": 0.001, "rmsprop": 0.005, "adagrad": 0.5, "adam": 0.05},
            N_("{formula}: a curved, flat-bottomed banana valley; minimum 0 at (1, 1).")),
    Surface("saddle", N_("Saddle point"), "f = x² + ¼y⁴ − ½y²", saddle, saddle_grad, (0.0, 1.0), -0.25,
            (-2.0, 2.0, -2.0, 2.0), (-1.5, 0.001), 150, 1e-4,
            {"gd": 0.1, "momentum": 0.02, "nesterov": 0.02, "rmsprop": 0.01, "adagrad": 0.3, "adam": 0.05},
            N_("{formula}: a saddle point at (0, 0) (a minimum along x, a maximum along y) between two valleys "
               "with minimum −¼ at (0, ±1). Starting almost on the ridge, the gradient along y is tiny, and an "
               "optimizer must find its way off the saddle.")),
    Surface("beale", N_("Beale"), "f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²", beale, beale_grad,
            (3.0, 0.5), 0.0, (-0.5, 4.0, -1.0, 2.0), (1.0, 1.5), 500, 1e-3,
            {"gd": 0.001, "momentum": 0.0005, "nesterov": 0.0005, "rmsprop": 0.005, "adagrad": 0.5, "adam": 0.05},
            N_("{formula}: flat plateaus and sharp ridges; minimum 0 at (3, 0.5).")),
    Surface("local_minima", N_("Many local minima"), "f = x² + y² + 4 − 2·cos 2πx − 2·cos 2πy", dents,
            dents_grad, (0.0, 0.0), 0.0, (-4.0, 4.0, -4.0, 4.0), (-3.2, 2.3), 300, 1e-3,
            {"gd": 0.01, "momentum": 0.01, "nesterov": 0.01, "rmsprop": 0.05, "adagrad": 0.5, "adam": 0.5},
            N_("{formula} (a gentle Rastrigin): a bowl covered in dents, a local minimum near every whole-number "
               "point; the global minimum 0 is at (0, 0).")),
    Surface("distance", N_("Distance to destination"), "f = √((x − 2)² + (y − 1)²)", distance, distance_grad,
            DESTINATION, 0.0, (-3.0, 3.0, -2.0, 2.0), (-2.0, -1.5), 100, 0.05,
            {"gd": 0.1, "momentum": 0.02, "nesterov": 0.02, "rmsprop": 0.05, "adagrad": 0.5, "adam": 0.1},
            N_("{formula}: how far you are from the destination (2, 1), as in walking downhill across a plane "
               "towards it. The slope is 1 everywhere, so plain gradient descent walks at a constant pace of lr per "
               "step and ends up stepping back and forth over the goal.")),
)}


def get_surface(name: str) -> Surface:
    if name not in SURFACES:
        raise NntermError(f'surface "{name}" is not one of {", ".join(SURFACES)}')
    return SURFACES[name]


def surface_grid(surface: Surface, columns: int, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, f) over the surface's view: `columns` x-values left → right, `rows` y-values
    top → bottom (highest y first, as a plot is read), f[row, column]."""
    x0, x1, y0, y1 = surface.extent
    xs = np.linspace(x0, x1, columns)
    ys = np.linspace(y1, y0, rows)
    gx, gy = np.meshgrid(xs, ys)
    return xs, ys, np.asarray(surface.value(gx, gy), dtype=np.float64)
