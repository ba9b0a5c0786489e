HELP = "open the playground on a preset (what `nnterm` alone does)"


def add_arguments(parser) -> None:
    parser.add_argument("preset", metavar="PRESET", nargs="?", default="xor",
                        help="a bundled preset name or a path to a .toml file (default: xor)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help="override a preset key (repeatable)")


def run(args) -> int:
    from nnterm.preset_loader import load_preset
    preset = load_preset(args.preset, args.overrides)      # bad input fails here, before the screen opens
    from nnterm.tui.app import run_app
    return run_app(preset)
