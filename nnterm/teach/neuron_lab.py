"""One neuron, up close (engine side of the neuron lab; no textual).

A neuron takes named inputs x, multiplies each by its weight, adds a bias and squashes the sum:

    z = w₁·x₁ + w₂·x₂ + … + b        a = f(z)

`Neuron` is a one-unit `Network`, so the lab's numbers come from the same compiled kernels that
train every other network: the weighted sum from the forward pass, each activation's output from
`kernels.activations.activation_array`, and a training step (mean squared error on a few
labelled examples, plain gradient descent) from `kernels.trace_step`.
"""
from dataclasses import dataclass

import numpy as np

from nnterm import kernels
from nnterm.errors import NntermError
from nnterm.kernels.activations import activation_array, backprop_activation
from nnterm.kernels.codes import ACTIVATIONS, GD, HIDDEN_ACTIVATIONS, ROW_CHUNK, SOFTMAX, pack_hyper_parameters
from nnterm.kernels.epoch import run_forward
from nnterm.kernels.stepped import run_small
from nnterm.engine.network import Network
from nnterm.runtime.language import N_, _
from nnterm.teach.trace import activation_slope, sub

# Every activation a single neuron can have: a hidden unit's (softmax needs several units to mean anything).
NEURON_ACTIVATIONS = HIDDEN_ACTIVATIONS


@dataclass(frozen=True)
class Example:
    label: str
    inputs: tuple
    target: float


@dataclass(frozen=True)
class NeuronSetup:
    """A neuron as a lesson presents it: what it is for, its inputs, hand-set weights, examples."""
    key: str
    title: str
    story: str
    input_names: tuple
    inputs: tuple
    weights: tuple
    bias: float
    activation: str
    examples: tuple
    learning_rate: float


SCORE = NeuronSetup(
    key="score", title=N_("Scoring a flat, 0 to 10"),
    story=N_("Eight features of a flat, each rated 0 (worst) … 1 (best, or most), and hand-set weights: "
           "good things push the score up, rent and a long commute pull it down. With every rating "
           "between 0 and 1, z = Σ w·x + b stays between 0 and 10."),
    # The words are msgids (N_): the lab shows them translated.
    input_names=(N_("size"), N_("light"), N_("quiet"), N_("near_transit"), N_("balcony"), N_("new_kitchen"), N_("rent"),
                 N_("commute")),
    inputs=(0.6, 0.8, 0.4, 1.0, 0.0, 0.5, 0.7, 0.3),
    weights=(1.5, 1.0, 1.0, 1.0, 0.5, 1.0, -2.5, -1.5),
    bias=4.0, activation="linear",
    # Scores a person gave five flats: they care more about quiet and less about the kitchen than
    # the hand-set weights say, so training has something to learn.
    examples=(
        Example(N_("loft"), (0.9, 1.0, 0.2, 1.0, 1.0, 1.0, 0.9, 0.2), 6.5),
        Example(N_("cottage"), (0.5, 0.6, 1.0, 0.0, 1.0, 0.2, 0.3, 0.9), 7.0),
        Example(N_("studio"), (0.1, 0.4, 0.5, 1.0, 0.0, 0.8, 0.4, 0.1), 5.0),
        Example(N_("townhouse"), (0.8, 0.7, 0.9, 0.5, 0.5, 0.3, 0.8, 0.5), 6.5),
        Example(N_("basement"), (0.4, 0.0, 0.3, 0.6, 0.0, 0.9, 0.1, 0.4), 3.0),
    ),
    learning_rate=0.05,
)

TWO_INPUTS = NeuronSetup(
    key="line", title="y = w₁·x₁ + w₂·x₂ + b",
    story=N_("The smallest network there is: two inputs, two weights, one bias. The examples lie on "
           "y = 2·x₁ − x₂ + 0.5; train step by step and watch w₁, w₂ and b walk towards 2, −1 and 0.5."),
    input_names=("x1", "x2"), inputs=(1.0, 0.5), weights=(0.5, 0.5), bias=0.0, activation="linear",
    examples=(
        Example("A", (0.0, 0.0), 0.5),
        Example("B", (1.0, 0.0), 2.5),
        Example("C", (0.0, 1.0), -0.5),
        Example("D", (1.0, 1.0), 1.5),
        Example("E", (0.5, -1.0), 2.5),
    ),
    learning_rate=0.1,
)

SETUPS = {setup.key: setup for setup in (SCORE, TWO_INPUTS)}


# The z the shape of an activation is drawn over: at least −SHAPE_REACH … SHAPE_REACH, where
# every activation shows its bends, and wider when the neuron's own z lies beyond that.
SHAPE_REACH = 5.0
SHAPE_MARGIN = 1.2
# The softmax view: this neuron's z as unit 1 of a layer of three, the other two sums held here
# (with z₁ = 2 the layer is the textbook's 2, 1, 0.1, which the activations lesson works through).
SOFTMAX_OTHERS = (1.0, 0.1)
# What the lab's side column shows above the examples (v cycles): the chosen activation's shape,
# softmax over three units, or every activation at this z.
VIEWS = ("shape", "softmax", "table")


@dataclass(frozen=True)
class Shape:
    """Curves of an activation over a grid of z, each value from the kernels, and the neuron's z on them.

    `curves` are (label, values over `z`); `at` is the neuron's z and `values` each curve's value there.
    """
    title: str
    z: np.ndarray
    curves: tuple
    at: float
    values: tuple


def shape_grid(at: float, points: int) -> np.ndarray:
    reach = max(SHAPE_REACH, SHAPE_MARGIN * abs(at)) if np.isfinite(at) else SHAPE_REACH
    return np.linspace(-reach, reach, max(points, 2))


@dataclass(frozen=True)
class NeuronStep:
    """What one training step did, for a screen to show as before → after."""
    loss_before: float
    loss_after: float
    grad_weights: np.ndarray   # ∂L/∂wᵢ = (2/N) Σ (a − y)·f′(z)·xᵢ over the examples
    grad_bias: float
    update_weights: np.ndarray # Δwᵢ = −lr·∂L/∂wᵢ
    update_bias: float


class Neuron:
    def __init__(self, setup: NeuronSetup = SCORE):
        self.setup = setup
        n = len(setup.input_names)
        self.names = tuple(setup.input_names)
        self.network = Network([n, 1], [setup.activation], loss="mse", dtype="float64")
        self.network.layers[0].weight[:, 0] = setup.weights
        self.network.layers[0].bias[0] = setup.bias
        self.inputs = np.array(setup.inputs, dtype=np.float64)
        self.examples = list(setup.examples)
        self.learning_rate = setup.learning_rate
        self.steps = 0
        self.history: list[float] = [self.loss()] if self.examples else []

    # --- what the user edits ---------------------------------------------------------------
    @property
    def weights(self) -> np.ndarray:
        return self.network.layers[0].weight[:, 0]

    @property
    def bias(self) -> float:
        return float(self.network.layers[0].bias[0])

    @property
    def activation(self) -> str:
        return self.network.layers[0].activation

    def set_input(self, i: int, value: float) -> None:
        self.inputs[i] = value

    def set_weight(self, i: int, value: float) -> None:
        self.weights[i] = value

    def set_bias(self, value: float) -> None:
        self.network.layers[0].bias[0] = value

    def set_activation(self, name: str) -> None:
        if name not in NEURON_ACTIVATIONS:
            raise NntermError(f'activation "{name}" is not one of {", ".join(NEURON_ACTIVATIONS)} (softmax needs several units)')
        self.network.acts[0] = ACTIVATIONS.index(name)

    def set_learning_rate(self, value: float) -> None:
        if not value > 0:
            raise NntermError(f"learning rate {value:g} must be > 0")
        self.learning_rate = value

    # --- what the user sees ----------------------------------------------------------------
    def forward(self, x) -> tuple[np.ndarray, np.ndarray]:
        """(z, a) for each row of x, from the engine's forward kernel."""
        x = self.network.as_input(x)
        zs, outs, _ = self.network.trace_buffers(x.shape[0])
        net = self.network
        run_forward(net.sizes, net.acts, net.offsets, net.params, x, zs, outs, small=True)
        return zs, outs

    def weighted_sum(self) -> float:
        """z = Σ wᵢ·xᵢ + b for the current inputs."""
        return float(self.forward(self.inputs)[0][0])

    def output(self) -> float:
        """a = f(z) for the current inputs."""
        return float(self.forward(self.inputs)[1][0])

    def terms(self) -> list[tuple[str, float, float, float]]:
        """(name, xᵢ, wᵢ, wᵢ·xᵢ) per input: the pieces the weighted sum adds up."""
        return [(name, float(x), float(w), float(w * x)) for name, x, w in zip(self.names, self.inputs, self.weights)]

    def outputs_by_activation(self) -> dict[str, float]:
        """f(z) for every activation at the current z, so they can be compared side by side."""
        z = np.array([[self.weighted_sum()]])
        return {name: float(activation_array(ACTIVATIONS.index(name), z)[0, 0]) for name in NEURON_ACTIVATIONS}

    def activation_shape(self, points: int = 121) -> Shape:
        """f(z) and f′(z) over a grid of z around 0 (and the neuron's z), with the neuron's own z:
        f by the forward kernel's activation, f′ by its backward rule — the very numbers training uses."""
        name, at = self.activation, self.weighted_sum()
        z = np.append(shape_grid(at, points), at)[:, None]      # the neuron's own z rides along as the last row
        a = activation_array(ACTIVATIONS.index(name), z)
        slope = activation_slope(name, z, a)
        return Shape(_("{name}(z) and its slope {name}′(z)").format(name=name), z[:-1, 0], (("f(z)", a[:-1, 0]), ("f′(z)", slope[:-1, 0])),
                     at, (("f(z)", float(a[-1, 0])), ("f′(z)", float(slope[-1, 0]))))

    def softmax_layer(self, others: tuple = SOFTMAX_OTHERS) -> tuple:
        """The sums z₁, z₂, … of the softmax view's layer: this neuron's z first, the others held."""
        return (self.weighted_sum(), *others)

    def softmax_shape(self, others: tuple = SOFTMAX_OTHERS, points: int = 121) -> Shape:
        """Softmax couples units, so one neuron cannot have it: here this neuron's z is z₁ of a layer
        of 1 + len(others) units whose other sums stay fixed. Each p_j = softmax(z)_j as z₁ moves,
        and the slope ∂p₁/∂z₁ = p₁(1 − p₁), from the kernels' softmax and its Jacobian rule
        (δ = a ⊙ (g − Σ g·a) with g = e₁ gives row 1 of the Jacobian)."""
        at = self.weighted_sum()
        z1 = np.append(shape_grid(at, points), at)
        k = 1 + len(others)
        zs = np.empty((z1.size, k))
        zs[:, 0], zs[:, 1:] = z1, others
        p = activation_array(SOFTMAX, zs)
        pick = np.zeros_like(zs)
        pick[:, 0] = 1.0
        jacobian_row = np.empty_like(zs)
        run_small(backprop_activation, SOFTMAX, zs, p, pick, jacobian_row)    # ∂p₁/∂z_j for every j
        curves = tuple((f"p{sub(j + 1)}", p[:-1, j]) for j in range(k)) + (("∂p₁/∂z₁", jacobian_row[:-1, 0]),)
        values = tuple((label, float(v)) for label, v in zip([c[0] for c in curves], [*p[-1], jacobian_row[-1, 0]]))
        fixed = ", ".join(f"z{sub(j + 2)} = {v:g}" for j, v in enumerate(others))
        return Shape(_("softmax of {count} units: z₁ = this z; {others}").format(count=k, others=fixed), z1[:-1], curves, at,
                     values)

    def magnitude(self) -> float:
        """The size of the numbers this neuron computes with (inputs, weights, bias, answers; at
        least 1): a result far below it is float rounding (the `scale` of runtime.numbers.num)."""
        parts = [np.abs(self.inputs), np.abs(self.weights), [abs(self.bias)], [abs(e.target) for e in self.examples]]
        return float(max(1.0, *(float(np.max(p, initial=0.0)) for p in parts)))

    def example_matrix(self) -> tuple[np.ndarray, np.ndarray]:
        x = np.array([e.inputs for e in self.examples], dtype=np.float64).reshape(len(self.examples), len(self.names))
        y = np.array([[e.target] for e in self.examples], dtype=np.float64).reshape(len(self.examples), 1)
        return x, y

    def example_outputs(self) -> tuple[np.ndarray, np.ndarray]:
        """(z, a) for every example."""
        z, a = self.forward(self.example_matrix()[0])
        return z.ravel(), a.ravel()

    def is_dead(self) -> bool:
        """A dead ReLU: z ≤ 0 for every example and for the current input, so it outputs 0 for
        all of them, its slope is 0 there, and no training step can move its weights."""
        if self.activation != "relu":
            return False
        x = np.vstack([self.example_matrix()[0], self.inputs[None, :]])
        return bool((self.forward(x)[0] <= 0).all())

    def loss(self) -> float:
        """Mean squared error over the examples: (1/N) Σ (a − y)²."""
        x, y = self.example_matrix()
        net = self.network
        return float(kernels.evaluate_loss(net.sizes, net.acts, net.offsets, net.loss_code, net.params, x, y, ROW_CHUNK,
                                           small=True))

    # --- learning ----------------------------------------------------------------------------
    def train_step(self) -> NeuronStep:
        """One step of gradient descent on all the examples, by kernels.trace_step."""
        if not self.examples:
            raise NntermError("the neuron has no labelled examples to learn from")
        net = self.network
        x, y = self.example_matrix()
        grads, update = np.zeros_like(net.params), np.zeros_like(net.params)
        state = np.zeros((2, net.n_params))
        zs, outs, deltas = net.trace_buffers(x.shape[0])
        hp = pack_hyper_parameters(self.learning_rate)
        step = np.array([self.steps], dtype=np.int64)
        before, _ = run_small(kernels.trace_step, net.sizes, net.acts, net.offsets, net.loss_code, GD, net.params,
                              grads, net.mask, state, step, hp, x, y, zs, outs, deltas, update,
                              kernels.blocks_for(net.sizes, x.shape[0], net.params.itemsize))
        self.steps += 1
        after = self.loss()
        self.history.append(after)
        (gw, gb), (uw, ub) = net.split(grads)[0], net.split(update)[0]
        return NeuronStep(float(before), after, gw[:, 0].copy(), float(gb[0]), uw[:, 0].copy(), float(ub[0]))

    def reset(self) -> None:
        self.__init__(self.setup)
