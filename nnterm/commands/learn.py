from nnterm.runtime.language import _, N_
HELP = N_("open the lesson track: neural networks step by step, on live numbers (nnterm lessons lists it)")


def add_arguments(parser) -> None:
    parser.add_argument("lesson", metavar="LESSON", nargs="?", default=None,
                        help=_("open this lesson (its name in `nnterm lessons`) instead of the track"))


def run(args) -> int:
    from nnterm.errors import NntermError
    from nnterm.lessons.track import load_track
    from nnterm.lessons.validate import START_PRESET
    from nnterm.presets.loader import load_preset
    track = load_track() if args.lesson is not None else None
    if track is not None and track.find(args.lesson) is None:
        names = ", ".join(lesson.key for lesson in track.lessons)
        raise NntermError(_("there is no lesson \"{lesson}\"; the lessons are {names}").format(lesson=args.lesson, names=names))
    preset = load_preset(START_PRESET)
    from nnterm.warmup.kernel_warm_up import start_warm_up
    warm_up = start_warm_up(preset)               # loads the kernels while Textual imports and paints
    from nnterm.tui.app import run_app
    return run_app(preset, warm_up, learn=args.lesson or "")
