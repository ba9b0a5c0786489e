"""The same training in JAX, written as a JAX user who wants speed would: the whole epoch — every
minibatch's gather, forward, loss, gradient and update — in one `jax.jit`-compiled function, the
full batches as one `lax.scan` and a partial last batch (if any) as one more step, on one thread.

One thread: XLA_FLAGS gets `--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1`
before jax is imported (XLA reads it once, when its CPU client starts), as nnterm bench gives
every contender one core. JAX 0.10 still runs its GEMMs on two threads; nnterm bench times every
contender by process CPU time (timing.py), so that second thread is paid for. The shuffle is
drawn on the host with NumPy and passed in, as ours.
"""
import math
import os
import sys

from nnterm.bench.workloads import Arrays, Workload

ONE_THREAD_FLAGS = ("--xla_cpu_multi_thread_eigen=false", "intra_op_parallelism_threads=1")


def one_thread() -> str | None:
    """Adds the one-thread flags to XLA_FLAGS; says why not when jax has already started."""
    if "jax" in sys.modules:
        flags = os.environ.get("XLA_FLAGS", "")
        return None if all(f in flags for f in ONE_THREAD_FLAGS) else "jax was imported before its thread flags were set"
    flags = os.environ.get("XLA_FLAGS", "").split()
    os.environ["XLA_FLAGS"] = " ".join(flags + [f for f in ONE_THREAD_FLAGS if f not in flags])
    return None


def available() -> str | None:
    """None when jax can be used (on one thread), else why not (shown in its column)."""
    reason = one_thread()
    if reason is not None:
        return reason
    try:
        import jax  # noqa: F401
        import jax.numpy  # noqa: F401
    except Exception as err:           # not installed, or a broken install: either way, no column
        return f"jax not installed ({type(err).__name__})"
    return None


def initial_params(workload: Workload, arrays: Arrays, seed: int = 0) -> list:
    """Weights as our Trainer draws them for the workload (He for relu, Xavier for tanh), biases 0."""
    from nnterm.bench.ours import make_trainer
    net = make_trainer(workload, arrays, seed).network
    return [(layer.weight.copy(), layer.bias.copy()) for layer in net.layers]


def epoch_function(workload: Workload, n: int):
    """jitted (params, opt_state, x, y, order) → (params, opt_state, mean minibatch loss)."""
    import jax
    import jax.numpy as jnp
    from jax import lax

    hidden = {"tanh": jnp.tanh, "relu": jax.nn.relu, "sigmoid": jax.nn.sigmoid}
    acts = [hidden[a] for a in workload.activations[:-1]]
    batch = min(workload.batch_size, n)
    full, rest = divmod(n, batch)
    lr = workload.learning_rate

    def logits(params, x):
        for (w, b), f in zip(params[:-1], acts):
            x = f(x @ w + b)
        w, b = params[-1]
        return x @ w + b

    def loss(params, x, y):
        z = logits(params, x)
        if workload.loss == "bce":
            # BCE with logits: max(z,0) − z·y + log(1 + e^−|z|), mean over every element
            return jnp.mean(jnp.maximum(z, 0) - z * y + jnp.log1p(jnp.exp(-jnp.abs(z))))
        # −Σ_j y_j log softmax(z)_j, mean over the batch
        return -jnp.mean(jnp.sum(y * jax.nn.log_softmax(z), axis=1))

    value_and_grad = jax.value_and_grad(loss)

    def update(params, opt_state, grads):
        if workload.optimizer == "sgd":
            return jax.tree.map(lambda p, g: p - lr * g, params, grads), opt_state
        # torch.optim.Adam: m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²; θ ← θ − lr/(1−β1^t)·m/(√v/√(1−β2^t) + ε)
        b1, b2, eps = 0.9, 0.999, 1e-8
        m, v, t = opt_state
        t = t + 1
        m = jax.tree.map(lambda m, g: b1 * m + (1 - b1) * g, m, grads)
        v = jax.tree.map(lambda v, g: b2 * v + (1 - b2) * g * g, v, grads)
        step = lr / (1 - b1 ** t)
        bias2 = jnp.sqrt(1 - b2 ** t)
        params = jax.tree.map(lambda p, m, v: p - step * m / (jnp.sqrt(v) / bias2 + eps), params, m, v)
        return params, (m, v, t)

    def train_step(carry, idx):
        params, opt_state, x, y = carry
        value, grads = value_and_grad(params, x[idx], y[idx])
        params, opt_state = update(params, opt_state, grads)
        return (params, opt_state, x, y), value * idx.shape[0]

    @jax.jit
    def epoch(params, opt_state, x, y, order):
        batches = order[:full * batch].reshape(full, batch)
        (params, opt_state, _, _), totals = lax.scan(train_step, (params, opt_state, x, y), batches)
        total = jnp.sum(totals)
        if rest:
            (params, opt_state, _, _), last = train_step((params, opt_state, x, y), order[full * batch:])
            total = total + last
        return params, opt_state, total / n

    return epoch


def initial_state(workload: Workload, params):
    import jax
    import jax.numpy as jnp
    if workload.optimizer == "sgd":
        return ()
    zeros = jax.tree.map(jnp.zeros_like, params)
    return (zeros, jax.tree.map(jnp.zeros_like, params), jnp.float32(0.0))


def epoch_runner(workload: Workload, arrays: Arrays, seed: int = 0):
    """A no-argument function that trains one epoch in JAX and returns its mean loss."""
    import jax
    import jax.numpy as jnp
    import numpy as np
    n = arrays.x.shape[0]
    params = [(jnp.asarray(w, jnp.float32), jnp.asarray(b, jnp.float32)) for w, b in initial_params(workload, arrays, seed)]
    state = [params, initial_state(workload, params)]
    x, y = jnp.asarray(arrays.x), jnp.asarray(arrays.y)
    epoch_fn = epoch_function(workload, n)
    rng = np.random.default_rng(seed)

    def epoch() -> float:
        order = jnp.asarray(rng.permutation(n).astype(np.int32))
        state[0], state[1], loss = epoch_fn(state[0], state[1], x, y, order)
        value = float(jax.block_until_ready(loss))
        if not math.isfinite(value):
            raise RuntimeError(f"the JAX {workload.name} reference diverged")
        return value
    return epoch
