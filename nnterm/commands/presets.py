from nnterm.runtime.language import _, N_
HELP = N_("list the presets: bundled ones, then your saved ones")


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true",
                        help=_('one JSON object {"presets": [{"name", "description", "source"}, …]} instead of the list'))


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
    from nnterm.runtime.cells import pad, width as cells
    width = max(cells(name) for name, *_rest in rows)
    for name, description, source, problem in rows:
        if problem:
            text = _("broken: {problem}").format(problem=problem)
        else:
            text = _("{description} (yours)").format(description=description) if source == "yours" else description
        print(visible(f"{pad(name, width)}  {' '.join(text.split())}"))      # one line each, escape sequences shown escaped
    return 0
