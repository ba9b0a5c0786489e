"""Where the kernels run. Every backend takes the same flat ABI and returns the same numbers."""
from nnterm.runtime.language import _
import numpy as np

from nnterm import kernels
from nnterm.engine.network import Network
from nnterm.errors import NntermError
from nnterm.kernels import codes
from nnterm.runtime.blas_threads import one_blas_thread



class CpuBackend:
    """Numba @njit kernels on the host, BLAS on one thread while they run (nnterm/runtime/blas_threads.py)
    whenever a layer is big enough to call it."""

    name = "cpu"

    def train_epoch(self, net: Network, opt_code: int, state, step, hp, x, y, order, batch_size) -> float:
        if not net.calls_blas(batch_size):
            return kernels.train_epoch(net.sizes, net.acts, net.offsets, net.loss_code, opt_code, net.params,
                                       net.grads, net.mask, state, step, hp, x, y, order, batch_size)
        with one_blas_thread():
            return kernels.train_epoch(net.sizes, net.acts, net.offsets, net.loss_code, opt_code, net.params,
                                       net.grads, net.mask, state, step, hp, x, y, order, batch_size)

    def evaluate_loss(self, net: Network, x, y) -> float:
        if x.shape[0] == 0:
            return float("nan")
        with one_blas_thread():
            return float(kernels.evaluate_loss(net.sizes, net.acts, net.offsets, net.loss_code, net.params, x, y,
                                               codes.ROW_CHUNK))

    def predict(self, net: Network, x) -> np.ndarray:
        return net.predict(x)


def cuda_backend():
    """nnterm.engine.cuda_backend.CudaBackend, imported only when asked for (it loads numba.cuda)."""
    from nnterm.engine.cuda_backend import CudaBackend
    return CudaBackend()


# `auto` runs a network on the GPU only when one training step is big enough to gain. NOT
# MEASURED: no GPU was lent while this was written, so the crossover is an estimate, chosen
# to err towards the CPU. A step launches ~8 kernels from Python (~10–30 µs each), so it
# costs ≥ ~0.2 ms on any GPU, where the CPU backend does ~10 GFLOP/s on one core: the GPU
# can win only from ~10⁶ multiply-adds a step (forward + both backward products), and we
# ask for 8 times that. `nnterm bench` on a GPU machine is how to place it for real.
AUTO_CUDA_MIN_MACS = 8_000_000


def step_macs(net: Network, batch_size: int) -> int:
    """Multiply-adds of one training step: batch × Σ fan_in·fan_out, for forward, ∂W and ∂x."""
    per_sample = int(np.sum(net.sizes[:-1] * net.sizes[1:]))
    return 3 * batch_size * per_sample


class AutoBackend:
    """`auto`: the CPU, unless a GPU is present and a training step is big enough to gain
    (AUTO_CUDA_MIN_MACS). Decided at the first training epoch, which knows the batch size;
    `name` then says which one runs, e.g. "auto (cpu)"."""

    def __init__(self):
        self.chosen = None
        self.cpu = CpuBackend()

    @property
    def name(self) -> str:
        return f"auto ({self.chosen.name})" if self.chosen is not None else "auto"

    def choose(self, net: Network, batch_size: int):
        if self.chosen is None:
            self.chosen = self.cpu
            if step_macs(net, batch_size) >= AUTO_CUDA_MIN_MACS:
                from nnterm.engine.cuda_backend import gpu_present
                if gpu_present():
                    self.chosen = cuda_backend()
        return self.chosen

    def train_epoch(self, net: Network, opt_code: int, state, step, hp, x, y, order, batch_size) -> float:
        return self.choose(net, batch_size).train_epoch(net, opt_code, state, step, hp, x, y, order, batch_size)

    def evaluate_loss(self, net: Network, x, y) -> float:
        return (self.chosen or self.cpu).evaluate_loss(net, x, y)

    def predict(self, net: Network, x) -> np.ndarray:
        return (self.chosen or self.cpu).predict(net, x)


BACKENDS = {"auto": AutoBackend, "cpu": CpuBackend, "cuda": cuda_backend}


def make_backend(name: str):
    if name not in BACKENDS:
        raise NntermError(_("backend \"{name}\" is not one of {backends}").format(name=name, backends=", ".join(BACKENDS)))
    return BACKENDS[name]()
