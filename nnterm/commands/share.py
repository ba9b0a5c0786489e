from nnterm.runtime.language import _, N_
HELP = N_("print one command line that rebuilds a preset: the nearest bundled preset and a --set for each difference")


def add_arguments(parser) -> None:
    parser.add_argument("preset", metavar="PRESET", help=_("a bundled or saved preset name, or a path to a .toml file"))
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help=_("override a preset key first, e.g. --set training.learning_rate=0.3 (repeatable)"))
    parser.add_argument("--json", action="store_true",
                        help=_('one JSON object {"line", "preset", "set": [KEY=VALUE, …]} instead of the line'))


def run(args) -> int:
    from nnterm.presets.loader import load_preset
    from nnterm.presets.share import share_args, share_line
    preset = load_preset(args.preset, args.overrides)
    line = share_line(preset)          # every character visible: hidden ones as $'\x1b…' (nnterm/presets/share.py)
    if args.json:
        import json
        name, items = share_args(preset)
        print(json.dumps({"line": line, "preset": name, "set": items}))   # ensure_ascii: every hidden character as \uXXXX
        return 0
    print(line)
    return 0
