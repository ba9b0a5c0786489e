"""Options several subcommands share, so they read the same everywhere."""
from nnterm.runtime.language import _, N_

import argparse
import math

BACKEND_HELP = N_("where kernels run: cpu, cuda (an NVIDIA GPU), or auto (cuda only for a large network on a GPU); "
                "default: the preset's")


def add_preset_options(parser, epochs: bool = False) -> None:
    parser.add_argument("preset", metavar="PRESET", help=_("a bundled preset name (see `nnterm presets`) or a path to a .toml file"))
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help=_("override a preset key, e.g. --set training.learning_rate=0.3 (repeatable)"))
    parser.add_argument("--seed", type=seed_number, default=None, help=_("random seed, a whole number ≥ 0 (default: the preset's)"))
    parser.add_argument("--backend", default=None, help=_(BACKEND_HELP))
    if epochs:
        parser.add_argument("--epochs", type=int, default=None, help=_("epochs to train (default: the preset's)"))


def load_from_args(args):
    from nnterm.presets.loader import load_preset
    return load_preset(args.preset, args.overrides)


def seed_number(text: str) -> int:
    """argparse type for --seed: a whole number from 0 to SEED_MAX (argparse turns the error into one sentence, exit 2)."""
    from nnterm.presets.spec import SEED_MAX
    try:
        value = int(text)
    except ValueError:
        value = None
    if value is None or not 0 <= value <= SEED_MAX:
        raise argparse.ArgumentTypeError(_("{text} is not a seed; a seed is a whole number from 0 to {SEED_MAX}").format(text=text, SEED_MAX=SEED_MAX))
    return value


def finite_number(text: str) -> float:
    """argparse type for a float option: nan and inf are refused (they pass every range check silently)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{text} is not a number").format(text=text)) from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(_("{text} is not a finite number; give an ordinary number such as 0.1").format(text=text))
    return value
