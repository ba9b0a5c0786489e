HELP = "print one command line that rebuilds a preset: the nearest bundled preset and a --set for each difference"


def add_arguments(parser) -> None:
    parser.add_argument("preset", metavar="PRESET", help="a bundled or saved preset name, or a path to a .toml file")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a preset key first, e.g. --set training.learning_rate=0.3 (repeatable)")


def run(args) -> int:
    from nnterm.presets.loader import load_preset
    from nnterm.presets.share import share_line
    print(share_line(load_preset(args.preset, args.overrides)))
    return 0
