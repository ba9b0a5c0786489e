"""`b` in the playground: the next backend between runs, shown in the status line; one that
cannot run here (cuda without a GPU) is skipped with its reason, and the weights stay."""
import numpy as np
import pytest

from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp
from nnterm.tui.playground.status_line import StatusLine


@pytest.fixture
def no_gpu(monkeypatch):
    from nnterm.engine import cuda_backend
    monkeypatch.setattr(cuda_backend, "gpu_missing", lambda: cuda_backend.NO_GPU)


async def test_b_cycles_backends_skipping_cuda_without_a_gpu(no_gpu):
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        weights = app.session.trainer.network.params.copy()
        assert app.session.trainer.backend.name == "cpu"
        await pilot.press("b")
        await pilot.pause()
        status = app.screen.query_one(StatusLine)
        assert app.session.preset.training.backend == "auto" and app.session.trainer.backend.name == "auto"
        assert "backend auto; cuda skipped: no CUDA GPU found" in status.message and status.render().plain.count("auto")
        await pilot.press("b")
        await pilot.pause()
        assert app.session.preset.training.backend == "cpu" and status.message == "backend cpu"
        assert np.array_equal(app.session.trainer.network.params, weights)
        await pilot.press("n")                                       # and it still trains
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.session.trainer.epoch == 1
