"""Plain SGD's step taken inside a weight gradient's BLAS product (optimizers.descend_by_product,
the fused epoch's backward pass): the same rule, θ ← θ − lr·g, rounded once instead of twice.

Each weight stepped that way is θ − lr·g added in with one rounding where sgd_step rounds lr·g
first (OpenBLAS 0.3.30's micro-kernels end on a fused multiply-add; with the older OpenBLAS of
scipy 1.11 the fused epoch below gave sgd_step's bits exactly); and BLAS may sum g in another order in this call than in np.dot's
(OpenBLAS 0.3.30 does, when the product has ten columns). So the two differ by at most an ulp of the new θ, an ulp of lr·g, and lr
times twice the float summation bound n·u·Σ|terms| on g — near a cancellation many ulps of a small
θ, never more than the dtype carries of the step. Every other parameter — the biases, the small layers' weights — is sgd_step's bit for
bit; and any step that is not plain SGD (momentum, decay, a penalty, clipping, a frozen entry)
takes the stored-gradient path exactly as before."""
import numpy as np
import pytest

from nnterm.kernels import codes
from nnterm.kernels.dense import dense_weight_grads, uses_blas
from nnterm.kernels.epoch import apply_update, blocks_for, epoch_kernel, loss_and_grads
from nnterm.kernels.optimizers import descend_by_product, plain_sgd_rate, sgd_step

LR = 0.05


def unit_roundoff(dtype):
    return 2.0 ** -24 if dtype == np.float32 else 2.0 ** -53


def apart_by_rounding(fused, stored, lr, g, a, delta):
    """|fused − stored| ≤ ulp(stored) + ulp(lr·g) + lr·2·rows·u·Σ_i |a_ik δ_ij|, entry by entry."""
    dtype = fused.dtype
    ulp = lambda values: np.spacing(np.abs(values).astype(dtype)).astype(np.float64)   # noqa: E731
    terms = np.abs(a.astype(np.float64)).T @ np.abs(delta.astype(np.float64))
    bound = ulp(stored) + ulp(lr * g) + lr * 2 * a.shape[0] * unit_roundoff(dtype) * terms
    gap = np.abs(fused.astype(np.float64) - stored.astype(np.float64))
    assert np.all(gap <= bound)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("rows, fan_in, fan_out", [(64, 784, 128), (10, 784, 128), (64, 128, 10), (300, 96, 50)])
def test_the_step_inside_the_product_is_sgds_but_for_rounding(dtype, rows, fan_in, fan_out):
    rng = np.random.default_rng(rows + fan_in)
    a = rng.standard_normal((rows, fan_in)).astype(dtype)
    delta = (rng.standard_normal((rows, fan_out)) * 0.01).astype(dtype)
    w = (rng.standard_normal((fan_in, fan_out)) * 0.05).astype(dtype)
    dw, db = np.empty_like(w), np.empty(fan_out, dtype)
    dense_weight_grads(a, delta, dw, db)
    stepped = w.copy().ravel()
    sgd_step(stepped, dw.ravel(), np.ones(w.size, np.uint8), np.zeros(w.size, dtype), LR, 0.0, 0.0, False, True)
    fused = w.copy()
    descend_by_product(a, delta, fused, LR)
    assert fused.dtype == dtype
    apart_by_rounding(fused, stepped.reshape(w.shape), dtype(LR), dw, a, delta)
    assert not np.array_equal(fused, w)


def network(dtype, sizes, seed=0):
    """(sizes, acts, offsets, params) of a relu network with a softmax output, He-scaled weights."""
    rng = np.random.default_rng(seed)
    sizes = np.array(sizes, np.int64)
    acts = np.array([codes.RELU] * (len(sizes) - 2) + [codes.SOFTMAX], np.int64)
    counts = sizes[:-1] * sizes[1:] + sizes[1:]
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    params = np.concatenate([np.concatenate([rng.standard_normal(n_in * n_out) * np.sqrt(2 / n_in),
                                             rng.standard_normal(n_out) * 0.1])
                             for n_in, n_out in zip(sizes[:-1], sizes[1:])]).astype(dtype)
    return sizes, acts, offsets, params


def one_batch(dtype, rows, inputs, classes, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((rows, inputs)).astype(dtype)
    y = np.eye(classes, dtype=dtype)[rng.integers(0, classes, rows)]
    return x, y


def fused_and_stored(dtype, sizes, rows, hp, mask=None, opt_code=codes.SGD):
    """One step both ways: the fused epoch over one batch, and the stored gradient (loss_and_grads)
    with the update that follows it (apply_update). Returns the network, both parameter vectors,
    and what the stored path computed: the gradient and each layer's input and δ."""
    sizes, acts, offsets, params = network(dtype, sizes)
    x, y = one_batch(dtype, rows, sizes[0], sizes[-1])
    mask = np.ones(params.shape[0], np.uint8) if mask is None else mask
    fused, state_f = params.copy(), np.zeros((2, params.shape[0]), dtype)
    blocks = blocks_for(sizes, rows, params.itemsize)
    epoch_kernel(codes.CCE, opt_code)(sizes, acts, offsets, fused, np.zeros_like(params), mask, state_f,
                                      np.zeros(1, np.int64), hp, x, y, np.arange(rows, dtype=np.int64), rows, blocks)
    stored, grads = params.copy(), np.zeros_like(params)
    units = int(sizes[1:].sum())
    zs, outs, deltas = (np.empty(rows * units, dtype) for _ in range(3))
    loss_and_grads(sizes, acts, offsets, codes.CCE, stored, x, y, grads, zs, outs, deltas, blocks)
    apply_update(sizes, offsets, opt_code, stored, grads, mask, np.zeros((2, params.shape[0]), dtype), 1, hp)
    starts = np.concatenate([[0], np.cumsum(sizes[1:])]) * rows
    blocks = [buf[starts[k]:starts[k + 1]].reshape(rows, sizes[k + 1]) for buf in (outs, deltas)
              for k in range(len(sizes) - 1)]
    layer_outs, layer_deltas = blocks[:len(sizes) - 1], blocks[len(sizes) - 1:]
    inputs = [x] + layer_outs[:-1]
    return (sizes, offsets), fused, stored, grads, list(zip(inputs, layer_deltas))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_fused_epoch_steps_big_weights_in_their_product_and_the_rest_as_before(dtype):
    rows = 64
    (sizes, offsets), fused, stored, grads, passes = fused_and_stored(dtype, [784, 128, 10], rows,
                                                                      codes.pack_hyper_parameters(LR))
    assert uses_blas(rows, 784, 128) and uses_blas(rows, 128, 10)   # both weights step in their products
    weights = np.zeros(fused.shape[0], bool)
    for layer, (a, delta) in enumerate(passes):
        part = slice(offsets[layer], offsets[layer] + sizes[layer] * sizes[layer + 1])
        weights[part] = True
        shape = (sizes[layer], sizes[layer + 1])
        apart_by_rounding(fused[part].reshape(shape), stored[part].reshape(shape), dtype(LR),
                          grads[part].reshape(shape), a, delta)
    np.testing.assert_array_equal(fused[~weights], stored[~weights])   # the biases, bit for bit


def test_a_small_layer_keeps_its_stored_gradient_step_bit_for_bit():
    """64→16→3 at batch 8: 8·16·3 multiply-adds go to the loops, whose step stays sgd_step's."""
    rows = 8
    assert uses_blas(rows, 64, 16) is False or uses_blas(rows, 16, 3) is False
    (sizes, offsets), fused, stored, _, _ = fused_and_stored(np.float32, [64, 16, 3], rows, codes.pack_hyper_parameters(LR))
    second = slice(offsets[1], None)
    np.testing.assert_array_equal(fused[second], stored[second])


@pytest.mark.parametrize("change", ["momentum", "weight_decay", "l1", "l2", "clip_norm", "frozen", "adam"])
def test_any_step_but_plain_sgd_takes_the_stored_gradient_path_bit_for_bit(change):
    hp_args = {"momentum": 0.9, "weight_decay": 1e-3, "l1": 1e-4, "l2": 1e-3, "clip_norm": 0.5}
    hp = codes.pack_hyper_parameters(LR, **{change: hp_args[change]} if change in hp_args else {})
    n = network(np.float32, [784, 128, 10])[3].shape[0]
    mask = np.ones(n, np.uint8)
    if change == "frozen":
        mask[5] = 0
    opt_code = codes.ADAM if change == "adam" else codes.SGD
    assert plain_sgd_rate(opt_code, hp, change != "frozen") == 0.0
    _, fused, stored, _, _ = fused_and_stored(np.float32, [784, 128, 10], 64, hp, mask, opt_code)
    np.testing.assert_array_equal(fused, stored)


def test_plain_sgd_is_sgds_learning_rate_for_gd_sgd_and_momentum_without_momentum():
    hp = codes.pack_hyper_parameters(LR)
    for code in (codes.GD, codes.SGD, codes.MOMENTUM):
        assert plain_sgd_rate(code, hp, True) == LR
    for code in (codes.RMSPROP, codes.ADAGRAD, codes.ADAM, codes.ADAMW):
        assert plain_sgd_rate(code, hp, True) == 0.0
    assert plain_sgd_rate(codes.SGD, codes.pack_hyper_parameters(0.0), True) == 0.0
