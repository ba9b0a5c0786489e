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
from nnterm.runtime.language import N_, _
import json
import os
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
        except (json.JSONDecodeError, RecursionError):
            raise NntermError(_("{path}: the metadata entry {key} is damaged (not JSON)").format(path=self.path, key=key)) from None

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
            raise NntermError(_("{path}: the file stores no preset; name one, e.g. `nnterm eval PRESET --load {path}`").format(path=self.path))
        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise NntermError(_("{path}: the stored preset is damaged ({err})").format(path=self.path, err=err)) from None
        return text

    def preset(self):
        import tomllib
        from nnterm.presets.loader import preset_from_dict
        return preset_from_dict(tomllib.loads(self.preset_toml_text()), _("{file} (its stored preset)").format(file=self.path))


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
    best_loss, best_epoch, best_params = trainer.best
    if best_params is not None:                     # early stopping's memory, so a resumed run stops where an unbroken one would
        tensors["early_stopping.best"] = np.ascontiguousarray(best_params)
        metadata["early_stopping"] = json.dumps({"best_loss": float(best_loss), "best_epoch": int(best_epoch),
                                                 "stale_epochs": int(trainer.stale_epochs)})
    if data.target_mean is not None:                # regression trained on z-scores: outputs·std + mean
        metadata["target_mean"] = json.dumps([float(v) for v in data.target_mean])
        metadata["target_std"] = json.dumps([float(v) for v in data.target_std])
    return canonical(safetensors.numpy.save(tensors, metadata=metadata))


def canonical(blob: bytes) -> bytes:
    """The same safetensors file with its JSON header's keys sorted. safetensors writes the
    metadata in hash-map order, which changes from run to run; sorted, the same seed gives a
    byte-identical file (so a file's hash identifies a run). The tensor bytes are untouched."""
    size = int.from_bytes(blob[:8], "little")
    header = json.dumps(json.loads(blob[8:8 + size]), sort_keys=True, separators=(",", ":")).encode()
    header += b" " * (-len(header) % 8)           # safetensors aligns the tensor data to 8 bytes
    return len(header).to_bytes(8, "little") + header + blob[8 + size:]


def check_writable(path: str, key: str = "--save") -> None:
    """Before a long run: the rule of nnterm.runtime.paths for an output path (a legal name, a
    folder that exists and takes files, nothing there but a regular file or a link to one)."""
    check_output_path(path, key)


def save_weights(path: str, trainer) -> None:
    """Atomic: a crash or a kill mid-write leaves the old file (or none), never half a file."""
    atomic_write_bytes(path, weight_file_bytes(trainer))


# --- reading -----------------------------------------------------------------------------

def weights_folder() -> Path:
    """Where weight files a preset names can live besides the working folder: $NNTERM_HOME/weights."""
    from nnterm.runtime.home import nnterm_home
    return nnterm_home() / "weights"


def find_weight_file(network) -> str:
    """The file a preset's network.weights names: as given (relative to the working folder), else
    a bare name in $NNTERM_HOME/weights — or the sentence that says how to make it."""
    name = network.weights
    given = Path(name)
    if os.path.lexists(given) or given.is_absolute():     # lexists: False, never an OSError, for any name
        return name
    kept = weights_folder() / name
    if os.path.lexists(kept):
        return str(kept)
    maker = network.weights_from or "PRESET"
    raise NntermError(_("{name}: no such weight file here or in {folder} (network.weights); make it with `nnterm train {maker} --save {name}` (or keep it in that folder)").format(name=name, folder=weights_folder(), maker=maker))


def read_weights(path: str, missing_hint: str = "") -> WeightFile:
    """A safetensors weight file → WeightFile, or one sentence saying why it cannot be read.

    The file is data, never instructions: every tensor and metadata field nnterm will use is
    checked here (validate), its size is held to the memory budget before it is read, and
    nothing in it names a file nnterm will open."""
    import os
    import stat

    from nnterm.engine.budget import check_file_size
    from nnterm.runtime.paths import kind_of
    from nnterm.runtime.reading import read_regular
    file = Path(path)
    try:
        info = os.stat(file)
    except FileNotFoundError:
        dangling = _(" (a symbolic link to nothing)") if file.is_symlink() else ""
        raise NntermError(_("{path}: no such weight file{dangling}{missing_hint}").format(path=path, dangling=dangling, missing_hint=missing_hint)) from None
    except OSError as err:                          # ELOOP, ENAMETOOLONG, EACCES …
        raise NntermError(_("{path}: cannot open the weight file ({strerror})").format(path=path, strerror=err.strerror)) from None
    if not stat.S_ISREG(info.st_mode):
        raise NntermError(_("{path}: is {kind}, not a weight file").format(path=path, kind=kind_of(info.st_mode)))
    check_file_size(path, info.st_size)
    try:
        blob = read_regular(file)                 # checked again on the open file: nothing swapped in is read
    except OSError as err:
        raise NntermError(_("{path}: cannot read the file ({reason})").format(path=path, reason=err.strerror or err.__class__.__name__)) from None
    header = parse_header(path, blob)
    import safetensors.numpy
    try:
        tensors = safetensors.numpy.load(blob)
    except Exception as err:                       # SafetensorError; its message is one line
        raise NntermError(_("{path}: the file is damaged ({reason})").format(path=path, reason=str(err).splitlines()[0])) from None
    metadata = header.get("__metadata__") or {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise NntermError(_("{path}: the metadata is damaged (safetensors metadata is a table of strings)").format(path=path))
    weights = WeightFile(str(path), tensors, dict(metadata))
    validate(weights)
    return weights


def parse_header(path: str, blob: bytes) -> dict:
    """safetensors = 8-byte little-endian header length, a JSON header, then the tensor bytes."""
    not_safetensors = _("{path}: not a safetensors weight file").format(path=path)
    if len(blob) < 8:
        raise NntermError(_("{not_safetensors} (only {blob_count} bytes)").format(not_safetensors=not_safetensors, blob_count=len(blob)))
    size = int.from_bytes(blob[:8], "little")
    if size < 2 or size > MAX_HEADER_BYTES or blob[8:9] != b"{":
        raise NntermError(_("{not_safetensors} (it does not start with a safetensors header)").format(not_safetensors=not_safetensors))
    if len(blob) < 8 + size:
        raise NntermError(_("{path}: the file is truncated: it ends inside its header ({blob_count} of at least {expected} bytes)").format(path=path, blob_count=len(blob), expected=8 + size))
    try:
        header = json.loads(blob[8:8 + size])
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise NntermError(_("{not_safetensors} (its header is not JSON)").format(not_safetensors=not_safetensors)) from None
    except RecursionError:
        raise NntermError(_("{not_safetensors} (its header is nested too deeply)").format(not_safetensors=not_safetensors)) from None
    if not isinstance(header, dict):
        raise NntermError(_("{not_safetensors} (its header is not a JSON object)").format(not_safetensors=not_safetensors))
    try:
        end = max((int(t["data_offsets"][1]) for k, t in header.items() if k != "__metadata__"), default=0)
    except (TypeError, KeyError, IndexError, ValueError, OverflowError):
        raise NntermError(_("{not_safetensors} (its header does not describe tensors)").format(not_safetensors=not_safetensors)) from None
    if len(blob) < 8 + size + end:
        raise NntermError(_("{path}: the file is truncated: it holds {blob_count} bytes, its header promises {expected}").format(path=path, blob_count=len(blob), expected=8 + size + end))
    return header


# --- checking a file ------------------------------------------------------------------------

TASK_NAMES = ("binary", "multiclass", "regression")
WHOLE_MAX = 2**63 - 1


def validate(weights: WeightFile) -> None:
    """Every tensor and metadata entry nnterm reads, checked once, on reading: a sentence naming
    the entry, or nothing. A file saved by nnterm always passes; a damaged or crafted one cannot
    reach the code that uses these values."""
    check_has_layers(weights)
    validate_tensors(weights)
    validate_metadata(weights)


def validate_tensors(weights: WeightFile) -> None:
    path, n = weights.path, weights.n_layers
    dtypes = set()
    for i in range(n):
        w, name = weights.weight(i), f"layers.{i}.weight"
        if f"layers.{i}.bias" not in weights.tensors:
            raise NntermError(_("{path}: has {name} but no layers.{i}.bias").format(path=path, name=name, i=i))
        b = weights.bias(i)
        for label, array, rank in ((name, w, 2), (f"layers.{i}.bias", b, 1)):
            if array.dtype.name not in ("float32", "float64"):
                raise NntermError(_("{path}: {label} is {name}; nnterm's weights are float32 or float64").format(path=path, label=label, name=array.dtype.name))
            if array.ndim != rank or 0 in array.shape:
                raise NntermError(f"{path}: {label} has shape {tuple(array.shape)}; it must be "
                                  + ("(inputs, units)" if rank == 2 else "(units,)"))
            if not np.isfinite(array).all():
                raise NntermError(_("{path}: {label} holds NaN or infinite values; such weights predict nothing").format(path=path, label=label))
            dtypes.add(array.dtype.name)
        if i and w.shape[0] != weights.weight(i - 1).shape[1]:
            raise NntermError(_("{path}: {name} takes {inputs} inputs but layer {previous} has {units} units (a transposed or misplaced tensor)").format(path=path, name=name, inputs=w.shape[0], previous=i - 1, units=weights.weight(i - 1).shape[1]))
        if b.shape[0] != w.shape[1]:
            raise NntermError(_("{path}: layers.{i}.bias has {values} values but {name} has {units} units").format(path=path, i=i, values=b.shape[0], name=name, units=w.shape[1]))
    if len(dtypes) > 1:
        raise NntermError(_("{path}: its layers mix float32 and float64").format(path=path))
    state = weights.tensors.get("optimizer.state")
    if state is not None:
        n_params = sum(weights.weight(i).size + weights.bias(i).size for i in range(n))
        if state.shape != (2, n_params) or state.dtype.name not in dtypes:
            raise NntermError(_("{path}: optimizer.state has shape {shape} ({name}); for these layers it must be (2, {n_params}) ({dtype})").format(path=path, shape=tuple(state.shape), name=state.dtype.name, n_params=n_params, dtype=dtypes.pop()))
        if not np.isfinite(state).all():
            raise NntermError(_("{path}: optimizer.state holds NaN or infinite values").format(path=path))


def validate_metadata(weights: WeightFile) -> None:
    from nnterm.kernels.codes import ACTIVATIONS, OPTIMIZERS
    from nnterm.presets.spec import DTYPES, SEED_MAX
    path, meta, n = weights.path, weights.metadata, weights.n_layers
    inputs, outputs = weights.weight(0).shape[0], weights.weight(n - 1).shape[1]

    def bad(key: str, rule: str):
        shown = meta[key] if len(meta[key]) <= 60 else meta[key][:57] + "..."
        return NntermError(_("{path}: the metadata entry {key} = {shown} {rule}").format(path=path, key=key, shown=json.dumps(shown), rule=rule))

    if "format" in meta and meta["format"] != FORMAT:
        raise bad("format", _("is not {format}, the format nnterm reads").format(format=FORMAT))
    for key, low, high in (("epoch", 0, WHOLE_MAX), ("step", 0, WHOLE_MAX), ("seed", 0, SEED_MAX)):
        value = weights.meta_json(key)
        if key in meta and not (key == "seed" and value is None):
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise bad(key, _("must be a whole number from {low} to {high}").format(low=low, high=high))
    for key, allowed in (("dtype", DTYPES), ("optimizer", OPTIMIZERS), ("task", TASK_NAMES)):
        if key in meta and meta[key] not in allowed:
            raise bad(key, _("is not one of {allowed}").format(allowed=", ".join(allowed)))
    if "dtype" in meta and meta["dtype"] != weights.weight(0).dtype.name:
        raise bad("dtype", _("but the tensors are {dtype}").format(dtype=weights.weight(0).dtype.name))
    for key, each, allowed in (("activations", str, ACTIVATIONS), ("trainable", bool, None)):
        value = weights.meta_json(key)
        if key in meta and (not isinstance(value, list) or len(value) != n or not all(isinstance(v, each) for v in value)):
            rule = _("must list one name per layer ({count})") if each is str else _("must list one true/false per layer ({count})")
            raise bad(key, rule.format(count=n))
        if key in meta and allowed and any(v not in allowed for v in value):
            raise bad(key, _("names an activation that is not one of {allowed}").format(allowed=", ".join(allowed)))
    for prefix, width, one_per in (("scaler", inputs, N_("must list {count} numbers, one per network input")),
                                   ("target", outputs, N_("must list {count} numbers, one per network output"))):
        keys = (f"{prefix}_mean", f"{prefix}_std")
        if (keys[0] in meta) != (keys[1] in meta):
            missing = keys[1] if keys[0] in meta else keys[0]
            raise NntermError(_("{path}: the metadata has {present} but no {missing}").format(path=path, present=keys[0] if missing == keys[1] else keys[1], missing=missing))
        for key in keys:
            if key not in meta:
                continue
            value = weights.meta_json(key)
            if (not isinstance(value, list) or len(value) != width
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)):
                raise bad(key, _(one_per).format(count=width))
            limits = np.finfo(np.float32)          # what standardised float32 inputs can hold
            if (not all(np.isfinite(value)) or max(abs(v) for v in value) > float(limits.max)
                    or (key.endswith("_std") and min(value) < float(limits.tiny))):
                raise bad(key, _("must hold finite numbers within float32's range, each > 0 (a standard deviation of 0 divides by zero)")
                          if key.endswith("_std") else _("must hold finite numbers within float32's range"))
    for key, most in (("feature_names", inputs), ("class_names", max(2, outputs))):
        value = weights.meta_json(key)
        if key in meta and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)
                            or len(value) > most or (key == "feature_names" and len(value) != inputs)):
            rule = _("must list exactly {count} names") if key == "feature_names" else _("must list at most {count} names")
            raise bad(key, rule.format(count=most))
    if "early_stopping" in meta:
        value, best = weights.meta_json("early_stopping"), weights.tensors.get("early_stopping.best")
        whole = lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= WHOLE_MAX
        n_params = sum(weights.weight(i).size + weights.bias(i).size for i in range(n))
        if (not isinstance(value, dict) or not isinstance(value.get("best_loss"), (int, float))
                or isinstance(value.get("best_loss"), bool) or not np.isfinite(value["best_loss"])
                or not whole(value.get("best_epoch")) or not whole(value.get("stale_epochs"))):
            raise bad("early_stopping", _("must be {{best_loss: a finite number, best_epoch and stale_epochs: whole numbers ≥ 0}}").format())
        if best is None or best.shape != (n_params,) or best.dtype != weights.weight(0).dtype or not np.isfinite(best).all():
            raise NntermError(_("{path}: early_stopping.best must hold the {n_params} finite parameters of the best epoch").format(path=path, n_params=n_params))
    if "shuffle_rng" in meta:
        try:
            np.random.PCG64().state = weights.meta_json("shuffle_rng")
        except (TypeError, ValueError, KeyError, OverflowError):
            raise bad("shuffle_rng", _("is not the state of NumPy's PCG64 shuffling generator")) from None


# --- fitting a file to a network -----------------------------------------------------------

def check_has_layers(weights: WeightFile) -> None:
    if weights.n_layers == 0:
        torch_like = "0.weight" in weights.tensors
        sentence = (_("{path}: holds no nnterm layers (it looks like a PyTorch export; nnterm reads the weight files it saves itself)")
                    if torch_like else _("{path}: holds no nnterm layers (tensors named layers.0.weight, layers.0.bias, …)"))
        raise NntermError(sentence.format(path=weights.path))


def check_fits(weights: WeightFile, net, load_layers: int = 0) -> None:
    """Raises a sentence naming the first mismatch (layer count, then each layer's shapes and dtype)."""
    path, have = weights.path, weights.n_layers
    check_has_layers(weights)
    want = load_layers or len(net.layers)
    if load_layers > len(net.layers):
        raise NntermError(_("{path}: network.load_layers = {load_layers} but the network has only {layers_count} layers").format(path=path, load_layers=load_layers, layers_count=len(net.layers)))
    if load_layers and have < load_layers:
        raise NntermError(_("{path}: holds {have} layers but network.load_layers = {load_layers} asks for {load_layers}").format(path=path, have=have, load_layers=load_layers))
    if not load_layers and have != want:
        sentence = (_("{path}: holds {have} layers but the network has {want}; set network.load_layers to take only the first ones")
                    if have > want else _("{path}: holds {have} layers but the network has {want}"))
        raise NntermError(sentence.format(path=path, have=have, want=want))
    for layer in net.layers[:want]:
        i, w = layer.index, weights.weight(layer.index)
        if f"layers.{i}.bias" not in weights.tensors:
            raise NntermError(_("{path}: has layers.{i}.weight but no layers.{i}.bias").format(path=path, i=i))
        b = weights.bias(i)
        if w.shape != (layer.fan_in, layer.units):
            shape = "×".join(str(d) for d in w.shape)
            raise NntermError(_("{path}: layers.{i}.weight is {shape} but the network's layer {i} is {fan_in}×{units} (inputs × units)").format(path=path, i=i, shape=shape, fan_in=layer.fan_in, units=layer.units))
        if b.shape != (layer.units,):
            raise NntermError(_("{path}: layers.{i}.bias has shape {shape} but the network's layer {i} has {units} units").format(path=path, i=i, shape=tuple(b.shape), units=layer.units))
        for name, array in ((f"layers.{i}.weight", w), (f"layers.{i}.bias", b)):
            if array.dtype != net.dtype:
                raise NntermError(_("{path}: {name} is {name2} but the network is {name3}; set network.dtype = \"{name2}\" to use this file").format(path=path, name=name, name2=array.dtype.name, name3=net.dtype.name))


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
    early_stopping: tuple | None = None   # ((best val loss, its epoch, its params), stale epochs), when it watched


def saved_run(weights: WeightFile, trainer) -> SavedRun | None:
    """The training state to resume `trainer` exactly as if it had never stopped, or None when
    the file cannot resume it — another setup, or no training state. Reads; writes nothing."""
    state = weights.tensors.get("optimizer.state")
    rng_state = weights.meta_json("shuffle_rng")
    if (state is None or state.shape != trainer.state.shape or state.dtype != trainer.state.dtype
            or rng_state is None or not same_run(weights, trainer)):
        return None
    stopping, best = weights.meta_json("early_stopping"), weights.tensors.get("early_stopping.best")
    early = None
    if stopping is not None and best is not None:   # validated on reading
        early = ((stopping["best_loss"], stopping["best_epoch"], best.copy()), stopping["stale_epochs"])
    return SavedRun(state, int(weights.meta_json("step", 0)), rng_state, weights.epoch, early)


# --- export --------------------------------------------------------------------------------

TORCH_MODULES = {"sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()", "relu": "nn.ReLU()",
                 "leaky_relu": "nn.LeakyReLU(0.01)", "elu": "nn.ELU(alpha=1.0)", "softplus": "nn.Softplus(beta=1.0)",
                 "swish": "nn.SiLU()", "softmax": "nn.Softmax(dim=1)", "linear": None}


def layer_activations(weights: WeightFile) -> list[str]:
    stored = weights.meta_json("activations")
    if stored is None:
        stored = [layer.activation for layer in weights.preset().network.layers]
    if len(stored) != weights.n_layers:
        raise NntermError(_("{path}: the metadata names {stored_count} activations for {n_layers} layers").format(path=weights.path, stored_count=len(stored), n_layers=weights.n_layers))
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


def export_weights(weights: WeightFile, fmt: str, output: str, input_features: tuple[str, ...] = ()) -> list[str]:
    """Writes `output` (atomically) in the format named; returns the nn.Sequential modules.
    `input_features`: the network's inputs in order (x1, x2, x1^2, sin(x1), …, as a preset names
    them), kept in a torch export's metadata so that the file alone says what its first Linear takes."""
    import io
    import safetensors.numpy
    state, modules = torch_state_dict(weights)
    if fmt == "torch":
        meta = {"format": "pytorch", "sequential": "nn.Sequential(" + ", ".join(modules) + ")",
                "source": Path(weights.path).name}
        if input_features:
            meta["input_features"] = json.dumps(list(input_features))
        meta.update({k: weights.metadata[k] for k in ("scaler_mean", "scaler_std", "target_mean", "target_std")
                     if k in weights.metadata})
        atomic_write_bytes(output, canonical(safetensors.numpy.save(state, metadata=meta)))
    elif fmt == "npz":
        plain = {name: array for name, array in weights.tensors.items() if name.startswith("layers.")}
        buffer = io.BytesIO()
        np.savez(buffer, **plain)
        atomic_write_bytes(output, buffer.getvalue())
    else:
        raise NntermError(_("--format {fmt} is not one of torch, npz").format(fmt=fmt))
    return modules
