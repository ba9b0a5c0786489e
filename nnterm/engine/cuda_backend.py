"""The `cuda` backend: the same three calls as CpuBackend, run by nnterm.kernels.cuda on a GPU.

The device copy of the network is the one that trains. Data is uploaded once per array (the
Trainer keeps its arrays for the whole run); parameters, optimizer state and the trainable mask
go up only when the host's copy changed since the last epoch (a new network, weights the
Trainer restored after a divergence or early stop, a weight or freeze edited in the TUI).
After each epoch the parameters and optimizer state come back to the host, because the Trainer
reads `net.params` (its divergence check, snapshots, saved weights) and keeps `state` to
restore — the host arrays are always the truth between epochs, as with the CPU backend.
"""
import warnings

import numpy as np

from nnterm.errors import NntermError
from nnterm.engine.network import Network

NO_GPU = "no CUDA GPU found: install nnterm[cuda] and an NVIDIA driver, or use --backend cpu"
DATA_CACHE = 6        # device copies of host arrays kept (train / val / test x and y)


def gpu_missing() -> str | None:
    """None when a CUDA GPU (or Numba's simulator, NUMBA_ENABLE_CUDASIM=1) can run kernels,
    else the sentence that says why not and what to do."""
    try:
        from numba import cuda
    except Exception:                 # numba without its CUDA target (numba-cuda not installed)
        return NO_GPU
    try:
        return None if cuda.is_available() else NO_GPU
    except Exception:                 # a broken driver install: the same answer, never a traceback
        return NO_GPU


def gpu_present() -> bool:
    """A real GPU, for `auto`: the simulator runs kernels, but far too slowly to choose."""
    from numba import config
    return not config.ENABLE_CUDASIM and gpu_missing() is None


class CudaBackend:
    """numba.cuda kernels; raises the NO_GPU sentence when there is no GPU to run them."""

    name = "cuda"

    def __init__(self, tiled_min_macs: int | None = None, fused: bool | None = None):
        """tiled_min_macs and fused override the kernels' own choices (tests use them to force
        every path: per-layer kernels, shared-memory tiles, the two-launch small-net step)."""
        why = gpu_missing()
        if why:
            raise NntermError(why)
        # Small grids are deliberate here (a playground net has a few dozen weights); Numba's
        # "Grid size N will likely result in GPU under-utilization" would only clutter stderr
        # and the TUI's screen.
        warnings.filterwarnings("ignore", message=r".*Grid size \d+ will likely result in GPU under-utilization")
        from nnterm.kernels import cuda as device_kernels
        self.kernels = device_kernels
        self.options = {name: value for name, value in (("tiled_min_macs", tiled_min_macs), ("fused", fused))
                        if value is not None}
        self.net = None               # the Network the device copy belongs to
        self.device = None            # its kernels.cuda.DeviceNetwork
        self.synced = None            # (params, state, mask) as the device holds them, host copies
        self.data = []                # [(host array, device array)], most recent last

    # --- the three calls -----------------------------------------------------------------
    def train_epoch(self, net: Network, opt_code: int, state, step, hp, x, y, order, batch_size) -> float:
        device = self.device_for(net, state)
        loss = device.train_epoch(opt_code, step, hp, self.on_device(x), self.on_device(y), order, batch_size)
        device.download(net.params, state)
        self.synced = (net.params.copy(), state.copy(), self.synced[2])
        return loss

    def evaluate_loss(self, net: Network, x, y) -> float:
        if x.shape[0] == 0:
            return float("nan")
        return self.device_for(net).evaluate_loss(self.on_device(x), self.on_device(y))

    def predict(self, net: Network, x) -> np.ndarray:
        x = net.as_input(x)
        if x.shape[0] == 0:
            return np.empty((0, net.n_outputs), net.dtype)
        return self.device_for(net).predict(self.on_device(x, keep=False))

    # --- keeping the device copy right ---------------------------------------------------
    def device_for(self, net: Network, state=None):
        """The device copy of `net`, first brought up to date with anything the host changed."""
        if self.net is not net:
            self.device = self.kernels.DeviceNetwork(net.sizes, net.acts, net.offsets, net.loss_code, net.dtype,
                                                     **self.options)
            self.net, self.synced = net, None
        if state is None:             # evaluation: optimizer state is not needed
            state = self.synced[1] if self.synced is not None else np.zeros((2, net.n_params), net.dtype)
        if self.synced is None:
            self.device.upload(net.params, state, net.mask)
        else:
            old_params, old_state, old_mask = self.synced
            self.device.upload(None if np.array_equal(net.params, old_params) else net.params,
                               None if np.array_equal(state, old_state) else state,
                               None if np.array_equal(net.mask, old_mask) else net.mask)
        self.synced = (net.params.copy(), state.copy(), net.mask.copy())
        return self.device

    def on_device(self, host: np.ndarray, keep: bool = True):
        """The device copy of a host array: uploaded on first use and, with `keep` (the data
        sets, used every epoch), kept for later calls; one-off arrays (a heatmap's grid of
        points) go up each time and are not kept."""
        for held, device in self.data:
            if held is host:
                return device
        from numba import cuda
        device = cuda.to_device(np.ascontiguousarray(host))
        if keep:
            self.data = (self.data + [(host, device)])[-DATA_CACHE:]
        return device
