"""Edits a person makes in the playground, as pure functions: Preset in, new validated Preset out.

Every function returns a Preset that has been through the same validation as a preset file
(so a bad value is a sentence naming the key and what is allowed, and what the app saves loads
back identically), or raises NntermError. No textual here: the TUI calls these and rebuilds.
"""
import tomllib
from dataclasses import replace

from nnterm.data import synthetic as datasets
from nnterm.errors import NntermError
from nnterm.presets.loader import preset_from_dict, resolve_defaults
from nnterm.presets.writer import preset_to_toml
from nnterm.presets.spec import FEATURES, LayerSpec, Preset

# TensorFlow Playground's choices, offered first by the playground (any other value can be typed).
LEARNING_RATES = (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATION_RATES = (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
REGULARIZATIONS = ("none", "l1", "l2")
NEW_LAYER_UNITS = 4
MAX_UNITS = 512                # a playground layer; wider nets belong in preset files
LABEL = "playground"           # where a validation sentence says the bad value came from


def validated(preset: Preset) -> Preset:
    """The preset as if saved and loaded again: every range and cross-field rule checked."""
    return preset_from_dict(tomllib.loads(preset_to_toml(preset)), LABEL)


# --- network ---------------------------------------------------------------------------
def hidden_count(preset: Preset) -> int:
    return len(preset.network.layers) - 1


def with_layers(preset: Preset, layers) -> Preset:
    return validated(replace(preset, network=replace(preset.network, layers=tuple(layers))))


def check_hidden(preset: Preset, layer: int, doing: str) -> None:
    hidden = hidden_count(preset)
    if hidden == 0:
        raise NntermError(f"cannot {doing}: the network has no hidden layer (press + on the network to add one)")
    if not 0 <= layer < hidden:
        raise NntermError(f"cannot {doing}: hidden layer {layer + 1} does not exist (the network has {hidden})")


def add_layer(preset: Preset, position: int | None = None, units: int | None = None) -> Preset:
    """Inserts a hidden layer at `position` (0 = first; default: just before the output layer),
    shaped like its neighbour (or 4 tanh units in a network with no hidden layer), or `units` wide."""
    layers = list(preset.network.layers)
    hidden = len(layers) - 1
    position = hidden if position is None else position
    if not 0 <= position <= hidden:
        raise NntermError(f"cannot add a layer at position {position + 1}: allowed are 1 … {hidden + 1}")
    like = layers[min(max(position - 1, 0), hidden - 1)] if hidden else None
    new = LayerSpec(like.units, like.activation) if like else LayerSpec(NEW_LAYER_UNITS, "tanh")
    if units is not None:
        if not 1 <= units <= MAX_UNITS:
            raise NntermError(f"cannot add a layer of {units} neurons: allowed are 1 … {MAX_UNITS}")
        new = replace(new, units=units)
    layers.insert(position, new)
    return with_layers(preset, layers)


def remove_layer(preset: Preset, layer: int | None = None) -> Preset:
    """Removes hidden layer `layer` (default: the last hidden one); the output layer stays."""
    layer = hidden_count(preset) - 1 if layer is None else layer
    check_hidden(preset, layer, "remove a layer")
    layers = list(preset.network.layers)
    del layers[layer]
    return with_layers(preset, layers)


def add_neuron(preset: Preset, layer: int) -> Preset:
    check_hidden(preset, layer, "add a neuron")
    layers = list(preset.network.layers)
    if layers[layer].units >= MAX_UNITS:
        raise NntermError(f"cannot add a neuron: hidden layer {layer + 1} already has the playground's most, {MAX_UNITS}")
    layers[layer] = replace(layers[layer], units=layers[layer].units + 1)
    return with_layers(preset, layers)


def remove_neuron(preset: Preset, layer: int) -> Preset:
    check_hidden(preset, layer, "remove a neuron")
    layers = list(preset.network.layers)
    if layers[layer].units <= 1:
        raise NntermError(f"cannot remove a neuron: hidden layer {layer + 1} has only one (remove the layer instead)")
    layers[layer] = replace(layers[layer], units=layers[layer].units - 1)
    return with_layers(preset, layers)


def set_activation(preset: Preset, layer: int, activation: str) -> Preset:
    """Sets one layer's activation (layer −1 or the last index: the output layer). A new output
    activation that the loss does not fit takes the loss that suits it (sigmoid → bce, …)."""
    layers = list(preset.network.layers)
    if not -len(layers) <= layer < len(layers):
        raise NntermError(f"cannot set the activation of layer {layer + 1}: the network has {len(layers)} layers")
    layers[layer] = replace(layers[layer], activation=activation)
    is_output = layer in (-1, len(layers) - 1)
    if is_output and activation != preset.output_activation:
        preset = replace(preset, training=replace(preset.training, loss=suited_loss(activation, preset.training.loss)))
    return with_layers(preset, layers)


def suited_loss(output_activation: str, loss: str) -> str:
    if output_activation == "softmax":
        return "cce"
    if output_activation == "sigmoid":
        return loss if loss in ("bce", "mse", "mae", "huber") else "bce"
    return loss if loss in ("mse", "mae", "huber") else "mse"


# --- data ------------------------------------------------------------------------------
def task_of(kind: str) -> str:
    if kind in datasets.REGRESSION or kind == "teacher":
        return "regression"
    return "multiclass" if kind == "digits" else "binary"


def set_data_kind(preset: Preset, kind: str) -> Preset:
    """Another data set. The output layer follows the task: one sigmoid unit for two classes,
    one linear unit for regression, a softmax over the classes of `digits`."""
    data = replace(preset.data, kind=kind)
    if kind not in ("digits", "csv", "teacher") and not set(data.features) <= set(FEATURES):
        data = replace(data, features=("x1", "x2"))
    layers = list(preset.network.layers)
    out = layers[-1]
    task = task_of(kind)
    if task != task_of(preset.data.kind):
        out = {"binary": LayerSpec(1, "sigmoid"), "regression": LayerSpec(1, "linear"),
               "multiclass": LayerSpec(10, "softmax")}[task]
        layers[-1] = replace(out, trainable=layers[-1].trainable)
    training = replace(preset.training, loss=suited_loss(layers[-1].activation, preset.training.loss))
    return validated(replace(preset, data=data, network=replace(preset.network, layers=tuple(layers)), training=training))


def set_data(preset: Preset, **changes) -> Preset:
    """noise, train_fraction, samples, features, … (DataSpec field names)."""
    if "kind" in changes:
        preset = set_data_kind(preset, changes.pop("kind"))
    if "features" in changes:
        changes["features"] = tuple(f for f in FEATURES if f in changes["features"])   # the panel's order
    return validated(replace(preset, data=replace(preset.data, **changes)))


def toggle_feature(preset: Preset, feature: str) -> Preset:
    features = set(preset.data.features) ^ {feature}
    if not features:
        raise NntermError(f"cannot turn {feature} off: the network needs at least one input feature")
    return set_data(preset, features=features)


def regenerate(preset: Preset) -> Preset:
    """New random data (and weights): the next seed."""
    return validated(replace(preset, seed=preset.seed + 1))


# --- training --------------------------------------------------------------------------
def set_training(preset: Preset, **changes) -> Preset:
    """learning_rate, batch_size, epochs, … (TrainingSpec field names)."""
    return validated(replace(preset, training=replace(preset.training, **changes)))


def set_optimizer(preset: Preset, optimizer: str) -> Preset:
    """Another optimizer, with its own defaults for momentum, eps and weight decay."""
    training = replace(preset.training, optimizer=optimizer, momentum=None, eps=None, weight_decay=None)
    return validated(resolve_defaults(replace(preset, training=training)))


def set_loss(preset: Preset, loss: str) -> Preset:
    return set_training(preset, loss=loss)


def regularization(preset: Preset) -> tuple[str, float]:
    """("none" | "l1" | "l2" | "l1+l2", rate) as the playground shows it."""
    l1, l2 = preset.training.l1, preset.training.l2
    if l1 and l2:
        return "l1+l2", l1
    if l1:
        return "l1", l1
    if l2:
        return "l2", l2
    return "none", 0.0


def set_regularization(preset: Preset, kind: str, rate: float) -> Preset:
    """none, l1 or l2 with a rate (weights only, not biases)."""
    if kind not in REGULARIZATIONS:
        raise NntermError(f'regularisation "{kind}" is not one of {", ".join(REGULARIZATIONS)}')
    if rate < 0:
        raise NntermError(f"the regularisation rate {rate:g} must be ≥ 0")
    l1 = rate if kind == "l1" else 0.0
    l2 = rate if kind == "l2" else 0.0
    return set_training(preset, l1=l1, l2=l2)


def parse_number(text: str, what: str, whole: bool = False) -> float | int:
    """A number the user typed, or a sentence saying what was wrong."""
    text = text.strip().replace("_", "")
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number, such as 0.03 or 1e-4"
        raise NntermError(f'{what}: "{text}" is not {kind}') from None
    if not whole and value != value:
        raise NntermError(f"{what}: NaN is not a number you can train with")
    return value
