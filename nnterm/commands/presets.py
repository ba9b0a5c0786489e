HELP = "list the presets: bundled ones, then your saved ones"


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true",
                        help='one JSON object {"presets": [{"name", "description", "source"}, …]} instead of the list')


def run(args) -> int:
    from nnterm.presets.loader import bundled_names, load_preset, user_names
    rows = [(name, load_preset(name).description, "bundled") for name in bundled_names()]
    bundled = {name for name, _, _ in rows}
    rows += [(name, load_preset(name).description, "yours") for name in user_names() if name not in bundled]
    if args.json:
        import json
        print(json.dumps({"presets": [{"name": n, "description": d, "source": s} for n, d, s in rows]}))
        return 0
    width = max(len(name) for name, _, _ in rows)
    for name, description, source in rows:
        print(f"{name:<{width}}  {description}{' (yours)' if source == 'yours' else ''}")
    return 0
