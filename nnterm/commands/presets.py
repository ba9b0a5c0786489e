HELP = "list the presets: bundled ones, then your saved ones"


def add_arguments(parser) -> None:
    pass


def run(args) -> int:
    from nnterm.presets.loader import bundled_names, load_preset, user_names
    rows = [(name, load_preset(name).description) for name in bundled_names()]
    rows += [(name, load_preset(name).description + " (yours)") for name in user_names() if name not in dict(rows)]
    width = max(len(name) for name, _ in rows)
    for name, description in rows:
        print(f"{name:<{width}}  {description}")
    return 0
