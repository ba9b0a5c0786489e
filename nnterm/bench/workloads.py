"""The standard trainings of `nnterm bench`, and the data each one trains on: three by default,
and `mnist-epoch` when asked for — the mnist preset's whole epoch, on the real MNIST training
images when their files are in place.

Every reference (ours, PyTorch, NumPy) trains the same network on the same arrays with the
same optimizer, batch size and per-epoch shuffle, so epochs per second compare like for like.
"""
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Workload:
    name: str
    sizes: tuple[int, ...]          # inputs, then each layer's units
    activations: tuple[str, ...]    # one per layer; the last is sigmoid (with bce) or softmax (with cce)
    loss: str
    optimizer: str                  # sgd or adam
    learning_rate: float
    batch_size: int
    samples: int
    about: str

    @property
    def layer_shapes(self) -> list[tuple[int, int]]:
        return list(zip(self.sizes[:-1], self.sizes[1:]))

    @property
    def flops_per_epoch(self) -> float:
        """Multiply-adds of the dense layers, counted as 2 flops each, per epoch:
        forward x·W (every layer), backward xᵀ·δ (every layer) and δ·Wᵀ (every layer but the
        first: nobody needs ∂L/∂input). Activations, losses and updates are left out."""
        macs = [fan_in * fan_out for fan_in, fan_out in self.layer_shapes]
        per_sample = 2 * (sum(macs) + sum(macs) + sum(macs[1:]))
        return float(per_sample * self.samples)


WORKLOADS = {
    "playground": Workload("playground", (2, 8, 8, 1), ("tanh", "tanh", "sigmoid"), "bce", "sgd", 0.03, 10, 500,
                           "2→8→8→1 tanh, sigmoid+bce, sgd lr 0.03, batch 10, 500 xor samples"),
    "digits": Workload("digits", (64, 128, 10), ("relu", "softmax"), "cce", "adam", 0.001, 32, 1437,
                       "64→128 relu→10 softmax+cce, adam lr 0.001, batch 32, the digits training split"),
    "mnist": Workload("mnist", (784, 128, 10), ("relu", "softmax"), "cce", "sgd", 0.05, 64, 10_000,
                      "784→128 relu→10 softmax+cce, sgd lr 0.05, batch 64, 10,000 synthetic samples"),
    "mnist-epoch": Workload("mnist-epoch", (784, 128, 10), ("relu", "softmax"), "cce", "adam", 0.001, 64, 60_000,
                            "the mnist preset: 784→128 relu→10 softmax+cce, adam lr 0.001, batch 64, 60,000 images"),
}


@dataclass
class Arrays:
    """Training inputs (n, d) and one-hot / 0-1 targets (n, outputs), float32, C-contiguous."""
    x: np.ndarray
    y: np.ndarray
    source: str        # where the data came from, for the printout

    @property
    def labels(self) -> np.ndarray:
        """Class indices (what PyTorch's losses take)."""
        return self.y[:, 0].copy() if self.y.shape[1] == 1 else self.y.argmax(axis=1)


def standardised(x: np.ndarray) -> np.ndarray:
    std = x.std(axis=0)
    return ((x - x.mean(axis=0)) / np.where(std > 1e-12, std, 1.0)).astype(np.float32)


def teacher_classes(n: int, dims: int, classes: int, rng, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic pixels in [low, high) labelled by a random linear teacher's arg-max, so the
    task is learnable (a real training, not noise) and needs nothing downloaded."""
    x = rng.uniform(low, high, (n, dims))
    teacher = rng.normal(0.0, 1.0, (dims, classes))
    labels = (standardised(x) @ teacher).argmax(axis=1)
    return x, np.eye(classes, dtype=np.float32)[labels]


def digits_training_split(workload: Workload) -> Arrays | None:
    """The bundled `digits` preset's training split, once that data set exists (else None)."""
    from nnterm.presets.loader import bundled_names, load_preset
    if "digits" not in bundled_names():
        return None
    from nnterm.data.dataset import make_dataset
    preset = load_preset("digits")
    data = make_dataset(preset.data, preset.seed, "float32", workload.sizes[-1])
    if data.x_train.shape[1] != workload.sizes[0] or data.y_train.shape[1] != workload.sizes[-1]:
        return None
    return Arrays(np.ascontiguousarray(data.x_train), np.ascontiguousarray(data.y_train),
                  f"digits preset, training split ({data.x_train.shape[0]:,} samples)")


def make_arrays(workload: Workload, seed: int = 0) -> Arrays:
    rng = np.random.default_rng(seed)
    if workload.name == "playground":
        from nnterm.data.synthetic import xor
        points, labels = xor(workload.samples, 0.0, rng)
        return Arrays(standardised(points), labels.reshape(-1, 1).astype(np.float32), "xor, 500 samples")
    if workload.name == "digits":
        real = digits_training_split(workload)
        if real is not None:
            return real
        x, y = teacher_classes(workload.samples, 64, 10, rng, 0.0, 16.0)
        return Arrays(standardised(x), y, "synthetic 8×8 pixels (no digits preset yet)")
    if workload.name == "mnist-epoch":
        return mnist_training_images(workload, rng)
    x, y = teacher_classes(workload.samples, 784, 10, rng, 0.0, 1.0)
    return Arrays(standardised(x), y, "synthetic 28×28 pixels")


def mnist_training_images(workload: Workload, rng) -> Arrays:
    """MNIST's 60,000 training images as the mnist preset feeds them (pixels ÷ 255), from
    $NNTERM_HOME/data/mnist; synthetic 28×28 pixels of the same size when the files are not there."""
    from nnterm.data.image_sets import load_image_set
    from nnterm.errors import NntermError
    try:
        inputs, labels, n_train, _names = load_image_set("mnist")
    except NntermError:
        x, y = teacher_classes(workload.samples, 784, 10, rng, 0.0, 1.0)
        return Arrays(x.astype(np.float32), y, "synthetic 28×28 pixels (no MNIST files: `nnterm data fetch mnist`)")
    x = np.ascontiguousarray(inputs[:n_train])
    return Arrays(x, np.eye(10, dtype=np.float32)[labels[:n_train]], f"MNIST training images ({n_train:,})")


def with_samples(workload: Workload, arrays: Arrays) -> Workload:
    """The workload as it will actually run (the digits split may hold a few more or fewer rows)."""
    from dataclasses import replace
    return replace(workload, samples=int(arrays.x.shape[0]))
