"""The fused epoch is compiled for one (loss, optimizer) pair, and the leaves compiled ahead of
it are exactly the specialisations the stepped twins and the fused kernels call, so the helper
and the app never compile one twice, and a network compiles only its own activations, loss and
optimizer rule before its first epoch."""
import os
import subprocess
import sys

import pytest

from nnterm.kernels import codes, epoch

def test_each_loss_and_optimizer_pair_is_a_kernel_with_cache_files_of_its_own():
    bce_sgd = epoch.epoch_kernel(codes.BCE, codes.SGD)
    assert epoch.epoch_kernel(codes.BCE, codes.SGD) is bce_sgd
    mse_adam = epoch.epoch_kernel(codes.MSE, codes.ADAM)
    assert mse_adam is not bce_sgd
    index = {kernel._cache._cache_file._index_path for kernel in (bce_sgd, mse_adam)}
    assert len(index) == 2
    assert all("train_epoch_bce_sgd" in path or "train_epoch_mse_adam" in path for path in index)


# In a fresh process on an empty cache: the warm-up's leaf step for xor (tanh, sigmoid, bce,
# sgd), then the stepped epoch and evaluation, then the fused ones; which kernels were compiled.
LEAF_STEPS = """
import numba
from nnterm.kernels import activations, dense, epoch, losses, optimizers, passes, regularizers
from nnterm.warmup import stepping
from nnterm.presets.loader import load_preset
from nnterm.warmup import kernel_warm_up as w
modules = (activations, dense, epoch, losses, optimizers, passes, regularizers)
def compiled():
    return {name: set(value.signatures) for m in modules for name, value in vars(m).items()
            if isinstance(value, numba.core.registry.CPUDispatcher) and value.signatures}
preset = load_preset("xor", ["data.samples=40"])
for step in ("stepped_leaves",):
    w.WORK[step](preset)
leaves = compiled()
print(sorted(name for name in leaves if name.startswith(("activate_", "backprop_"))
             or name.endswith(("_loss", "_grad", "_grads", "_delta", "_step"))))
with stepping.stepped_only():
    w.warm_training(preset)
    w.warm_evaluation(preset)
print(compiled() == leaves)
with stepping.compiled_only():
    w.warm_training(preset)
    w.warm_evaluation(preset)
after = compiled()
print(all(after[name] == signatures for name, signatures in leaves.items()))
print(sorted(name for name in after if name.endswith("_step")))
"""


@pytest.mark.slow                   # an empty kernel cache: every leaf and the fused epoch compile
def test_a_network_compiles_its_own_kinds_and_the_twins_and_fused_kernels_no_other_specialisation(tmp_path):
    out = subprocess.run([sys.executable, "-c", LEAF_STEPS], capture_output=True, text=True, timeout=600,
                         env=dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path)))
    assert out.returncode == 0, out.stderr
    kinds, stepped_compiled_nothing, fused_kept_them, rules = out.stdout.strip().splitlines()[-4:]
    assert kinds == str(["activate_sigmoid", "activate_tanh", "backprop_tanh", "bce_loss", "dense_bias_grads",
                         "dense_input_grads", "dense_weight_grads", "sgd_step", "sigmoid_bce_delta"])
    assert stepped_compiled_nothing == "True"
    assert fused_kept_them == "True"
    assert rules == "['sgd_step']"
