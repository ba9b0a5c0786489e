"""The data kinds: one table, read by validation, the data factory, the playground's edits and
the Data panel (docs/design.md, "One home per fact").

A kind's task decides the output layer and the loss that suit it: two classes train one sigmoid
unit with binary cross-entropy, several classes a softmax with categorical cross-entropy,
regression a linear unit with mean squared error.
"""
from dataclasses import dataclass

from nnterm.kernels.codes import ELU_ALPHA, HUBER_DELTA, LEAKY_SLOPE
from nnterm.runtime.language import N_
from nnterm.runtime.numbers import num

TASKS = ("binary", "multiclass", "regression")


@dataclass(frozen=True)
class DataKind:
    name: str              # the preset's data.kind
    label: str             # what the Data panel shows (marked N_, translated where shown)
    task: str              # binary, multiclass, regression; "auto" for csv: decided by the file
    planar: bool           # inputs are points (x1, x2) of the plane: feature transforms and a decision boundary
    inputs: str            # what the inputs are, in words ({dims}, {path} filled from the preset; N_)
    classes: int = 0       # how many classes (0: regression, or decided by the file)
    synthetic: bool = True  # generated from the seed: noise, samples and regenerate apply
    in_playground: bool = True   # offered in the Data panel (csv needs a path, so it comes from a preset)
    width: int | None = None     # inputs per sample when the kind fixes it; None: its features, dims or columns say


KINDS = (
    DataKind("circle", N_("circle"), "binary", True, N_("points of the plane"), 2),
    DataKind("xor", N_("xor"), "binary", True, N_("points of the plane"), 2),
    DataKind("gauss", N_("gauss"), "binary", True, N_("points of the plane"), 2),
    DataKind("spiral", N_("spiral"), "binary", True, N_("points of the plane"), 2),
    DataKind("moons", N_("moons"), "binary", True, N_("points of the plane"), 2),
    DataKind("spiral3", N_("spiral ×3"), "multiclass", True, N_("points of the plane"), 3),
    DataKind("blobs", N_("blobs ×4"), "multiclass", True, N_("points of the plane"), 4),
    DataKind("plane", N_("plane"), "regression", True, N_("points of the plane")),
    DataKind("multi_gauss", N_("multi-gauss"), "regression", True, N_("points of the plane")),
    DataKind("teacher", N_("teacher"), "binary", False, N_("{dims} random features"), 2),
    DataKind("digits", N_("digits"), "multiclass", False, N_("64 pixels, 10 classes"), 10, synthetic=False, width=64),
    DataKind("mnist", "MNIST", "multiclass", False, N_("784 pixels (28 × 28), 10 classes"), 10, synthetic=False,
             in_playground=False, width=784),
    DataKind("fashion_mnist", "Fashion-MNIST", "multiclass", False, N_("784 pixels (28 × 28), 10 classes"), 10,
             synthetic=False, in_playground=False, width=784),
    DataKind("csv", "csv", "auto", False, N_("the columns of {path}"), synthetic=False, in_playground=False),
)
BY_NAME = {kind.name: kind for kind in KINDS}
NAMES = tuple(BY_NAME)

# The output activation and loss that suit each task (a csv's task is known once its file is read).
OUTPUT_ACTIVATION = {"binary": "sigmoid", "multiclass": "softmax", "regression": "linear"}


def data_kind(name: str) -> DataKind:
    return BY_NAME[name]


# Each loss as a person reads it, by name (kernels/losses.py computes them; a is the network's
# output, y the right answer). N counts every output of every sample — PyTorch's
# reduction="mean" — except for cce, which averages over the samples (a_true: the output of the
# sample's own class). The explanations, the glossary and every screen that names a loss read
# this one table.
HUBER = f"δ = {num(HUBER_DELTA)}"           # the δ huber's formulas write, as the kernel's constant holds it
LOSS_FORMULAS = {
    "mse": "(1/N)·Σ (a − y)²",
    "mae": "(1/N)·Σ |a − y|",
    "huber": f"(1/N)·Σ [½(a − y)² if |a − y| ≤ δ, else δ·(|a − y| − ½δ)], {HUBER}",
    "bce": "−(1/N)·Σ [y·ln a + (1 − y)·ln(1 − a)]",
    "cce": "−(1/N)·Σ_samples ln a_true",
}

# f(z) of each activation, written out for a learner (the kernels/activations.py rules, with
# their constants read from kernels/codes.py); softmax's is unit k's of its layer.
ACTIVATION_FORMULAS = {
    "linear": "z", "sigmoid": "σ(z) = 1/(1 + e^(−z))", "tanh": "tanh(z)", "relu": "max(0, z)",
    "leaky_relu": f"max({num(LEAKY_SLOPE)}·z, z)", "elu": f"z if z > 0, else {num(ELU_ALPHA)}·(e^z − 1)",
    "softplus": "ln(1 + e^z)", "swish": "z·σ(z)", "softmax": "e^(z_k) / Σ_j e^(z_j)",
}


def loss_formula(name: str) -> str:
    """The loss `name` written out, for a learner: "bce = −(1/N)·Σ [y·ln a + (1 − y)·ln(1 − a)]"."""
    return f"{name} = {LOSS_FORMULAS[name]}"


def loss_for(output_activation: str) -> str:
    """What `loss = "auto"` means: the loss that suits the output layer's activation."""
    return {"sigmoid": "bce", "softmax": "cce"}.get(output_activation, "mse")
