"""Choosing where kernels run: cpu, cuda or auto — from --backend or a preset's
`training.backend` — and the one-sentence answer when cuda is asked for and no GPU exists."""
import numpy as np
import pytest

import nnterm
from nnterm.engine import backends
from nnterm.cli import main
from nnterm.engine.cuda_backend import NO_GPU, gpu_present
from nnterm.errors import NntermError
from nnterm.presets.loader import preset_from_dict

needs_no_gpu = pytest.mark.skipif(gpu_present(), reason="a CUDA GPU is present here, so cuda works")


@needs_no_gpu
def test_cuda_without_a_gpu_is_one_sentence_naming_the_fix(capsys):
    assert main(["train", "xor", "--backend", "cuda", "--epochs", "1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == f"nnterm: {NO_GPU}\n"
    assert "nnterm[cuda]" in NO_GPU and "--backend cpu" in NO_GPU


@needs_no_gpu
def test_the_playground_asked_for_cuda_without_a_gpu_says_so_before_opening(capsys):
    assert main(["tui", "xor", "--backend", "cuda"]) == 2
    assert capsys.readouterr().err == f"nnterm: {NO_GPU}\n"
    assert main(["tui", "xor", "--backend", "tpu"]) == 2
    assert capsys.readouterr().err == 'nnterm: --backend "tpu" is not one of auto, cpu, cuda\n'


@needs_no_gpu
def test_bench_on_cuda_without_a_gpu_is_the_same_sentence(capsys):
    assert main(["bench", "--backend", "cuda", "--runs", "1", "--seconds", "0.01"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"nnterm: {NO_GPU}"


@needs_no_gpu
def test_a_preset_asking_for_cuda_without_a_gpu_fails_the_same_way():
    preset = preset_from_dict({"name": "gpu", "training": {"backend": "cuda"}}, label="test preset")
    assert preset.training.backend == "cuda"
    with pytest.raises(NntermError, match="no CUDA GPU found"):
        nnterm.Trainer(preset)


def test_unknown_backends_are_refused_with_the_choices():
    with pytest.raises(NntermError, match='backend "tpu" is not one of auto, cpu, cuda'):
        backends.make_backend("tpu")
    with pytest.raises(NntermError, match='training.backend = "tpu" is not one of auto, cpu, cuda'):
        preset_from_dict({"training": {"backend": "tpu"}}, label="test preset")


def test_auto_runs_a_playground_net_on_the_cpu_with_the_cpu_numbers():
    preset = nnterm.load_preset("xor")
    auto, cpu = nnterm.Trainer(preset, backend="auto"), nnterm.Trainer(preset, backend="cpu")
    assert auto.backend.name == "auto"
    assert [r.train_loss for r in auto.run(3)] == [r.train_loss for r in cpu.run(3)]
    assert auto.backend.name == "auto (cpu)"


def test_auto_needs_both_a_big_step_and_a_real_gpu(monkeypatch):
    preset = nnterm.load_preset("xor")
    trainer = nnterm.Trainer(preset, backend="auto")
    net, batch = trainer.network, trainer.batch_size
    assert backends.step_macs(net, batch) == 3 * batch * (2 * 8 + 8 * 8 + 8 * 1)
    assert backends.step_macs(net, batch) < backends.AUTO_CUDA_MIN_MACS
    monkeypatch.setattr(backends, "AUTO_CUDA_MIN_MACS", 0)          # now the step is "big enough"
    monkeypatch.setattr("nnterm.engine.cuda_backend.gpu_present", lambda: False)
    trainer.train_epoch()
    assert trainer.backend.name == "auto (cpu)"
    chosen = []
    monkeypatch.setattr("nnterm.engine.cuda_backend.gpu_present", lambda: True)
    monkeypatch.setattr(backends, "cuda_backend", lambda: chosen.append("cuda") or backends.CpuBackend())
    fresh = backends.AutoBackend()
    fresh.choose(net, batch)
    assert chosen == ["cuda"]


def test_switching_backend_keeps_the_weights_and_is_saved_in_the_preset(monkeypatch):
    from nnterm.engine import cuda_backend
    trainer = nnterm.Trainer(nnterm.load_preset("xor"), backend="cpu")
    trainer.train_epoch()
    weights, state = trainer.network.params.copy(), trainer.state.copy()
    trainer.use_backend("auto")
    assert trainer.preset.training.backend == "auto" and isinstance(trainer.backend, backends.AutoBackend)
    monkeypatch.setattr(cuda_backend, "gpu_missing", lambda: NO_GPU)
    with pytest.raises(NntermError, match="no CUDA GPU found"):
        trainer.use_backend("cuda")
    assert trainer.preset.training.backend == "auto" and isinstance(trainer.backend, backends.AutoBackend)
    assert np.array_equal(trainer.network.params, weights) and np.array_equal(trainer.state, state)
