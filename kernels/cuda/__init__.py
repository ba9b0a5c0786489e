"""nnterm's kernels on CUDA GPUs (numba.cuda): the same flat ABI, codes and hyper-parameter
vector as the CPU kernels one folder up, so both backends give the same numbers.

    launch.py       block, tile and grid sizes (small ones under NUMBA_ENABLE_CUDASIM=1)
    device_math.py  every activation, slope and loss, one element or row at a time
    dense.py        z = x W + b with the activation fused in, and the two backward products
                    (plain kernels for small layers, shared-memory tiles for large ones)
    losses.py       the output layer's loss and δ, reduced in one block
    optimizers.py   penalty, global-norm clipping and the torch.optim rules, a thread per weight
    fused.py        small nets in two launches a step: a thread per row (forward, loss, δ),
                    then a thread per parameter (its gradient, penalty and update)
    reduce.py       the deterministic block sum the losses and the norm use
    epoch.py        DeviceNetwork: buffers kept on the device, train_epoch / evaluate_loss / predict

Importing this package needs numba.cuda (built into numba up to 0.6x, or the numba-cuda
package); it compiles nothing until a kernel first runs.
"""
from .epoch import EVAL_CHUNK, DeviceNetwork
from .launch import SIMULATOR

__all__ = ["DeviceNetwork", "EVAL_CHUNK", "SIMULATOR"]
