"""What one setup does differently from another, in a few words: the labels of compared runs
("lr 0.3", "adam", "L2 0.01", "layers 8-8-1") on the playground's loss chart."""
from nnterm.presets.loader import as_raw
from nnterm.presets.spec import Preset

# Short names for the keys a learner turns most; any other key is shown as its own name.
SHORT = {"training.learning_rate": "lr", "training.batch_size": "batch", "training.l1": "L1", "training.l2": "L2",
         "training.optimizer": "", "training.loss": "loss", "training.epochs": "budget", "data.noise": "noise",
         "data.kind": "", "data.train_fraction": "train", "data.test_fraction": "test", "data.features": "",
         "training.early_stopping": "early stopping", "network.init": "init"}
IGNORED = {"name", "description", "training.epochs"}        # a budget or a name is not a different run


def flat(preset: Preset) -> dict:
    out = {}
    for key, value in as_raw(preset).items():
        if isinstance(value, dict):
            out.update({f"{key}.{name}": inner for name, inner in value.items()})
        else:
            out[key] = value
    return out


def shown(key: str, value) -> str:
    if key == "network.layers":
        return "layers " + "-".join(str(layer["units"]) for layer in value) + " " + "/".join(
            dict.fromkeys(layer["activation"] for layer in value))
    if isinstance(value, bool):
        return f"{SHORT.get(key, key.split('.')[-1])} {'on' if value else 'off'}"
    if isinstance(value, list):
        value = "+".join(value)
    elif isinstance(value, float):
        value = f"{value:g}"
    name = SHORT.get(key, key.split(".")[-1].replace("_", " "))
    return f"{name} {value}".strip()


def differences(a: Preset, b: Preset) -> list[str]:
    """What `a` says that `b` does not, one short phrase per key, in the preset's order."""
    fa, fb = flat(a), flat(b)
    return [shown(key, fa[key]) for key in fa if key not in IGNORED and fa[key] != fb.get(key)]
