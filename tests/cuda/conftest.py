"""tests/cuda runs where CUDA kernels can run: on a real GPU, or under Numba's CUDA simulator
(NUMBA_ENABLE_CUDASIM=1, which must be set before numba is imported — so in its own pytest
process; tests/test_cuda_simulator.py starts that run, and the README's `python -m pytest`
covers it). Anywhere else every test here is skipped, with the reason."""
import os
import sys

import pytest

SIMULATED = os.environ.get("NUMBA_ENABLE_CUDASIM") == "1"


def why_skipped() -> str | None:
    if SIMULATED:
        return None
    from nnterm.engine.cuda_backend import gpu_present
    if gpu_present():
        return None
    return ("no CUDA GPU here and NUMBA_ENABLE_CUDASIM is not 1; "
            "tests/test_cuda_simulator.py runs these under the simulator")


try:
    import numba.cuda  # noqa: F401  (numba without its CUDA target: nothing here can even load)
    REASON = why_skipped()
except ImportError as err:
    REASON = f"numba.cuda cannot be imported ({err})"
    collect_ignore_glob = ["test_*.py"]

if SIMULATED:
    # The simulator runs CUDA threads as Python threads that hand the GIL back and forth at
    # every syncthreads; a short switch interval keeps those hand-offs from idling.
    sys.setswitchinterval(0.0005)


def pytest_collection_modifyitems(config, items):
    if REASON is None:
        return
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.skip(reason=REASON))


@pytest.fixture
def odd_launch(monkeypatch):
    """Grid-stride kernels with 3 threads a block and 2 blocks: no shape used here divides
    the block, and the loops wrap across blocks (launch sizes are read at each launch)."""
    from nnterm.kernels.cuda import launch
    monkeypatch.setattr(launch, "THREADS", 3)
    monkeypatch.setattr(launch, "MAX_BLOCKS", 2)
