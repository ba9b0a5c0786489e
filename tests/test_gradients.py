"""Backprop against central finite differences, float64, for every activation × loss."""
import numpy as np
import pytest

from nnterm.kernels.codes import ACTIVATIONS, LOSSES
from nnterm.engine.network import Network


def output_activation_for(loss: str, act: str) -> str:
    """The activation under test where the loss accepts it, else the loss's natural partner."""
    if loss == "cce":
        return "softmax"
    if loss == "bce":
        return act if act in ("sigmoid", "softmax") else "sigmoid"
    return act


def targets_for(loss: str, rows: int, units: int, rng) -> np.ndarray:
    if loss == "cce":
        return np.eye(units)[rng.integers(0, units, rows)]
    if loss == "bce":
        return rng.integers(0, 2, (rows, units)).astype(np.float64)
    return rng.normal(size=(rows, units))


def numeric_gradient(net: Network, x, y) -> np.ndarray:
    # ∂L/∂θ_i ≈ (L(θ + h e_i) − L(θ − h e_i)) / 2h
    h = 1e-6
    grad = np.zeros_like(net.params)
    for i in range(net.params.shape[0]):
        keep = net.params[i]
        net.params[i] = keep + h
        up, _ = net.loss_and_grads(x, y)
        net.params[i] = keep - h
        down, _ = net.loss_and_grads(x, y)
        net.params[i] = keep
        grad[i] = (up - down) / (2 * h)
    return grad


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("act", ACTIVATIONS)
def test_backprop_matches_finite_differences(act, loss):
    rng = np.random.default_rng(ACTIVATIONS.index(act) * 10 + LOSSES.index(loss))
    hidden = "tanh" if act == "softmax" else act       # softmax is for output layers only
    out_act = output_activation_for(loss, act)
    out_units = 3
    net = Network([4, 5, 4, out_units], [hidden, hidden, out_act], loss, "float64")
    net.params[:] = rng.normal(0, 0.7, net.n_params)
    x = rng.normal(size=(6, 4))
    y = targets_for(loss, 6, out_units, rng)
    _, grads = net.loss_and_grads(x, y)
    analytic = np.concatenate([np.concatenate([dw.ravel(), db]) for dw, db in grads])
    numeric = numeric_gradient(net, x, y)
    # rtol for the gradients that matter; atol for the ones near zero, where the
    # finite difference itself only has ~1e-10 of precision
    np.testing.assert_allclose(analytic, numeric, rtol=1e-5, atol=1e-8, err_msg=f"{act} × {loss}")


def test_fused_losses_equal_their_unfused_definitions():
    # sigmoid+bce and softmax+cce are computed from z; the value must still be the textbook one.
    rng = np.random.default_rng(3)
    x = rng.normal(size=(8, 3))
    bin_net = Network([3, 1], ["sigmoid"], "bce", "float64")
    bin_net.params[:] = rng.normal(size=bin_net.n_params)
    y = rng.integers(0, 2, (8, 1)).astype(float)
    p = bin_net.predict(x)
    loss, _ = bin_net.loss_and_grads(x, y)
    assert loss == pytest.approx(float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))), rel=1e-12)
    cat_net = Network([3, 4], ["softmax"], "cce", "float64")
    cat_net.params[:] = rng.normal(size=cat_net.n_params)
    y = np.eye(4)[rng.integers(0, 4, 8)]
    p = cat_net.predict(x)
    loss, _ = cat_net.loss_and_grads(x, y)
    assert loss == pytest.approx(float(np.mean(-np.sum(y * np.log(p), axis=1))), rel=1e-12)


def test_float32_gradients_agree_with_float64():
    rng = np.random.default_rng(5)
    nets = {dt: Network([2, 8, 8, 1], ["tanh", "tanh", "sigmoid"], "bce", dt) for dt in ("float32", "float64")}
    start = rng.normal(0, 0.5, nets["float64"].n_params)
    x, y = rng.normal(size=(10, 2)), rng.integers(0, 2, (10, 1)).astype(float)
    results = {}
    for dt, net in nets.items():
        net.params[:] = start
        loss, grads = net.loss_and_grads(x, y)
        assert net.params.dtype == np.dtype(dt) and grads[0][0].dtype == np.dtype(dt)
        results[dt] = (loss, np.concatenate([g.ravel() for pair in grads for g in pair]))
    assert results["float32"][0] == pytest.approx(results["float64"][0], rel=1e-5)
    np.testing.assert_allclose(results["float32"][1], results["float64"][1], rtol=1e-3, atol=1e-6)
