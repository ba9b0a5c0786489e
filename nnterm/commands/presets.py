HELP = "list the presets: bundled ones, then your saved ones"


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true",
                        help='one JSON object {"presets": [{"name", "description", "source"}, …]} instead of the list')


def run(args) -> int:
    from nnterm.runtime.visible import visible
    from nnterm.presets.loader import bundled_names, preset_listing
    import json
    bundled = set(bundled_names())
    rows = []                                      # (name, description, source, problem)
    for name, target, description, problem in preset_listing():
        if target == name:
            rows.append((name, description, "bundled", ""))
        elif name not in bundled:                  # a bundled name loads the bundled preset
            rows.append((name, description, "yours", problem))
    if args.json:
        print(json.dumps({"presets": [{"name": n, "description": d, "source": s, **({"broken": p} if p else {})}
                                     for n, d, s, p in rows]}))
        return 0
    width = max(len(name) for name, *_ in rows)
    for name, description, source, problem in rows:
        text = f"broken: {problem}" if problem else description + (" (yours)" if source == "yours" else "")
        print(visible(f"{name:<{width}}  {' '.join(text.split())}"))      # one line each, escape sequences shown escaped
    return 0
