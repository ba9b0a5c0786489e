"""`nnterm train` on an empty cache trains its first epochs as the kernels' Python twins while
the warm-up's helper compiles the fused kernels (nnterm/warmup/headless.py): it compiles nothing
itself, and prints what a warm cache prints, bit for bit."""
import json
import os
import subprocess
import sys

import pytest

NOTHING_COMPILED_HERE = """
import nnterm
from nnterm.kernels import epoch
from nnterm.warmup.headless import compiled_meanwhile
trainer = nnterm.Trainer(nnterm.load_preset("xor"), seed=4)
with compiled_meanwhile(trainer):
    trainer.run(2)
net = trainer.network
print(len(epoch.epoch_kernel(net.loss_code, trainer.opt_code).signatures),
      len(epoch.evaluation_kernel(net.loss_code).signatures))
"""


def fresh_env(tmp_path, name):
    return dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path / name))


def test_an_empty_cache_trains_without_compiling_the_fused_kernels_here(tmp_path):
    run = subprocess.run([sys.executable, "-c", NOTHING_COMPILED_HERE], capture_output=True, text=True,
                         env=fresh_env(tmp_path, "empty"), timeout=600)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["0", "0"]


def epochs_printed(env) -> list[dict]:
    run = subprocess.run([sys.executable, "-m", "nnterm", "train", "xor", "--epochs", "3", "--json"],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    return [{k: v for k, v in line.items() if not k.endswith(("_ms", "seconds")) and k not in ("ms", "time")}
            for line in lines]


def test_the_first_epochs_as_twins_print_what_compiled_kernels_print(tmp_path):
    env = fresh_env(tmp_path, "cache")
    as_twins = epochs_printed(env)                              # empty cache: Python twins
    subprocess.run([sys.executable, "-c", "import nnterm; nnterm.Trainer(nnterm.load_preset('xor')).run(1)"],
                   check=True, env=env, timeout=600)           # now the cache holds the fused kernels
    assert epochs_printed(env) == as_twins
