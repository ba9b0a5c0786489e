"""The fused epoch is compiled for one (loss, optimizer) pair, and the leaves compiled ahead of
it are exactly the specialisations the stepped twins and the fused kernels call, so the helper
and the app never compile one twice, and a network compiles only its own activations, loss and
optimizer rule before its first epoch."""
import os
import subprocess
import sys

import pytest

from nnterm.kernels import codes, epoch
from nnterm.kernels.register_blocks import REGISTER_BLOCKS

def test_each_loss_and_optimizer_pair_is_a_kernel_with_cache_files_of_its_own():
    bce_sgd = epoch.epoch_kernel(codes.BCE, codes.SGD)
    assert epoch.epoch_kernel(codes.BCE, codes.SGD) is bce_sgd
    mse_adam = epoch.epoch_kernel(codes.MSE, codes.ADAM)
    assert mse_adam is not bce_sgd
    index = {kernel._cache._cache_file._index_path for kernel in (bce_sgd, mse_adam)}
    assert len(index) == 2
    assert all("train_epoch_bce_sgd" in path or "train_epoch_mse_adam" in path for path in index)


# In a fresh process on an empty cache: the warm-up's leaf step for a preset (xor: tanh, sigmoid,
# bce, sgd), then the stepped epoch and evaluation, then the fused ones; which kernels were compiled.
LEAF_STEPS = """
import sys
import numba
from nnterm.kernels import activations, dense, epoch, losses, optimizers, passes, register_blocks, regularizers
from nnterm.warmup import stepping
from nnterm.presets.loader import load_preset
from nnterm.warmup import kernel_warm_up as w
modules = (activations, dense, epoch, losses, optimizers, passes, register_blocks, regularizers)
def compiled():
    return {name: set(value.signatures) for m in modules for name, value in vars(m).items()
            if isinstance(value, numba.core.registry.CPUDispatcher) and value.signatures}
preset = load_preset(sys.argv[1], sys.argv[2:])
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
print(sorted(name for name in after if name in BLOCKS))
"""
# The kernels of the register blocks (kernels.passes.blocks_for), which only a network whose products
# may take them compiles.
BLOCKS = {"forward_in_blocks", "gradient_in_blocks", "descend_in_blocks", "dense_forward_rows",
          "dense_weight_grads_rows", "descend_by_product_rows"}


def leaf_steps(tmp_path, *preset) -> list[str]:
    out = subprocess.run([sys.executable, "-c", f"BLOCKS = {BLOCKS!r}" + LEAF_STEPS, *preset], capture_output=True,
                         text=True, timeout=600, env=dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path)))
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().splitlines()[-5:]


@pytest.mark.slow                   # an empty kernel cache: every leaf and the fused epoch compile
def test_a_network_compiles_its_own_kinds_and_the_twins_and_fused_kernels_no_other_specialisation(tmp_path):
    kinds, stepped_compiled_nothing, fused_kept_them, rules, blocks = leaf_steps(tmp_path, "xor", "data.samples=40")
    assert kinds == str(["activate_sigmoid", "activate_tanh", "backprop_tanh", "bce_loss", "dense_bias_grads",
                         "dense_input_grads", "dense_weight_grads", "sgd_step", "sigmoid_bce_delta"])
    assert stepped_compiled_nothing == "True"
    assert fused_kept_them == "True"
    assert rules == "['sgd_step']"
    assert blocks == "[]"           # its products never take register blocks: none of their code compiles


@pytest.mark.slow
@pytest.mark.skipif(not REGISTER_BLOCKS, reason="register blocks need AVX-512 (the host has no AVX-512)")
def test_a_network_whose_products_take_register_blocks_compiles_them_ahead_of_its_twins_and_fused_kernels(tmp_path):
    _, stepped_compiled_nothing, fused_kept_them, _, blocks = leaf_steps(tmp_path, "digits")
    assert stepped_compiled_nothing == "True" and fused_kept_them == "True"
    assert blocks == str(sorted(BLOCKS))
