"""Each CUDA kernel against its CPU twin (nnterm.kernels), float32 and float64, on seeded random
shapes that divide neither the block (3 threads here) nor the tile (4 under the simulator, 16 on
a GPU)."""
import numpy as np
import pytest
from numba import cuda

from nnterm.kernels import codes
from nnterm.kernels.activations import activate, backprop_activation
from nnterm.kernels.cuda.dense import dense_backward, dense_forward
from nnterm.kernels.cuda.launch import TILE
from nnterm.kernels.cuda.losses import launch_loss, loss_denominator
from nnterm.kernels.cuda.optimizers import apply_update as device_update
from nnterm.kernels.dense import dense_forward as cpu_dense_forward
from nnterm.kernels.dense import dense_input_grads, dense_weight_grads
from nnterm.kernels.epoch import apply_update as cpu_update
from nnterm.kernels.losses import loss_value, output_delta

DTYPES = ["float32", "float64"]
TOL = {"float32": dict(rtol=2e-5, atol=2e-6), "float64": dict(rtol=1e-12, atol=1e-13)}
PLAIN = 1 << 62            # tiled_min_macs that keeps every product on the plain kernels


def random_shape(rng) -> tuple[int, int, int]:
    """(rows, fan_in, fan_out), each a size that divides neither 3 (the block) nor 4 or 16 (the tile)."""
    return tuple(int(rng.choice([1, 2, 5, 7, 10, 11, 13])) for _ in range(3))


def arrays(rng, dtype, *shapes, scale=1.0):
    return [np.ascontiguousarray(rng.normal(0, scale, size=s).astype(dtype)) for s in shapes]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("activation", codes.ACTIVATIONS)
def test_forward_matches_cpu_for_every_activation(odd_launch, activation, dtype):
    rng = np.random.default_rng(codes.ACTIVATIONS.index(activation))
    rows, fan_in, fan_out = random_shape(rng)
    x, w, b = arrays(rng, dtype, (rows + 2, fan_in), (fan_in, fan_out), (fan_out,))   # 2 spare rows
    act = codes.ACTIVATIONS.index(activation)
    z_cpu, a_cpu = np.empty((rows, fan_out), dtype), np.empty((rows, fan_out), dtype)
    cpu_dense_forward(x[:rows], w, b, z_cpu)
    activate(act, z_cpu, a_cpu)
    z, a = cuda.to_device(np.full((rows + 2, fan_out), 7, dtype)), cuda.to_device(np.full((rows + 2, fan_out), 7, dtype))
    dense_forward(cuda.to_device(x), cuda.to_device(w), cuda.to_device(b), rows, act, z, a, PLAIN)
    z, a = z.copy_to_host(), a.copy_to_host()
    np.testing.assert_allclose(z[:rows], z_cpu, **TOL[dtype])
    np.testing.assert_allclose(a[:rows], a_cpu, **TOL[dtype])
    assert (z[rows:] == 7).all() and (a[rows:] == 7).all()        # rows past the batch are left alone


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("dtype", DTYPES)
def test_tiled_forward_matches_cpu(dtype, seed):
    rng = np.random.default_rng(seed)
    rows, fan_in, fan_out = random_shape(rng)
    assert TILE in (4, 16) and rows % TILE and fan_in % TILE and fan_out % TILE
    x, w, b = arrays(rng, dtype, (rows, fan_in), (fan_in, fan_out), (fan_out,))
    z_cpu, a_cpu = np.empty((rows, fan_out), dtype), np.empty((rows, fan_out), dtype)
    cpu_dense_forward(x, w, b, z_cpu)
    activate(codes.SOFTMAX, z_cpu, a_cpu)
    z, a = cuda.device_array((rows, fan_out), dtype), cuda.device_array((rows, fan_out), dtype)
    dense_forward(cuda.to_device(x), cuda.to_device(w), cuda.to_device(b), rows, codes.SOFTMAX, z, a, 0)
    np.testing.assert_allclose(z.copy_to_host(), z_cpu, **TOL[dtype])
    np.testing.assert_allclose(a.copy_to_host(), a_cpu, **TOL[dtype])


def cpu_backward(x, delta, w, act_prev, z_prev, a_prev):
    """dW, db, and δ_prev = (δ Wᵀ) ⊙ f'(z_prev), by the CPU kernels."""
    dw, db = np.empty_like(w), np.empty(w.shape[1], w.dtype)
    dense_weight_grads(x, delta, dw, db)
    grad_prev, delta_prev = np.empty_like(x), np.empty_like(x)
    dense_input_grads(delta, w, grad_prev)
    backprop_activation(act_prev, z_prev, a_prev, grad_prev, delta_prev)
    return dw, db, delta_prev


def device_backward(x, delta, w, act_prev, z_prev, a_prev, tiled_min_macs, with_input=True):
    rows = delta.shape[0]
    dw, db = cuda.device_array(w.shape, w.dtype), cuda.device_array(w.shape[1], w.dtype)
    delta_prev = cuda.device_array(x.shape, x.dtype) if with_input else None
    dense_backward(cuda.to_device(x), cuda.to_device(delta), cuda.to_device(w), rows, dw, db, act_prev,
                   cuda.to_device(z_prev), cuda.to_device(a_prev), delta_prev, tiled_min_macs)
    return dw.copy_to_host(), db.copy_to_host(), None if delta_prev is None else delta_prev.copy_to_host()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("activation", codes.ACTIVATIONS)
def test_backward_matches_cpu_for_every_activation(odd_launch, activation, dtype):
    rng = np.random.default_rng(10 + codes.ACTIVATIONS.index(activation))
    rows, fan_in, fan_out = random_shape(rng)
    x, delta, w = arrays(rng, dtype, (rows, fan_in), (rows, fan_out), (fan_in, fan_out))
    act = codes.ACTIVATIONS.index(activation)
    z_prev = x.copy()
    a_prev = np.empty_like(x)
    activate(act, z_prev, a_prev)
    got = device_backward(a_prev, delta, w, act, z_prev, a_prev, PLAIN)
    for g, want in zip(got, cpu_backward(a_prev, delta, w, act, z_prev, a_prev)):
        np.testing.assert_allclose(g, want, **TOL[dtype])


@pytest.mark.parametrize("seed", [3, 4])
@pytest.mark.parametrize("dtype", DTYPES)
def test_tiled_backward_matches_cpu(dtype, seed):
    rng = np.random.default_rng(seed)
    rows, fan_in, fan_out = random_shape(rng)
    z_prev, delta, w = arrays(rng, dtype, (rows, fan_in), (rows, fan_out), (fan_in, fan_out))
    a_prev = np.tanh(z_prev)
    got = device_backward(a_prev, delta, w, codes.TANH, z_prev, a_prev, 0)
    for g, want in zip(got, cpu_backward(a_prev, delta, w, codes.TANH, z_prev, a_prev)):
        np.testing.assert_allclose(g, want, **TOL[dtype])


def test_first_layer_backward_writes_only_weight_grads(odd_launch):
    rng = np.random.default_rng(3)
    rows, fan_in, fan_out = random_shape(rng)
    x, delta, w = arrays(rng, "float64", (rows, fan_in), (rows, fan_out), (fan_in, fan_out))
    dw, db, none = device_backward(x, delta, w, 0, x, x, PLAIN, with_input=False)
    assert none is None
    np.testing.assert_allclose(dw, x.T @ delta, rtol=1e-12)
    np.testing.assert_allclose(db, delta.sum(axis=0), rtol=1e-12)


LOSS_PAIRS = [("mse", "linear"), ("mse", "softmax"), ("mae", "tanh"), ("huber", "linear"), ("bce", "sigmoid"),
              ("bce", "softmax"), ("cce", "softmax"), ("cce", "sigmoid")]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("loss_name,activation", LOSS_PAIRS)
def test_loss_and_delta_match_cpu(odd_launch, loss_name, activation, dtype):
    rng = np.random.default_rng(20 + LOSS_PAIRS.index((loss_name, activation)))
    rows, outputs = random_shape(rng)[:2]
    loss, act = codes.LOSSES.index(loss_name), codes.ACTIVATIONS.index(activation)
    z = arrays(rng, dtype, (rows, outputs), scale=2.0)[0]
    a = np.empty_like(z)
    activate(act, z, a)
    if loss_name == "cce":
        y = np.eye(outputs, dtype=dtype)[rng.integers(0, outputs, rows)]
    elif loss_name == "bce":
        y = rng.integers(0, 2, (rows, outputs)).astype(dtype)
    else:
        y = arrays(rng, dtype, (rows, outputs))[0]
    want_value = loss_value(loss, act, z, a, y)
    want_delta = np.empty_like(z)
    output_delta(loss, act, z, a, y, np.empty_like(z), want_delta)
    terms = cuda.to_device(np.full(rows + 3, np.nan))
    delta = cuda.device_array(z.shape, dtype)
    launch_loss(loss, act, cuda.to_device(z), cuda.to_device(a), cuda.to_device(y), rows, delta, terms, 2)
    terms = terms.copy_to_host()
    assert np.isnan(terms[:2]).all() and np.isnan(terms[-1])          # each row writes its own slot
    # float32 rounding either way: the simulator runs Python, where NumPy 2 adds float32 terms
    # to a Python float in float32; compiled code (CPU, GPU) accumulates in float64
    rel = 1e-6 if dtype == "float32" else 1e-12
    assert terms[2:2 + rows].sum() / loss_denominator(loss, rows, outputs) == pytest.approx(want_value, rel=rel)
    np.testing.assert_allclose(delta.copy_to_host(), want_delta, **TOL[dtype])


def random_setup(rng, dtype, optimizer):
    sizes, offsets = np.array([3, 4, 2]), np.array([0, 16])
    n = 16 + 10
    params, grads = arrays(rng, dtype, (n,), (n,))
    state = np.ascontiguousarray(np.abs(arrays(rng, dtype, (2, n))[0]))
    mask = np.ones(n, np.uint8)
    mask[16:20] = 0                                       # part of the second layer is frozen
    is_weight = np.zeros(n, np.uint8)
    is_weight[0:12] = 1
    is_weight[16:24] = 1
    return sizes, offsets, params, grads, state, mask, is_weight


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("clip", [0.0, 0.5])
@pytest.mark.parametrize("optimizer", codes.OPTIMIZERS)
def test_optimizer_updates_match_cpu(odd_launch, optimizer, clip, dtype):
    """Two steps (Adam's bias correction moves with t) with penalties, weight decay, a frozen
    slice and, in half the cases, clipping by the global norm."""
    rng = np.random.default_rng(40 + codes.OPTIMIZERS.index(optimizer))
    sizes, offsets, params, grads, state, mask, is_weight = random_setup(rng, dtype, optimizer)
    hp = np.zeros(codes.HP_SIZE)
    hp[[codes.HP_LR, codes.HP_MOMENTUM, codes.HP_NESTEROV, codes.HP_BETA1, codes.HP_BETA2, codes.HP_EPS,
        codes.HP_WEIGHT_DECAY, codes.HP_ALPHA, codes.HP_L1, codes.HP_L2, codes.HP_CLIP]] = \
        [0.05, 0.9, 1.0, 0.9, 0.999, 1e-8, 0.01, 0.99, 0.002, 0.003, clip]
    code = codes.OPTIMIZERS.index(optimizer)
    d_params, d_grads, d_state = cuda.to_device(params), cuda.to_device(grads), cuda.to_device(state)
    d_mask, d_weight, d_hp, d_norm = cuda.to_device(mask), cuda.to_device(is_weight), cuda.to_device(hp), cuda.to_device(np.zeros(1))
    for t in (1, 2):
        cpu_update(sizes, offsets, code, params, grads.copy(), mask, state, t, hp)
        d_grads.copy_to_device(grads)
        device_update(code, d_params, d_grads, d_mask, d_weight, d_state, t, d_hp, hp, d_norm)
    np.testing.assert_allclose(d_params.copy_to_host(), params, **TOL[dtype])
    np.testing.assert_allclose(d_state.copy_to_host(), state, **TOL[dtype])
