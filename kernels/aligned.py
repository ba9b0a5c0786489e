"""Arrays whose first entry starts a cache line (64 bytes).

The register-blocked products (register_blocks.py) load rows of 16 float32 — 64 bytes — from
their operands where they lie. From an array that starts 16 bytes past a line, as numpy's large
arrays do (the allocator's header), every such load spans two lines: the MNIST shape's forward
product took 83.2 µs instead of 74.2. The flat parameter buffer and the epoch's scratch are made
here. Plain Python and numpy, so that the engine can call it without loading Numba;
register_blocks compiles the same function for the kernels.
"""
import numpy as np

ALIGNMENT = 64


def aligned_empty(n, like):
    """An uninitialised 1-D array of n entries of `like`'s dtype, its first entry on a cache line."""
    spare = ALIGNMENT // like.itemsize
    buffer = np.empty(n + spare, like.dtype)
    skip = ((ALIGNMENT - buffer.ctypes.data % ALIGNMENT) % ALIGNMENT) // like.itemsize
    return buffer[skip:skip + n]


def aligned_zeros(n: int, dtype) -> np.ndarray:
    """n zeros of `dtype`, the first on a cache line."""
    array = aligned_empty(n, np.empty(0, dtype))
    array[:] = 0
    return array
