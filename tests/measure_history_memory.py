"""How much memory a long run's history takes: `python tests/measure_history_memory.py 1000000`.

Trains a tiny preset (8 samples, one batch) so the epochs are cheap and what grows is the
history, not the kernels' work; tracemalloc counts the Python memory allocated during the run.
Not a test (no time or size is asserted); the figure is in the README's "What nnterm promises".
"""
import resource
import sys
import time
import tracemalloc

from nnterm.engine.trainer import Trainer
from nnterm.presets.loader import load_preset


def main(epochs: int) -> None:
    trainer = Trainer(load_preset("gauss", ["data.samples=8", "training.batch_size=8"]))
    trainer.run(100)                         # compiled and warm before measuring
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    start = time.time()
    reports = trainer.run(epochs)
    now, peak = tracemalloc.get_traced_memory()
    print(f"{epochs} epochs in {time.time() - start:.0f} s: history {len(trainer.history)} reports, run() returned "
          f"{len(reports)}; traced memory grew {(now - base) / 2**20:.1f} MiB (peak {(peak - base) / 2**20:.1f} MiB); "
          f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
