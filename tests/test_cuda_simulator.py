"""The CUDA kernels under Numba's simulator, inside the one `python -m pytest` run.

NUMBA_ENABLE_CUDASIM must be set before numba is imported, and this process imported numba long
ago, so tests/cuda runs in a pytest process of its own (about a minute: the simulator runs
every CUDA thread in Python). Where a real GPU is present, tests/cuda also runs on it directly.
"""
import os
import subprocess
import sys

import pytest
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow                   # the simulator runs every CUDA kernel in Python: minutes
def test_cuda_kernels_pass_under_the_simulator():
    env = {**os.environ, "NUMBA_ENABLE_CUDASIM": "1"}
    run = subprocess.run([sys.executable, "-m", "pytest", "tests/cuda", "-q", "-o", "addopts=", "-p", "no:cacheprovider"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=540)
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-2000:]
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    assert " passed" in summary and "skipped" not in summary and "failed" not in summary, summary
