"""Which inputs are images (docs/design.md, "Data"): the bundled 8 × 8 digits, the 28 × 28 IDX
sets, and a CSV whose input columns are exactly 784 or 64 pixels — the layout learners download
MNIST in (a label column and 784 pixel columns). The digit browser (j), the view of what each
unit looks for (u) and `nnterm summary` read this one answer.
"""
from nnterm.data.image_sets import BY_KIND

# inputs per sample → (rows, columns) of a square greyscale image, row-major
SQUARE_IMAGES = {784: (28, 28), 64: (8, 8)}
IMAGE_KINDS = frozenset({"digits", "csv", *BY_KIND})


def pixel_names(side: int) -> tuple[str, ...]:
    """pixel_ROW_COLUMN for a side × side image, row-major: the input names of an image set."""
    return tuple(f"pixel_{r}_{c}" for r in range(side) for c in range(side))


def image_shape(kind: str, n_inputs: int) -> tuple[int, int] | None:
    """(rows, columns) when each sample's inputs are one image's pixels, else None."""
    return SQUARE_IMAGES.get(n_inputs) if kind in IMAGE_KINDS else None
