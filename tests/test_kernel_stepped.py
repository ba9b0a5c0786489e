"""The stepped twins (nnterm/warmup/twins.py): the fused kernels' own source run as Python over the
compiled leaves gives the same numbers bit for bit, and runs only while a warm-up allows it
(nnterm/warmup/stepping.py)."""
import hashlib
import os
import subprocess
import sys

import pytest

import nnterm
from nnterm.kernels import activations, epoch, losses, passes
from nnterm.warmup import stepping, twins

CASES = [
    ("xor", 12, []),                                                       # bce + sigmoid, sgd, tanh
    ("xor", 6, ["network.dtype=float64", "training.loss=mse", "training.optimizer=rmsprop"]),
    ("digits", 1, []),                                                     # softmax + cce, adam, BLAS
    ("circle", 8, ["training.optimizer=momentum", "training.nesterov=true", "training.l1=0.001",
                   "training.l2=0.01", "training.clip_norm=0.5"]),
    ("spiral", 4, ["training.optimizer=adamw", "training.weight_decay=0.01", "training.loss=huber"]),
]


def fingerprint(name, epochs, sets, stepped_run):
    trainer = nnterm.Trainer(nnterm.load_preset(name, sets), seed=3)
    if stepped_run:
        with stepping.stepped_only():
            reports = trainer.run(epochs)
    else:
        reports = trainer.run(epochs)
    history = [(r.train_loss, r.val_loss, sorted(r.metrics.items())) for r in reports]
    return hashlib.sha256(repr(history).encode() + trainer.network.params.tobytes()).hexdigest()


@pytest.mark.parametrize("name, epochs, sets", CASES)
def test_the_twin_trains_bit_for_bit_as_the_fused_epoch(name, epochs, sets):
    assert fingerprint(name, epochs, sets, stepped_run=True) == fingerprint(name, epochs, sets, stepped_run=False)


def test_the_twins_route_glue_to_twins_and_everything_else_to_compiled_kernels():
    backward = twins.twin(passes.backward)
    assert twins.twin(passes.backward) is backward                     # made once
    scope = backward.__globals__
    assert scope["loss_value"] is twins.twin(losses.loss_value)        # glue: its twin
    assert scope["dense_weight_grads"] is passes.dense_weight_grads      # a leaf: the compiled kernel
    assert twins.twin(activations.activate).__globals__["activate_tanh"] is activations.activate_tanh


# In a fresh process: a pair no other test trains, run while stepping is allowed, never compiles
# its fused kernel; the same run in compiled_only() compiles it, and both give the same loss.
POLICY = """
import nnterm
from nnterm.kernels import codes, epoch
from nnterm.warmup import stepping, twins
preset = nnterm.load_preset("circle", ["training.loss=mae", "training.optimizer=adagrad", "data.samples=60"])
fused = epoch.epoch_kernel(codes.MAE, codes.ADAGRAD)
with stepping.allow_stepping():
    a = nnterm.Trainer(preset, seed=1).run(2)[-1].train_loss
    print(len(fused.signatures), len(epoch.evaluation_kernel(codes.MAE).signatures))
    with stepping.compiled_only():
        b = nnterm.Trainer(preset, seed=1).run(2)[-1].train_loss
    print(len(fused.signatures), a == b)
c = nnterm.Trainer(preset, seed=1).run(2)[-1].train_loss
print(c == a)
"""


def test_stepping_runs_the_twin_only_while_allowed_and_the_kernel_is_not_compiled():
    out = subprocess.run([sys.executable, "-c", POLICY], capture_output=True, text=True, timeout=600,
                         env=dict(os.environ))
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:3] == ["0 0", "1 True", "True"]


WITHOUT_WARM_UP = """
import nnterm
from nnterm.kernels import epoch
from nnterm.warmup import stepping, twins
assert not stepping.stepping_allowed()
trainer = nnterm.Trainer(nnterm.load_preset("xor", ["data.samples=40"]))
trainer.train_epoch()
print(bool(epoch.epoch_kernel(trainer.network.loss_code, trainer.opt_code).signatures))
"""


def test_without_a_warm_up_every_call_runs_the_compiled_kernel():
    # A fresh interpreter: in the suite's worker another file's warm-up may still be finishing.
    out = subprocess.run([sys.executable, "-c", WITHOUT_WARM_UP], capture_output=True, text=True, timeout=600,
                         env=dict(os.environ))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"
