"""Initialisers. They run in Python on a NumPy Generator the caller seeds, so compiled code
never draws random numbers and the same seed always gives the same network."""
import numpy as np


def init_weight(name: str, fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    if name == "xavier":
        # Glorot uniform: U(−√(6/(fan_in+fan_out)), +√(6/(fan_in+fan_out)))
        bound = np.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-bound, bound, size=(fan_in, fan_out))
    if name == "he":
        # He (Kaiming) normal: N(0, 2/fan_in)
        return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))
    if name == "uniform":
        # TensorFlow Playground: U(−0.5, 0.5)
        return rng.uniform(-0.5, 0.5, size=(fan_in, fan_out))
    if name == "zeros":
        # Every neuron of a layer stays identical: the lesson of symmetry breaking.
        return np.zeros((fan_in, fan_out))
    raise ValueError(f"unknown initialiser {name!r}")


def default_init(activation: str) -> str:
    """He for the ReLU family, Xavier for everything else."""
    return "he" if activation in ("relu", "leaky_relu", "elu", "swish", "softplus") else "xavier"
