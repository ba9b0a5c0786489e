"""What a preset says, as frozen dataclasses. Nothing downstream reads raw TOML dicts.

Each field's metadata says what is allowed; preset_loader validates against it, so the rules
live in one place. `None` defaults are resolved by the loader (they depend on other fields),
so a loaded Preset never holds a None. `loss = "auto"`, like `init = "auto"`, stays as it is and
is resolved where it is used (`Preset.loss`), so an edit of the output layer never re-derives it.
"""
from dataclasses import dataclass, field

from nnterm.kernels.codes import ACTIVATIONS, INITS, LOSSES, OPTIMIZERS
from nnterm.presets.kinds import NAMES as DATA_KINDS, loss_for

FEATURES = ("x1", "x2", "x1^2", "x2^2", "x1*x2", "sin(x1)", "sin(x2)")
SCHEDULES = ("constant", "step", "exponential", "cosine")
DTYPES = ("float32", "float64")
BACKENDS = ("auto", "cpu", "cuda")   # auto: cuda only for a large net on a real GPU (nnterm/engine/backends.py)
TASKS = ("auto", "binary", "multiclass", "regression")
DESCRIPTIONS = ("description", "description_zh")   # the English one first; Preset has a field for each
SEED_MAX = 2**63 - 1        # TOML's integers are 64-bit signed: a seed must survive a saved preset


def choice(options, default):
    return field(default=default, metadata={"choices": options})


def number(default, low=None, high=None, low_open=False, high_open=False):
    return field(default=default, metadata={"range": (low, high, low_open, high_open)})


@dataclass(frozen=True)
class DataSpec:
    kind: str = choice(DATA_KINDS, "xor")
    samples: int = number(500, 4, 1_000_000)
    noise: float = number(0.0, 0.0, 1.0)             # TensorFlow Playground's 0 … 50 % is 0 … 0.5
    train_fraction: float = number(0.7, 0.0, 1.0, low_open=True)
    test_fraction: float = number(0.0, 0.0, 1.0, high_open=True)   # validation gets the rest
    features: tuple[str, ...] = field(default=("x1", "x2"), metadata={"each": FEATURES})
    standardize: bool = True
    dims: int = number(10, 1, 4096)                  # input width of the `teacher` kind
    # `digits` and `csv` read real data (all of it: `samples`, `noise` and `features` are for the
    # synthetic kinds). Column lists are comma-separated strings, e.g. target = "price".
    path: str = ""                                   # `csv`: the file (relative to the working folder)
    target: str = ""                                 # `csv`: target column(s); "" is the last column
    columns: str = ""                                # `csv`: input columns; "" is every other column
    task: str = choice(TASKS, "auto")                # `csv`: auto infers it from the target column
    subset: float = number(1.0, 0.0, 1.0, low_open=True)   # train on this fraction of the training split
    standardize_target: bool = True                 # `csv` regression: fit (y − mean)/std on the training split


@dataclass(frozen=True)
class LayerSpec:
    units: int = number(8, 1, 65536)
    activation: str = choice(ACTIVATIONS, "tanh")
    trainable: bool = True


@dataclass(frozen=True)
class NetworkSpec:
    layers: tuple[LayerSpec, ...] = (LayerSpec(8, "tanh"), LayerSpec(8, "tanh"), LayerSpec(1, "sigmoid"))
    init: str = choice(("auto",) + INITS, "auto")   # auto: he for the ReLU family, xavier otherwise
    dtype: str = choice(DTYPES, "float32")
    weights: str = ""                                # a weight file (.safetensors) to start from, e.g. to fine-tune:
                                                     # as given, else in $NNTERM_HOME/weights
    weights_from: str = ""                           # the preset whose `nnterm train --save` makes that file
    load_layers: int = number(0, 0, None)            # how many layers, from the input, take `weights` (0: all)


@dataclass(frozen=True)
class TrainingSpec:
    loss: str = choice(("auto",) + LOSSES, "auto")  # auto: the one that suits the output activation
    optimizer: str = choice(OPTIMIZERS, "sgd")
    learning_rate: float = number(0.03, 0.0, None, low_open=True)
    batch_size: int = number(10, 1, None)
    epochs: int = number(100, 1, None)
    momentum: float | None = number(None, 0.0, 1.0, high_open=True)   # None: 0.9 for `momentum`, else 0
    nesterov: bool = False
    beta1: float = number(0.9, 0.0, 1.0, high_open=True)
    beta2: float = number(0.999, 0.0, 1.0, high_open=True)
    eps: float | None = number(None, 0.0, None, low_open=True)        # None: 1e-10 adagrad, else 1e-8
    alpha: float = number(0.99, 0.0, 1.0, high_open=True)
    weight_decay: float | None = number(None, 0.0, None)              # None: 0.01 adamw, else 0
    l1: float = number(0.0, 0.0, None)
    l2: float = number(0.0, 0.0, None)
    clip_norm: float = number(0.0, 0.0, None)                         # 0: no clipping
    schedule: str = choice(SCHEDULES, "constant")
    step_size: int = number(30, 1, None)                              # `step`: epochs between decays
    gamma: float = number(0.1, 0.0, 1.0, low_open=True)               # `step`/`exponential` factor
    min_learning_rate: float = number(0.0, 0.0, None)                 # `cosine` floor
    early_stopping: bool = False
    patience: int = number(10, 1, None)
    min_delta: float = number(0.0, 0.0, None)
    restore_best_weights: bool = True              # Keras's name: early stopping brings back the best epoch
    backend: str = choice(BACKENDS, "cpu")


@dataclass(frozen=True)
class Preset:
    name: str = "untitled"
    description: str = ""
    # The description in another language, beside the English in the same file (a teacher's own
    # preset as much as a bundled one); a field per language of runtime.language.LANGUAGES.
    description_zh: str = ""
    seed: int = 0
    data: DataSpec = DataSpec()
    network: NetworkSpec = NetworkSpec()
    training: TrainingSpec = TrainingSpec()

    def described(self) -> str:
        """The description in the language in use: its description_<code> where written, else the English."""
        return getattr(self, description_field()) or self.description

    @property
    def output_activation(self) -> str:
        return self.network.layers[-1].activation

    @property
    def loss(self) -> str:
        """The loss in force: training.loss, or for "auto" the one that suits the output layer."""
        return loss_for(self.output_activation) if self.training.loss == "auto" else self.training.loss


def description_field() -> str:
    """The Preset field that holds the description in the language in use ("description" for English,
    and for a language no field is written for)."""
    from nnterm.runtime.language import current
    field = f"description_{current()}"
    return field if field in DESCRIPTIONS else "description"
