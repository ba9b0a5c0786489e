from nnterm.runtime.language import _, N_
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
    trainer = None
    from nnterm.commands.reading_progress import reads_a_big_file
    if reads_a_big_file(preset):                  # read first, behind a screen that says how far it is
        from nnterm.tui.reading_screen import read_first
        trainer = read_first(preset)
        if isinstance(trainer, str):
            raise NntermError(trainer)
    from nnterm.warmup.kernel_warm_up import start_warm_up
    warm_up = start_warm_up(preset, data=trainer.data if trainer else None)   # loads the kernels while Textual paints
    from nnterm.tui.app import run_app
    return run_app(preset, warm_up, trainer=trainer)

