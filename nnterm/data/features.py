"""Input feature transforms of TensorFlow Playground, computed from the raw 2-D point."""
import numpy as np

TRANSFORMS = {
    "x1": lambda p: p[:, 0],
    "x2": lambda p: p[:, 1],
    "x1^2": lambda p: p[:, 0] ** 2,
    "x2^2": lambda p: p[:, 1] ** 2,
    "x1*x2": lambda p: p[:, 0] * p[:, 1],
    "sin(x1)": lambda p: np.sin(p[:, 0]),
    "sin(x2)": lambda p: np.sin(p[:, 1]),
}
# Each feature as a person writes it: the playground's toggles and the exports' notes.
LABELS = {"x1": "x1", "x2": "x2", "x1^2": "x1²", "x2^2": "x2²", "x1*x2": "x1·x2", "sin(x1)": "sin x1", "sin(x2)": "sin x2"}


def expand(points: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """(n, 2) points → (n, len(names)) features, in the order named."""
    return np.column_stack([TRANSFORMS[name](points) for name in names])
