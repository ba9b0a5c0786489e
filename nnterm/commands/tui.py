from nnterm.runtime.language import _, N_
from nnterm.runtime.visible import visible
HELP = N_("open the playground on a preset (what `nnterm` alone does)")


def add_arguments(parser) -> None:
    parser.add_argument("preset", metavar="PRESET", nargs="?", default="xor",
                        help=_("a bundled preset name or a path to a .toml file (default: xor)"))
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                        help=_("override a preset key (repeatable)"))
    parser.add_argument("--backend", default=None,
                        help=_("where kernels run: cpu, cuda or auto (default: the preset's; b switches in the app)"))


def run(args) -> int:
    from nnterm.presets.loader import load_preset
    from nnterm.errors import NntermError
    from nnterm.presets.spec import BACKENDS
    if args.backend is not None and args.backend not in BACKENDS:
        raise NntermError(_("--backend \"{backend}\" is not one of {backends}").format(backend=args.backend, backends=", ".join(BACKENDS)))
    backend = [] if args.backend is None else [f"training.backend={args.backend}"]
    preset = load_preset(args.preset, args.overrides + backend)   # bad input fails here, before the screen opens
    if preset.training.backend == "cuda":         # no GPU: its one sentence, before anything compiles
        from nnterm.engine.backends import make_backend
        make_backend("cuda")
    say_a_big_read_is_coming(preset)
    from nnterm.commands.early_warm_up import read_while_warming_up
    from nnterm.warmup.quitting import stop_before_saying
    trainer, warm_up, reading = read_while_warming_up(preset)   # a big CSV: read while the kernels compile
    if isinstance(trainer, str):
        raise stop_before_saying(trainer, warm_up)
    from nnterm.tui.app import run_app
    return run_app(preset, warm_up, trainer=trainer, reading=reading)


def say_a_big_read_is_coming(preset) -> None:
    """A line on the terminal at once (0.2 s from the command, where Textual's first frame takes
    0.8-1.0 s), saying what is read: the first thing a person sees of a big CSV."""
    import os
    import sys

    from nnterm.commands.reading_progress import reads_a_big_file
    if reads_a_big_file(preset) and sys.stderr.isatty():
        size = os.stat(preset.data.path).st_size
        print(_("nnterm: reading {path} ({size:.0f} MB); the playground opens meanwhile").format(
            path=visible(preset.data.path), size=size / 1e6), file=sys.stderr, flush=True)
