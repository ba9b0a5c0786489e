"""Weight files: a trained network *is* its weight file (docs/design.md, "Files").

A safetensors file, written atomically (nnterm.runtime.fileio), holding:

    layers.{i}.weight   (fan_in, fan_out)   nnterm's layout: a layer computes a @ W + b
    layers.{i}.bias     (fan_out,)
    optimizer.state     (2, P)              optimizer moments over the flat buffer (to resume)

and, in the metadata (strings): format, preset (the preset's TOML, with the seed that made the
data split), seed, epoch, dtype, optimizer, step, scaler_mean / scaler_std (JSON lists: the
standardisation fitted on the training split), feature_names, class_names, task, shuffle_rng.

Reading refuses, with one sentence naming the first problem, a file that is missing, not
safetensors, truncated, or whose layer count, shapes or dtype do not fit the network — and
leaves the network in memory untouched (everything is checked before anything is copied).
`nnterm export --format torch` writes PyTorch nn.Sequential names and layout instead.
"""
import json
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from nnterm.errors import NntermError
from nnterm.runtime.fileio import atomic_write_bytes
from nnterm.runtime.paths import check_output_path

FORMAT = "nnterm-weights/1"
MAX_HEADER_BYTES = 100_000_000          # safetensors' own limit on the JSON header


@dataclass(frozen=True)
class WeightFile:
    path: str
    tensors: dict
    metadata: dict

    @property
    def n_layers(self) -> int:
        n = 0
        while f"layers.{n}.weight" in self.tensors:
            n += 1
        return n

    def weight(self, i: int) -> np.ndarray:
        return self.tensors[f"layers.{i}.weight"]

    def bias(self, i: int) -> np.ndarray:
        return self.tensors[f"layers.{i}.bias"]

    def meta_json(self, key: str, default=None):
        if key not in self.metadata:
            return default
        try:
            return json.loads(self.metadata[key])
        except json.JSONDecodeError:
            raise NntermError(f"{self.path}: the metadata entry {key} is damaged (not JSON)") from None

    @property
    def epoch(self) -> int:
        return int(self.meta_json("epoch", 0))

    @property
    def seed(self) -> int | None:
        return self.meta_json("seed")

    @property
    def scaler(self) -> tuple[np.ndarray, np.ndarray] | None:
        mean, std = self.meta_json("scaler_mean"), self.meta_json("scaler_std")
        if mean is None or std is None:
            return None
        return np.array(mean, dtype=np.float64), np.array(std, dtype=np.float64)

    @property
    def target_scaler(self) -> tuple[np.ndarray, np.ndarray] | None:
        mean, std = self.meta_json("target_mean"), self.meta_json("target_std")
        if mean is None or std is None:
            return None
        return np.array(mean, dtype=np.float64), np.array(std, dtype=np.float64)

    @property
    def class_names(self) -> tuple[str, ...]:
        return tuple(self.meta_json("class_names", []))

    def preset_toml_text(self) -> str:
        """The preset stored in the file (TOML, as it was trained), checked to parse."""
        import tomllib
        text = self.metadata.get("preset")
        if not text:
            raise NntermError(f"{self.path}: the file stores no preset; name one, e.g. `nnterm eval PRESET --load {self.path}`")
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise NntermError(f"{self.path}: the stored preset is damaged ({err})") from None
        return text

    def preset(self):
        import tomllib
        from nnterm.presets.loader import preset_from_dict
        return preset_from_dict(tomllib.loads(self.preset_toml_text()), f"{self.path} (its stored preset)")


# --- writing -----------------------------------------------------------------------------

def portable_preset(preset, seed: int):
    """The preset a weight file stores: the seed that made the split, and no dependence on another
    weight file (the weights are all here). Also what "the same run" means when resuming."""
    network = replace(preset.network, weights="", load_layers=0)
    return replace(preset, seed=seed, network=network)


def weight_file_bytes(trainer) -> bytes:
    """The safetensors bytes for a Trainer's network, scaler and training state."""
    import safetensors.numpy
    from nnterm.presets.writer import preset_to_toml
    net, data = trainer.network, trainer.data
    tensors = {}
    for layer in net.layers:
        tensors[f"layers.{layer.index}.weight"] = np.ascontiguousarray(layer.weight)
        tensors[f"layers.{layer.index}.bias"] = np.ascontiguousarray(layer.bias)
    tensors["optimizer.state"] = np.ascontiguousarray(trainer.state)
    metadata = {
        "format": FORMAT,
        "preset": preset_to_toml(portable_preset(trainer.preset, trainer.seed)),
        "seed": json.dumps(int(trainer.seed)),
        "epoch": json.dumps(int(trainer.epoch)),
        "dtype": net.dtype.name,
        "activations": json.dumps([layer.activation for layer in net.layers]),
        "trainable": json.dumps([layer.trainable for layer in net.layers]),
        "optimizer": trainer.preset.training.optimizer,
        "step": json.dumps(int(trainer.step_count[0])),
        "scaler_mean": json.dumps([float(v) for v in data.scaler_mean]),   # repr floats: exact round trip
        "scaler_std": json.dumps([float(v) for v in data.scaler_std]),
        "feature_names": json.dumps(list(data.feature_names)),
        "class_names": json.dumps(list(data.class_names) or [str(i) for i in range(data.n_classes)]),
        "task": data.task,
        "shuffle_rng": json.dumps(trainer.shuffle_rng.bit_generator.state),
    }
    if data.target_mean is not None:                # regression trained on z-scores: outputs·std + mean
        metadata["target_mean"] = json.dumps([float(v) for v in data.target_mean])
        metadata["target_std"] = json.dumps([float(v) for v in data.target_std])
    return safetensors.numpy.save(tensors, metadata=metadata)


def check_writable(path: str, key: str = "--save") -> None:
    """Before a long run: the rule of nnterm.runtime.paths for an output path (a legal name, a
    folder that exists and takes files, nothing there but a regular file or a link to one)."""
    check_output_path(path, key)


def save_weights(path: str, trainer) -> None:
    """Atomic: a crash or a kill mid-write leaves the old file (or none), never half a file."""
    atomic_write_bytes(path, weight_file_bytes(trainer))


# --- reading -----------------------------------------------------------------------------

def read_weights(path: str, missing_hint: str = "") -> WeightFile:
    """A safetensors weight file → WeightFile, or one sentence saying why it cannot be read."""
    file = Path(path)
    if not file.is_file():
        raise NntermError(f"{path}: no such weight file{missing_hint}")
    try:
        blob = file.read_bytes()
    except OSError as err:
        raise NntermError(f"{path}: cannot read the file ({err.strerror or err.__class__.__name__})") from None
    header = parse_header(path, blob)
    import safetensors.numpy
    try:
        tensors = safetensors.numpy.load(blob)
    except Exception as err:                       # SafetensorError; its message is one line
        raise NntermError(f"{path}: the file is damaged ({str(err).splitlines()[0]})") from None
    return WeightFile(str(path), tensors, dict(header.get("__metadata__") or {}))


def parse_header(path: str, blob: bytes) -> dict:
    """safetensors = 8-byte little-endian header length, a JSON header, then the tensor bytes."""
    not_safetensors = f"{path}: not a safetensors weight file"
    if len(blob) < 8:
        raise NntermError(f"{not_safetensors} (only {len(blob)} bytes)")
    size = int.from_bytes(blob[:8], "little")
    if size < 2 or size > MAX_HEADER_BYTES or blob[8:9] != b"{":
        raise NntermError(f"{not_safetensors} (it does not start with a safetensors header)")
    if len(blob) < 8 + size:
        raise NntermError(f"{path}: the file is truncated: it ends inside its header ({len(blob)} of at least {8 + size} bytes)")
    try:
        header = json.loads(blob[8:8 + size])
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise NntermError(f"{not_safetensors} (its header is not JSON)") from None
    if not isinstance(header, dict):
        raise NntermError(f"{not_safetensors} (its header is not a JSON object)")
    try:
        end = max((int(t["data_offsets"][1]) for k, t in header.items() if k != "__metadata__"), default=0)
    except (TypeError, KeyError, IndexError, ValueError):
        raise NntermError(f"{not_safetensors} (its header does not describe tensors)") from None
    if len(blob) < 8 + size + end:
        raise NntermError(f"{path}: the file is truncated: it holds {len(blob)} bytes, its header promises {8 + size + end}")
    return header


# --- fitting a file to a network -----------------------------------------------------------

def check_has_layers(weights: WeightFile) -> None:
    if weights.n_layers == 0:
        torch_like = "0.weight" in weights.tensors
        hint = (" (it looks like a PyTorch export; nnterm reads the weight files it saves itself)" if torch_like
                else " (tensors named layers.0.weight, layers.0.bias, …)")
        raise NntermError(f"{weights.path}: holds no nnterm layers{hint}")


def check_fits(weights: WeightFile, net, load_layers: int = 0) -> None:
    """Raises a sentence naming the first mismatch (layer count, then each layer's shapes and dtype)."""
    path, have = weights.path, weights.n_layers
    check_has_layers(weights)
    want = load_layers or len(net.layers)
    if load_layers > len(net.layers):
        raise NntermError(f"{path}: network.load_layers = {load_layers} but the network has only {len(net.layers)} layers")
    if load_layers and have < load_layers:
        raise NntermError(f"{path}: holds {have} layers but network.load_layers = {load_layers} asks for {load_layers}")
    if not load_layers and have != want:
        hint = "; set network.load_layers to take only the first ones" if have > want else ""
        raise NntermError(f"{path}: holds {have} layers but the network has {want}{hint}")
    for layer in net.layers[:want]:
        i, w = layer.index, weights.weight(layer.index)
        if f"layers.{i}.bias" not in weights.tensors:
            raise NntermError(f"{path}: has layers.{i}.weight but no layers.{i}.bias")
        b = weights.bias(i)
        if w.shape != (layer.fan_in, layer.units):
            shape = "×".join(str(d) for d in w.shape)
            raise NntermError(f"{path}: layers.{i}.weight is {shape} but the network's layer {i} is "
                              f"{layer.fan_in}×{layer.units} (inputs × units)")
        if b.shape != (layer.units,):
            raise NntermError(f"{path}: layers.{i}.bias has shape {tuple(b.shape)} but the network's layer {i} has {layer.units} units")
        for name, array in ((f"layers.{i}.weight", w), (f"layers.{i}.bias", b)):
            if array.dtype != net.dtype:
                raise NntermError(f'{path}: {name} is {array.dtype.name} but the network is {net.dtype.name}; '
                                  f'set network.dtype = "{array.dtype.name}" to use this file')


def apply_weights(weights: WeightFile, net, load_layers: int = 0) -> None:
    """Copies the file's weights into the network (the first `load_layers`, or all) — after checking all."""
    check_fits(weights, net, load_layers)
    for layer in net.layers[:load_layers or len(net.layers)]:
        layer.weight[...] = weights.weight(layer.index)
        layer.bias[...] = weights.bias(layer.index)


def same_run(weights: WeightFile, trainer) -> bool:
    """True when the file was saved by this very setup (the epoch budget aside): then --load resumes."""
    from nnterm.presets.writer import preset_to_toml
    stored = weights.metadata.get("preset")
    if not stored or weights.seed != trainer.seed:
        return False
    mine = portable_preset(trainer.preset, trainer.seed)
    try:
        theirs = weights.preset()
    except NntermError:
        return False
    budget = lambda p: replace(p, training=replace(p.training, epochs=1))
    return preset_to_toml(budget(theirs)) == preset_to_toml(budget(mine))


@dataclass(frozen=True)
class SavedRun:
    """What a weight file holds beyond the weights, for a trainer of the same setup to go on."""
    state: np.ndarray          # the optimizer's (2, P) state
    step: int                  # minibatch updates so far (Adam's bias correction counts them)
    shuffle_state: dict        # the shuffling generator's state
    epoch: int


def saved_run(weights: WeightFile, trainer) -> SavedRun | None:
    """The training state to resume `trainer` exactly as if it had never stopped, or None when
    the file cannot resume it — another setup, or no training state. Reads; writes nothing."""
    state = weights.tensors.get("optimizer.state")
    rng_state = weights.meta_json("shuffle_rng")
    if (state is None or state.shape != trainer.state.shape or state.dtype != trainer.state.dtype
            or rng_state is None or not same_run(weights, trainer)):
        return None
    return SavedRun(state, int(weights.meta_json("step", 0)), rng_state, weights.epoch)


# --- export --------------------------------------------------------------------------------

TORCH_MODULES = {"sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()", "relu": "nn.ReLU()",
                 "leaky_relu": "nn.LeakyReLU(0.01)", "elu": "nn.ELU(alpha=1.0)", "softplus": "nn.Softplus(beta=1.0)",
                 "swish": "nn.SiLU()", "softmax": "nn.Softmax(dim=1)", "linear": None}


def layer_activations(weights: WeightFile) -> list[str]:
    stored = weights.meta_json("activations")
    if stored is None:
        stored = [layer.activation for layer in weights.preset().network.layers]
    if len(stored) != weights.n_layers:
        raise NntermError(f"{weights.path}: the metadata names {len(stored)} activations for {weights.n_layers} layers")
    return stored


def torch_state_dict(weights: WeightFile) -> tuple[dict[str, np.ndarray], list[str]]:
    """(state_dict in nn.Sequential names, the modules of that Sequential as Python source).

    Each Linear is followed by its activation module (none for `linear`), so indices count
    both: Linear 0, ReLU 1, Linear 2, … PyTorch stores Linear.weight as [out, in]: W transposed.
    """
    check_has_layers(weights)
    state, modules = {}, []
    for i, activation in enumerate(layer_activations(weights)):
        w = weights.weight(i)
        index = len(modules)
        state[f"{index}.weight"] = np.ascontiguousarray(w.T)
        state[f"{index}.bias"] = np.ascontiguousarray(weights.bias(i))
        modules.append(f"nn.Linear({w.shape[0]}, {w.shape[1]})")
        if TORCH_MODULES[activation]:
            modules.append(TORCH_MODULES[activation])
    return state, modules


def export_weights(weights: WeightFile, fmt: str, output: str) -> list[str]:
    """Writes `output` (atomically) in the format named; returns the nn.Sequential modules."""
    import io
    import safetensors.numpy
    state, modules = torch_state_dict(weights)
    if fmt == "torch":
        meta = {"format": "pytorch", "sequential": "nn.Sequential(" + ", ".join(modules) + ")",
                "source": Path(weights.path).name}
        meta.update({k: weights.metadata[k] for k in ("scaler_mean", "scaler_std", "target_mean", "target_std")
                     if k in weights.metadata})
        atomic_write_bytes(output, safetensors.numpy.save(state, metadata=meta))
    elif fmt == "npz":
        plain = {name: array for name, array in weights.tensors.items() if name.startswith("layers.")}
        buffer = io.BytesIO()
        np.savez(buffer, **plain)
        atomic_write_bytes(output, buffer.getvalue())
    else:
        raise NntermError(f'--format {fmt} is not one of torch, npz')
    return modules
