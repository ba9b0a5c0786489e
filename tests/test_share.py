"""`nnterm share`: the line it prints, pasted, rebuilds the same preset."""
import random
import shlex

import pytest

from nnterm.cli import build_parser, expand_shorthand, main
from nnterm.presets.loader import bundled_names, load_preset
from nnterm.presets.share import share_line
from nnterm.presets.writer import save_preset


def rebuilt(line: str):
    """What running the line does: `nnterm PRESET --set …` opens the playground on this preset."""
    argv = shlex.split(line)
    assert argv[0] == "nnterm"
    args = build_parser().parse_args(expand_shorthand(argv[1:]))
    assert args.command == "tui" and args.preset in bundled_names()
    return load_preset(args.preset, args.overrides)


def share(capsys, *argv):
    assert main(["share", *argv]) == 0
    out = capsys.readouterr().out
    assert len(out.splitlines()) == 1
    return out.strip()


def test_a_bundled_preset_is_its_name(capsys):
    assert share(capsys, "spiral") == "nnterm spiral"


def test_one_change_is_one_set(capsys):
    line = share(capsys, "spiral", "--set", "training.learning_rate=0.03")
    assert line == "nnterm spiral --set training.learning_rate=0.03"
    assert rebuilt(line) == load_preset("spiral", ["training.learning_rate=0.03"])


def test_defaults_that_follow_another_key_are_set_only_when_needed(capsys):
    line = share(capsys, "xor", "--set", "training.optimizer=momentum")
    assert line == "nnterm xor --set training.optimizer=momentum"           # momentum 0.9 comes with it
    line = share(capsys, "xor", "--set", "training.optimizer=momentum", "--set", "training.momentum=0")
    assert line == "nnterm xor --set training.optimizer=momentum --set training.momentum=0.0"
    assert rebuilt(line) == load_preset("xor", ["training.optimizer=momentum", "training.momentum=0"])


def test_a_saved_preset_starts_from_the_nearest_bundled_one(tmp_path, capsys):
    mine = load_preset("moons", ["name=my moons", 'description=Moons, "noisier" — for Tuesday', "data.noise=0.25",
                                 'network.layers=[{units = 6, activation = "relu", trainable = false}, {units = 1, activation = "sigmoid"}]',
                                 'data.features=["x1", "x2", "x1*x2"]', "seed=7"])
    path = tmp_path / "mine.toml"
    save_preset(mine, path)
    line = share(capsys, str(path))
    assert line.startswith("nnterm moons --set 'name=my moons' ")
    assert rebuilt(line) == mine                       # paste → the same preset (load → save → compare)
    save_preset(rebuilt(line), tmp_path / "again.toml")
    assert (tmp_path / "again.toml").read_text() == path.read_text()


# A seeded sweep: random edits of random bundled presets, each shared and rebuilt.
EDITS = ["training.learning_rate=0.3", "training.learning_rate=1e-05", "training.optimizer=adam", "training.optimizer=rmsprop",
         "training.optimizer=momentum", "training.nesterov=true", "training.batch_size=1", "training.epochs=7",
         "training.l2=0.001", "training.schedule=cosine", "training.early_stopping=true", "training.loss=mse",
         "training.backend=auto", "data.noise=0.5", "data.train_fraction=0.5", "data.samples=64", "data.standardize=false",
         "network.init=he", "network.dtype=float64", "seed=3", "name=class-3b", "description=a b  c", "network.load_layers=1"]


@pytest.mark.parametrize("trial", range(12))
def test_random_edits_rebuild_exactly(trial):
    rng = random.Random(trial)
    name = rng.choice(bundled_names())
    chosen = []
    for edit in rng.sample(EDITS, rng.randint(1, 5)):
        try:
            load_preset(name, chosen + [edit])
        except Exception:
            continue                                    # an edit this preset refuses (e.g. mse on a softmax)
        chosen.append(edit)
    preset = load_preset(name, chosen)
    line = share_line(preset)
    assert rebuilt(line) == preset, line
    assert len(shlex.split(line)) <= 2 + 2 * len(chosen)          # never more --set than edits made


def test_bad_input_is_the_loaders_sentence(capsys):
    assert main(["share", "spiral", "--set", "training.optimizer=adamm"]) == 2
    assert 'training.optimizer = "adamm" is not one of' in capsys.readouterr().err
