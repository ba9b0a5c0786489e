"""Options several subcommands share, so they read the same everywhere."""

BACKEND_HELP = ("where kernels run: cpu, cuda (an NVIDIA GPU), or auto (cuda only for a large network on a GPU); "
                "default: the preset's")


def add_preset_options(parser, epochs: bool = False) -> None:
    parser.add_argument("preset", metavar="PRESET", help="a bundled preset name (see `nnterm presets`) or a path to a .toml file")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a preset key, e.g. --set training.learning_rate=0.3 (repeatable)")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: the preset's)")
    parser.add_argument("--backend", default=None, help=BACKEND_HELP)
    if epochs:
        parser.add_argument("--epochs", type=int, default=None, help="epochs to train (default: the preset's)")


def load_from_args(args):
    from nnterm.presets.loader import load_preset
    return load_preset(args.preset, args.overrides)
