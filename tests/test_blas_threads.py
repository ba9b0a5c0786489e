"""The one-BLAS-thread rule for the Python API: one thread around nnterm's kernel calls, the
caller's own count before and after, however the calls nest."""
import pytest

threadpoolctl = pytest.importorskip("threadpoolctl")

from nnterm.engine.trainer import Trainer  # noqa: E402
from nnterm.presets.loader import preset_from_dict  # noqa: E402
from nnterm.runtime.blas_threads import one_blas_thread  # noqa: E402


def blas_threads() -> list[int]:
    import scipy.linalg.cython_blas  # noqa: F401  (the BLAS Numba's np.dot calls)
    return [info["num_threads"] for info in threadpoolctl.threadpool_info() if info["user_api"] == "blas"]


@pytest.fixture
def two_threads():
    if not blas_threads():
        pytest.skip("threadpoolctl sees no BLAS library here")
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):
        if set(blas_threads()) != {2}:
            pytest.skip("this BLAS cannot run two threads")
        yield


def test_one_thread_inside_and_the_callers_count_after(two_threads):
    with one_blas_thread():
        assert set(blas_threads()) == {1}
        with one_blas_thread():
            assert set(blas_threads()) == {1}
        assert set(blas_threads()) == {1}               # the outer call still runs
    assert set(blas_threads()) == {2}


def test_training_through_the_api_leaves_the_setting_as_it_found_it(two_threads):
    preset = preset_from_dict({"name": "wide", "data": {"kind": "xor", "samples": 200},
                               "network": {"layers": [{"units": 256, "activation": "relu"},
                                                      {"units": 1, "activation": "sigmoid"}]},
                               "training": {"loss": "bce", "batch_size": 200}}, label="test")
    trainer = Trainer(preset)
    assert trainer.network.calls_blas(trainer.batch_size)
    trainer.train_epoch()
    assert set(blas_threads()) == {2}
