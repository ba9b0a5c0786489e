"""Where the kernels run. Every backend takes the same flat ABI and returns the same numbers."""
import numpy as np

from nnterm import kernels
from nnterm.errors import NntermError
from nnterm.network import Network

EVAL_CHUNK = 4096


class CpuBackend:
    """Numba @njit kernels on the host."""

    name = "cpu"

    def train_epoch(self, net: Network, opt_code: int, state, step, hp, x, y, order, batch_size) -> float:
        return kernels.train_epoch(net.sizes, net.acts, net.offsets, net.loss_code, opt_code, net.params,
                                   net.grads, net.mask, state, step, hp, x, y, order, batch_size)

    def evaluate_loss(self, net: Network, x, y) -> float:
        if x.shape[0] == 0:
            return float("nan")
        return float(kernels.evaluate_loss(net.sizes, net.acts, net.offsets, net.loss_code, net.params, x, y, EVAL_CHUNK))

    def predict(self, net: Network, x) -> np.ndarray:
        return net.predict(x)


BACKENDS = {"cpu": CpuBackend}


def make_backend(name: str):
    if name == "auto":
        name = "cpu"
    if name not in BACKENDS:
        raise NntermError(f'backend "{name}" is not one of {", ".join(["auto", *BACKENDS])}')
    return BACKENDS[name]()
