"""The fused epoch is compiled for one (loss, optimizer) pair, and the leaves compiled ahead of
it are exactly the specialisations it calls, so the helper and the app never compile one twice."""
import os
import subprocess
import sys

import numpy as np

from nnterm import kernels
from nnterm.engine.trainer import Trainer
from nnterm.kernels import activations, codes, dense, epoch, losses, passes
from nnterm.presets.loader import load_preset

LEAVES = (passes.unit_block, passes.weight_view, passes.bias_view, epoch.gather_row, dense.dense_forward,
          activations.activate, losses.clamped_log, activations.backprop_activation, dense.dense_weight_grads,
          dense.dense_input_grads)


def test_an_epoch_after_the_leaf_compiles_asks_for_no_other_specialisation():
    kernels.compile_shared_leaves(np.dtype("float32"))
    kernels.compile_backward_leaves(np.dtype("float32"))
    before = {leaf.py_func.__name__: set(leaf.signatures) for leaf in LEAVES}
    assert all(before.values())
    kernels.compile_shared_leaves(np.dtype("float32"), from_the_end=True)    # the helper's way round
    Trainer(load_preset("xor", ["data.samples=40"])).train_epoch()
    assert {leaf.py_func.__name__: set(leaf.signatures) for leaf in LEAVES} == before


def test_each_loss_and_optimizer_pair_is_a_kernel_with_cache_files_of_its_own():
    bce_sgd = epoch.epoch_kernel(codes.BCE, codes.SGD)
    assert epoch.epoch_kernel(codes.BCE, codes.SGD) is bce_sgd
    mse_adam = epoch.epoch_kernel(codes.MSE, codes.ADAM)
    assert mse_adam is not bce_sgd
    index = {kernel._cache._cache_file._index_path for kernel in (bce_sgd, mse_adam)}
    assert len(index) == 2
    assert all("train_epoch_bce_sgd" in path or "train_epoch_mse_adam" in path for path in index)


# In a fresh process on an empty cache: which optimizer rules an sgd epoch compiled.
ONE_EPOCH = """
from nnterm.kernels import optimizers
from nnterm.presets.loader import load_preset
from nnterm.session.kernel_warm_up import warm_training
warm_training(load_preset("xor", ["data.samples=40"]))
print(sorted(name for name in ("sgd_step", "rmsprop_step", "adagrad_step", "adam_step", "decay_weights")
             if getattr(optimizers, name).signatures))
"""


def test_an_sgd_epoch_compiles_no_other_optimizer_rule(tmp_path):
    out = subprocess.run([sys.executable, "-c", ONE_EPOCH], capture_output=True, text=True, timeout=600,
                         env=dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path)))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "['sgd_step']"
