"""The two-launch small-net step (kernels/cuda/fused.py) against the CPU's forward + backward
(kernels.loss_and_grads) and update, for every activation in a hidden layer and every loss."""
import numpy as np
import pytest
from numba import cuda

from nnterm.kernels import blocks_for, codes, loss_and_grads
from nnterm.kernels.cuda import DeviceNetwork
from nnterm.kernels.epoch import apply_update
from nnterm.engine.network import Network

HIDDEN = [a for a in codes.ACTIVATIONS if a != "softmax"]
OUTPUTS = [("mse", "linear"), ("huber", "tanh"), ("mae", "leaky_relu"), ("bce", "sigmoid"), ("cce", "softmax"),
           ("mse", "softmax")]


def random_net(hidden: str, loss: str, out: str, rng) -> Network:
    net = Network([3, 5, 4, 2], [hidden, "tanh", out], loss, "float64")
    net.params[:] = rng.normal(0.0, 0.7, net.n_params)
    return net


def targets(loss: str, rows: int, rng) -> np.ndarray:
    if loss == "cce":
        return np.eye(2)[rng.integers(0, 2, rows)]
    if loss == "bce":
        return rng.integers(0, 2, (rows, 2)).astype(np.float64)
    return rng.normal(size=(rows, 2))


@pytest.mark.parametrize("loss,out", OUTPUTS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_rows_and_params_passes_match_cpu(odd_launch, hidden, loss, out):
    rng = np.random.default_rng(HIDDEN.index(hidden) * 10 + OUTPUTS.index((loss, out)))
    net = random_net(hidden, loss, out, rng)
    rows = 7
    x, y = rng.normal(size=(rows + 1, 3)), targets(loss, rows + 1, rng)       # one spare row, never read
    want_grads = np.zeros_like(net.params)
    want_loss = loss_and_grads(net.sizes, net.acts, net.offsets, net.loss_code, net.params, x[:rows], y[:rows],
                               want_grads, *net.trace_buffers(rows), blocks_for(net.sizes, rows, net.params.itemsize))
    device = DeviceNetwork(net.sizes, net.acts, net.offsets, net.loss_code, net.dtype, fused=True)
    device.upload(net.params, np.zeros((2, net.n_params)), net.mask)
    hp = np.zeros(codes.HP_SIZE)
    hp[codes.HP_LR] = 0.1
    device.hp.copy_to_device(hp)
    terms = cuda.to_device(np.zeros(rows))
    device.fused_step(cuda.to_device(x), cuda.to_device(y), rows, device.buffers(rows), terms, 0,
                      codes.SGD, 1, hp)
    n = rows if loss == "cce" else rows * 2
    assert terms.copy_to_host().sum() / n == pytest.approx(want_loss, rel=1e-12)
    np.testing.assert_allclose(device.grads.copy_to_host(), want_grads, rtol=1e-10, atol=1e-13)
    want_params = net.params.copy()
    apply_update(net.sizes, net.offsets, codes.SGD, want_params, want_grads, net.mask, np.zeros((2, net.n_params)), 1, hp)
    np.testing.assert_allclose(device.params.copy_to_host(), want_params, rtol=1e-10, atol=1e-13)
