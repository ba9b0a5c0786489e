"""Edits a person makes in the playground, as pure functions: Preset in, new validated Preset out.

Every function returns a Preset that has been through the same validation as a preset file
(so a bad value is a sentence naming the key and what is allowed, and what the app saves loads
back identically), or raises NntermError. No textual here: the session calls these.

The loss is "auto" unless a person picked one: an edit that changes the output layer (another
task, another output activation) sets a picked loss that no longer fits back to "auto", and
`Preset.loss` resolves it, so nothing here re-derives a loss by hand.
"""
from nnterm.runtime.language import N_, _
from dataclasses import dataclass, replace

from nnterm.errors import NntermError
from nnterm.presets.kinds import OUTPUT_ACTIVATION, data_kind
from nnterm.presets.loader import validated
from nnterm.presets.spec import FEATURES, LayerSpec, Preset

# The number controls' choices are nnterm/presets/controls.py's (NUMBER_CONTROLS).
REGULARIZATIONS = ("none", "l1", "l2")
NEW_LAYER_UNITS = 4           # a hidden layer added to a network that has none
NEW_LAYER_ACTIVATION = "tanh"
MAX_UNITS = 512                # a playground layer; wider nets belong in preset files


# --- network ---------------------------------------------------------------------------
def hidden_count(preset: Preset) -> int:
    return len(preset.network.layers) - 1


def with_layers(preset: Preset, layers) -> Preset:
    return validated(replace(preset, network=replace(preset.network, layers=tuple(layers))))


def check_hidden(preset: Preset, layer: int, doing: str) -> None:
    hidden = hidden_count(preset)
    if hidden == 0:
        raise NntermError(_("cannot {doing}: the network has no hidden layer (press + on the network to add one)").format(doing=_(doing)))
    if not 0 <= layer < hidden:
        raise NntermError(_("cannot {doing}: hidden layer {layer} does not exist (the network has {hidden})").format(doing=_(doing), layer=layer + 1, hidden=hidden))


def add_layer(preset: Preset, position: int | None = None, units: int | None = None) -> Preset:
    """Inserts a hidden layer at `position` (0 = first; default: just before the output layer),
    shaped like its neighbour (or 4 tanh units in a network with no hidden layer), or `units` wide."""
    layers = list(preset.network.layers)
    hidden = len(layers) - 1
    position = hidden if position is None else position
    if not 0 <= position <= hidden:
        raise NntermError(_("cannot add a layer at position {position}: allowed are 1 … {last}").format(position=position + 1, last=hidden + 1))
    like = layers[min(max(position - 1, 0), hidden - 1)] if hidden else None
    new = LayerSpec(like.units, like.activation) if like else LayerSpec(NEW_LAYER_UNITS, NEW_LAYER_ACTIVATION)
    if units is not None:
        if not 1 <= units <= MAX_UNITS:
            raise NntermError(_("cannot add a layer of {units} neurons: allowed are 1 … {MAX_UNITS}").format(units=units, MAX_UNITS=MAX_UNITS))
        new = replace(new, units=units)
    layers.insert(position, new)
    return with_layers(preset, layers)


def remove_layer(preset: Preset, layer: int | None = None) -> Preset:
    """Removes hidden layer `layer` (default: the last hidden one); the output layer stays."""
    layer = hidden_count(preset) - 1 if layer is None else layer
    check_hidden(preset, layer, N_("remove a layer"))
    layers = list(preset.network.layers)
    del layers[layer]
    return with_layers(preset, layers)


def add_neuron(preset: Preset, layer: int) -> Preset:
    check_hidden(preset, layer, N_("add a neuron"))
    layers = list(preset.network.layers)
    if layers[layer].units >= MAX_UNITS:
        raise NntermError(_("cannot add a neuron: hidden layer {layer} already has the playground's most, {MAX_UNITS}").format(layer=layer + 1, MAX_UNITS=MAX_UNITS))
    layers[layer] = replace(layers[layer], units=layers[layer].units + 1)
    return with_layers(preset, layers)


def remove_neuron(preset: Preset, layer: int) -> Preset:
    check_hidden(preset, layer, N_("remove a neuron"))
    layers = list(preset.network.layers)
    if layers[layer].units <= 1:
        raise NntermError(_("cannot remove a neuron: hidden layer {layer} has only one (remove the layer instead)").format(layer=layer + 1))
    layers[layer] = replace(layers[layer], units=layers[layer].units - 1)
    return with_layers(preset, layers)


def set_activation(preset: Preset, layer: int, activation: str) -> Preset:
    """Sets one layer's activation (layer −1 or the last index: the output layer). A picked loss
    that the new output activation does not fit goes back to "auto" (sigmoid → bce, …)."""
    layers = list(preset.network.layers)
    if not -len(layers) <= layer < len(layers):
        raise NntermError(_("cannot set the activation of layer {layer}: the network has {layers_count} layers").format(layer=layer + 1, layers_count=len(layers)))
    layers[layer] = replace(layers[layer], activation=activation)
    is_output = layer in (-1, len(layers) - 1)
    if is_output and not loss_fits(preset.training.loss, activation):
        preset = replace(preset, training=replace(preset.training, loss="auto"))
    return with_layers(preset, layers)


def loss_fits(loss: str, output_activation: str) -> bool:
    """Whether a loss suits an output activation: cce needs a softmax, bce outputs in 0 … 1."""
    if loss == "auto":
        return True
    if output_activation == "softmax":
        return loss == "cce"
    if loss == "cce":
        return False
    return loss != "bce" or output_activation == "sigmoid"


# --- data ------------------------------------------------------------------------------
def output_layer_for(kind_name: str, old: LayerSpec) -> LayerSpec:
    """The output layer a data kind's task needs (the old one when it already fits)."""
    kind = data_kind(kind_name)
    if kind.task not in OUTPUT_ACTIVATION:            # csv: the file decides; keep what the preset says
        return old
    activation = OUTPUT_ACTIVATION[kind.task]
    units = kind.classes if kind.task == "multiclass" else 1
    if (old.activation, old.units) == (activation, units):
        return old
    return LayerSpec(units, activation, trainable=old.trainable)


def set_data_kind(preset: Preset, kind: str) -> Preset:
    """Another data set. The output layer follows its task: one sigmoid unit for two classes,
    one linear unit for regression, a softmax over the classes of `digits`; a picked loss that
    no longer fits goes back to "auto"."""
    data = replace(preset.data, kind=kind)
    if data_kind(kind).planar and not set(data.features) <= set(FEATURES):
        data = replace(data, features=("x1", "x2"))
    layers = list(preset.network.layers)
    layers[-1] = output_layer_for(kind, layers[-1])
    training = preset.training
    if not loss_fits(training.loss, layers[-1].activation) or layers[-1] != preset.network.layers[-1]:
        training = replace(training, loss="auto")
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
        raise NntermError(_("cannot turn {feature} off: the network needs at least one input feature").format(feature=feature))
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
    return validated(replace(preset, training=training))


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
        raise NntermError(_("regularisation \"{kind}\" is not one of {kinds}").format(kind=kind, kinds=", ".join(REGULARIZATIONS)))
    if rate < 0:
        raise NntermError(_("the regularisation rate {rate:g} must be ≥ 0").format(rate=rate))
    l1 = rate if kind == "l1" else 0.0
    l2 = rate if kind == "l2" else 0.0
    return set_training(preset, l1=l1, l2=l2)


# --- network edits, as values ------------------------------------------------------------
# What the network view asks for. Layers are indices into network.layers (the output layer is
# the last); `said` is the sentence the playground shows once the edit is made.
@dataclass(frozen=True)
class AddLayer:
    position: int | None = None      # the new layer's index (default: just before the output)
    units: int | None = None         # default: as wide as its neighbour

    def apply(self, preset: Preset) -> Preset:
        return add_layer(preset, self.position, self.units)

    @property
    def said(self) -> str:
        return _("added a hidden layer")


@dataclass(frozen=True)
class RemoveLayer:
    layer: int | None = None         # default: the last hidden layer

    def apply(self, preset: Preset) -> Preset:
        return remove_layer(preset, self.layer)

    @property
    def said(self) -> str:
        return _("removed a hidden layer")


@dataclass(frozen=True)
class AddNeuron:
    layer: int

    def apply(self, preset: Preset) -> Preset:
        return add_neuron(preset, self.layer)

    @property
    def said(self) -> str:
        return _("added a neuron to layer {layer}").format(layer=self.layer + 1)


@dataclass(frozen=True)
class RemoveNeuron:
    layer: int

    def apply(self, preset: Preset) -> Preset:
        return remove_neuron(preset, self.layer)

    @property
    def said(self) -> str:
        return _("removed a neuron from layer {layer}").format(layer=self.layer + 1)


@dataclass(frozen=True)
class SetActivation:
    layer: int
    activation: str

    def apply(self, preset: Preset) -> Preset:
        return set_activation(preset, self.layer, self.activation)

    @property
    def said(self) -> str:
        return _("layer {layer} activation {activation}").format(layer=self.layer + 1, activation=self.activation)


NetworkEdit = AddLayer | RemoveLayer | AddNeuron | RemoveNeuron | SetActivation
