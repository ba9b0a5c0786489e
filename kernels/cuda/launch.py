"""Launch geometry: how many threads a kernel gets, and where the tiled matrix multiply starts.

On a GPU, blocks of 256 threads and 16 × 16 tiles (256 threads, 2 KB of shared memory per
tile pair in float32) are the usual sweet spot. Numba's CUDA simulator runs every thread as a
Python thread, and each one costs milliseconds to start on a busy machine, so there the
grid-stride kernels run one thread (a whole epoch of a playground net stays under a second),
tiles are 4 × 4 and reductions use 4 threads. tests/cuda re-runs the kernels with odd block
and grid sizes (launch.THREADS and MAX_BLOCKS are read at each launch, never compiled in), so
shapes that do not divide the block, and grid-stride loops that wrap across blocks, are tested.
"""
from numba import config

SIMULATOR = bool(config.ENABLE_CUDASIM)

THREADS = 1 if SIMULATOR else 256        # threads per block of a grid-stride kernel
MAX_BLOCKS = 1 if SIMULATOR else 1024    # grid-stride kernels never need more blocks than this
TILE = 4 if SIMULATOR else 16            # tiled matrix multiply: TILE × TILE threads, one output each
REDUCE_THREADS = 4 if SIMULATOR else 256 # the one-block tree sum (reduce.py); a power of two

# Below this many multiply-adds (rows × fan_in × fan_out) a dense product runs as one thread
# per output with a plain loop; above it, as shared-memory tiles, which read each input from
# global memory TILE times less often. Not measured yet (no GPU was lent while this was
# written): 64 Ki multiply-adds is where a 16 × 16 tile grid first fills a few SMs.
TILED_MIN_MACS = 1 << 16


def grid_1d(n: int) -> tuple[int, int]:
    """(blocks, threads) for a grid-stride kernel over n items."""
    blocks = max(1, min(MAX_BLOCKS, (n + THREADS - 1) // THREADS))
    return blocks, THREADS


def grid_tiles(rows: int, cols: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(blocks, threads) for a tiled kernel writing a rows × cols output: x walks columns."""
    return ((cols + TILE - 1) // TILE, (rows + TILE - 1) // TILE), (TILE, TILE)
