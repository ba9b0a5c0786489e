"""The promise: `nnterm train xor --backend cuda --epochs 20 --json` gives the
CPU backend's losses within 1e-4 (float32). Run in this process (already the simulator's, or
a GPU's) through the same main() the `nnterm` command calls."""
import json

import pytest

from nnterm.cli import main


def epochs_of(capsys, backend: str) -> list[dict]:
    assert main(["train", "xor", "--backend", backend, "--epochs", "20", "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[-1]["final"] and lines[-1]["epochs"] == 20
    return lines[:-1]


def test_train_xor_on_cuda_matches_cpu_within_1e_4(capsys):
    cuda_epochs, cpu_epochs = epochs_of(capsys, "cuda"), epochs_of(capsys, "cpu")
    assert [e["epoch"] for e in cuda_epochs] == list(range(1, 21))
    for gpu, cpu in zip(cuda_epochs, cpu_epochs):
        assert gpu["train_loss"] == pytest.approx(cpu["train_loss"], abs=1e-4)
        assert gpu["val_loss"] == pytest.approx(cpu["val_loss"], abs=1e-4)
        assert gpu["val_accuracy"] == pytest.approx(cpu["val_accuracy"], abs=0.02)   # one point of 150 may flip at 0.5
