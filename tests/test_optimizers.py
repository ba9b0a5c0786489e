"""Each optimizer's update against its torch.optim formula, step by step, on the flat buffer."""
import numpy as np
import pytest

from nnterm.kernels import codes
from nnterm.kernels.optimizers import optimizer_step


def hp_vector(lr=0.1, momentum=0.0, nesterov=False, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.0, alpha=0.99):
    hp = np.zeros(codes.HP_SIZE)
    hp[[codes.HP_LR, codes.HP_MOMENTUM, codes.HP_NESTEROV, codes.HP_BETA1, codes.HP_BETA2, codes.HP_EPS,
        codes.HP_WEIGHT_DECAY, codes.HP_ALPHA]] = [lr, momentum, float(nesterov), beta1, beta2, eps, weight_decay, alpha]
    return hp


def reference(name, theta, grads, **h):
    """The update rules as torch.optim's documentation writes them, in plain NumPy."""
    theta = theta.copy()
    lr, wd = h.get("lr", 0.1), h.get("weight_decay", 0.0)
    b = np.zeros_like(theta)
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    path = []
    for t, g in enumerate(grads, start=1):
        if name in ("sgd", "momentum"):
            g = g + wd * theta
            mu = h.get("momentum", 0.0)
            if mu:
                b = g.copy() if t == 1 else mu * b + g
                g = g + mu * b if h.get("nesterov") else b
            theta = theta - lr * g
        elif name == "rmsprop":
            g = g + wd * theta
            v = h["alpha"] * v + (1 - h["alpha"]) * g ** 2
            theta = theta - lr * g / (np.sqrt(v) + h["eps"])
        elif name == "adagrad":
            g = g + wd * theta
            v = v + g ** 2
            theta = theta - lr * g / (np.sqrt(v) + h["eps"])
        elif name in ("adam", "adamw"):
            if name == "adamw":
                theta = theta * (1 - lr * wd)
            else:
                g = g + wd * theta
            m = h["beta1"] * m + (1 - h["beta1"]) * g
            v = h["beta2"] * v + (1 - h["beta2"]) * g ** 2
            m_hat, v_hat = m / (1 - h["beta1"] ** t), v / (1 - h["beta2"] ** t)
            theta = theta - lr * m_hat / (np.sqrt(v_hat) + h["eps"])
        path.append(theta.copy())
    return path


CASES = [
    ("sgd", dict(lr=0.1)),
    ("sgd", dict(lr=0.1, weight_decay=0.01)),
    ("momentum", dict(lr=0.05, momentum=0.9)),
    ("momentum", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("rmsprop", dict(lr=0.01, alpha=0.99, eps=1e-8)),
    ("adagrad", dict(lr=0.1, eps=1e-10)),
    ("adam", dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8)),
    ("adam", dict(lr=0.01, beta1=0.8, beta2=0.99, eps=1e-8, weight_decay=0.1)),
    ("adamw", dict(lr=0.01, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01)),
]


def run_kernel(name, theta, grads, **h):
    code = codes.OPTIMIZERS.index("momentum" if name == "momentum" else name)
    params = theta.copy()
    state = np.zeros((2, params.shape[0]))
    mask = np.ones(params.shape[0], np.uint8)
    path = []
    for t, g in enumerate(grads, start=1):
        optimizer_step(code, params, g.copy(), mask, state, t, hp_vector(**h))
        path.append(params.copy())
    return path


@pytest.mark.parametrize("name,h", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_update_rule_matches_formula_for_several_steps(name, h):
    rng = np.random.default_rng(1)
    theta = rng.normal(size=7)
    grads = [rng.normal(size=7) for _ in range(6)]
    ours = run_kernel(name, theta, grads, **h)
    expected = reference(name, theta, grads, **h)
    for step, (a, b) in enumerate(zip(ours, expected), start=1):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14, err_msg=f"{name} step {step}")


def test_mask_freezes_parameters_and_their_state():
    params = np.arange(6, dtype=np.float64)
    state = np.zeros((2, 6))
    mask = np.array([1, 0, 1, 0, 1, 0], np.uint8)
    optimizer_step(codes.ADAM, params, np.ones(6), mask, state, 1, hp_vector(lr=0.1))
    assert np.array_equal(params[1::2], [1.0, 3.0, 5.0])
    assert not state[:, 1::2].any() and state[:, ::2].all()


TORCH_OPTIMIZERS = {
    "sgd": lambda t, p, h: t.optim.SGD(p, lr=h["lr"], weight_decay=h.get("weight_decay", 0.0)),
    "momentum": lambda t, p, h: t.optim.SGD(p, lr=h["lr"], momentum=h["momentum"], nesterov=h.get("nesterov", False)),
    "rmsprop": lambda t, p, h: t.optim.RMSprop(p, lr=h["lr"], alpha=h["alpha"], eps=h["eps"]),
    "adagrad": lambda t, p, h: t.optim.Adagrad(p, lr=h["lr"], eps=h["eps"]),
    "adam": lambda t, p, h: t.optim.Adam(p, lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"],
                                         weight_decay=h.get("weight_decay", 0.0)),
    "adamw": lambda t, p, h: t.optim.AdamW(p, lr=h["lr"], betas=(h["beta1"], h["beta2"]), eps=h["eps"],
                                           weight_decay=h["weight_decay"]),
}


@pytest.mark.parametrize("name,h", CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(CASES)])
def test_update_rule_matches_torch_optim(name, h):
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(2)
    theta = rng.normal(size=5)
    grads = [rng.normal(size=5) for _ in range(5)]
    p = torch.nn.Parameter(torch.tensor(theta, dtype=torch.float64))
    opt = TORCH_OPTIMIZERS[name](torch, [p], h)
    ours = run_kernel(name, theta, grads, **h)
    for step, g in enumerate(grads):
        p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        np.testing.assert_allclose(ours[step], p.detach().numpy(), rtol=1e-10, atol=1e-12, err_msg=f"{name} step {step + 1}")
