"""The bundled 8×8 handwritten digits (UCI, via scikit-learn; see nnterm/data/files/NOTICE).

1,797 images, 64 pixel inputs (integers 0 … 16, row-major), 10 classes. Read from the package,
never downloaded.
"""
import io
from functools import lru_cache
from importlib import resources

import numpy as np

SIDE = 8
CLASS_NAMES = tuple(str(d) for d in range(10))
PIXEL_NAMES = tuple(f"pixel_{r}_{c}" for r in range(SIDE) for c in range(SIDE))


@lru_cache(maxsize=1)
def _arrays() -> tuple[np.ndarray, np.ndarray]:
    blob = resources.files("nnterm.data").joinpath("files", "digits.npz").read_bytes()
    with np.load(io.BytesIO(blob)) as archive:
        return archive["images"], archive["labels"]


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """(images (1797, 64) float64 in 0 … 16, labels (1797,) int64 in 0 … 9) — fresh copies."""
    images, labels = _arrays()
    return images.astype(np.float64), labels.astype(np.int64)
