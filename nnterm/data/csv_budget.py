"""A CSV that would need more than a stated share of the machine's memory is refused before it is read.

    check_budget(path, size, head, delimiter, itemsize)   # None, or one sentence naming the size and the budget

    need ≈ HELD_COPIES · cells · itemsize                     (the fast reader)
    need ≈ file bytes + PRECISE_BYTES_PER_CELL · cells        (the precise reader, when the fast one gives up)
    cells ≈ file bytes · (cells per byte in the first HEAD_BYTES)
    budget = MEMORY_SHARE · the machine's physical memory

The fast reader holds one chunk of the file and the numbers; they are then held as the values
read, the standardised training / validation / test splits, and one copy more for training's own
work. The precise reader holds the whole text and a Python string and list slot per cell: about
90 bytes a cell, measured on a 60,000 × 785 file (docs/design.md, "Data").
"""
from nnterm.runtime.language import _
from nnterm.errors import NntermError
from nnterm.runtime.memory import machine_memory

MEMORY_SHARE = 0.5
HELD_COPIES = 3
PRECISE_BYTES_PER_CELL = 90
HEAD_BYTES = 1 << 16


def cells_per_byte(head: bytes, delimiter: bytes) -> float:
    """Cells per byte of the whole lines in `head` (its last, partial line left out when there are others)."""
    lines = head.split(b"\n")
    whole = lines[:-1] or lines
    return sum(line.count(delimiter) + 1 for line in whole) / max(1, sum(len(line) + 1 for line in whole))


def gigabytes(n: float) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


def check_budget(path: str, size: int, head: bytes, delimiter: str, itemsize: int, precise: bool = False,
                 memory: int | None = None) -> None:
    memory = machine_memory() if memory is None else memory
    if not memory:
        return
    cells = size * cells_per_byte(head, delimiter.encode())
    need = size + PRECISE_BYTES_PER_CELL * cells if precise else HELD_COPIES * itemsize * cells
    budget = MEMORY_SHARE * memory
    if need > budget:
        how = _(" read cell by cell (it is not plainly numbered)") if precise else ""
        raise NntermError(_("{path}: {size} with about {cells:,.0f} cells would need about {need} of memory{how}, more than nnterm's budget of {budget} ({MEMORY_SHARE:.0%} of this machine's {memory}); use fewer rows or columns").format(path=path, size=gigabytes(size), cells=cells, need=gigabytes(need), how=how, budget=gigabytes(budget), MEMORY_SHARE=MEMORY_SHARE, memory=gigabytes(memory)))
