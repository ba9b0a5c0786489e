"""`nnterm` on the command line. Each subcommand lives in nnterm/commands/<name>.py and
imports its heavy parts (numba, textual) only when it runs, so `nnterm --help` is instant.

Bad input is one sentence on stderr and exit status 2, never a traceback.
"""
import argparse
import importlib
import sys

from nnterm.commands.argparse_words import CellHelpFormatter, speak_nnterms_language
from nnterm.runtime.language import LANGUAGES, _, choose, use

# Subcommand modules, in the order `nnterm --help` lists them. Each defines
# HELP (one line), add_arguments(parser) and run(args) -> int.
COMMANDS = ["tui", "learn", "lessons", "presets", "data", "share", "summary", "train", "eval", "predict", "export", "bench", "step", "price", "descent", "serve"]
# Commands that call compiled kernels and print nothing while the first run compiles them
# (bench announces it itself, after its thread limits: numba's import loads numpy).
COMPILING_COMMANDS = {"train", "eval", "predict", "export", "step", "descent"}
FULL_SCREEN_COMMANDS = {"tui", "learn", "serve"}


class Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", CellHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message):
        # argparse's own errors, as one sentence with the usage hint, exit 2
        from nnterm.runtime.visible import visible      # an argument echoed back is the user's, raw
        self.exit(2, _("nnterm: {message} (see `{command} --help`)").format(message=visible(message), command=self.prog) + "\n")


class VersionAction(argparse.Action):
    """--version from the installed package's metadata, read only when asked for."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help=_("print nnterm's version and exit"))

    def __call__(self, parser, namespace, values, option_string=None):
        from nnterm import package_version
        print(f"nnterm {package_version()}")
        parser.exit(0)


class CompletionAction(argparse.Action):
    """--completion SHELL: a completion script from shtab, imported only here (so `nnterm --help`
    never loads it), with the preset names completed where a command takes a preset."""

    def __call__(self, parser, namespace, shell, option_string=None):
        try:
            import shtab
        except ImportError:
            parser.exit(2, _("nnterm: --completion needs the shtab package; install it with {command}").format(
                command="pip install 'nnterm[completion]'") + "\n")
        from nnterm.presets.loader import bundled_names, user_names
        names = list(dict.fromkeys(bundled_names() + user_names()))
        # bash: one name a line, since shtab 1.7 calls this with IFS set to a newline (compgen -W
        # splits its list on IFS: names joined by spaces would be one word that matches nothing).
        lines = "\n".join(names)
        preamble = {"bash": f"_nnterm_presets() {{\n  compgen -W '{lines}' -- \"$1\"\n  compgen -f -X '!*.toml' -- \"$1\"\n}}\n",
                    "zsh": f"_nnterm_presets() {{\n  _alternative 'presets:preset:({' '.join(names)})' 'files:preset file:_files -g \"*.toml\"'\n}}\n"}
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    for arg in sub._actions:
                        if arg.dest == "preset":
                            arg.complete = {"bash": "_nnterm_presets", "zsh": "_nnterm_presets"}
        print(shtab.complete(parser, shell=shell, preamble=preamble).rstrip("\n"))
        parser.exit(0)


def add_language_option(parser) -> None:
    """--lang on the program and on every command: read before the parser is built (by
    language_flag), so that the help itself is in the language asked for; here it is declared so
    that --help lists it and a language nnterm lacks is refused like any bad option."""
    parser.add_argument("--lang", choices=tuple(LANGUAGES), metavar="LANG",
                        help=_("the language to speak: {choices} (default: NNTERM_LANG, then the locale, then en)")
                        .format(choices=" | ".join(LANGUAGES)))


def language_flag(argv: list[str]) -> str | None:
    """The value of the last --lang in argv (--lang zh or --lang=zh), or None."""
    found = None
    for index, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and index + 1 < len(argv):
            found = argv[index + 1]
        elif word.startswith("--lang="):
            found = word.partition("=")[2]
    return found


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="nnterm", description=_("A terminal neural-network sandbox. With no command, opens the playground "
                                               "on xor; `nnterm PRESET` opens it on PRESET (as `nnterm tui PRESET`)."))
    parser.add_argument("--version", action=VersionAction)
    add_language_option(parser)
    parser.add_argument("--completion", action=CompletionAction, choices=("bash", "zsh"), metavar="SHELL",
                        help=_("print a tab-completion script for bash or zsh (needs shtab), e.g. "
                             "eval \"$(nnterm --completion bash)\" in ~/.bashrc"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"nnterm.commands.{name}")
        cmd = sub.add_parser(name, help=_(module.HELP), description=_(module.HELP))
        module.add_arguments(cmd)
        add_language_option(cmd)
        cmd.set_defaults(handler=module.run)
    return parser


def expand_shorthand(argv: list[str]) -> list[str]:
    """`nnterm spiral …` is `nnterm tui spiral …` when spiral is a preset (bundled, saved, or a
    .toml path) and not a command; anything else is left for argparse to judge."""
    if not argv or argv[0] in COMMANDS or argv[0].startswith("-"):
        return argv
    from nnterm.presets.loader import bundled_names, user_names
    word = argv[0]
    if word in bundled_names() or word in user_names() or word.endswith(".toml"):
        return ["tui", *argv]
    return argv


def left_over_folder() -> str | None:
    """The folder an earlier install left that Python imports as nnterm in place of this one, or
    None. pip uninstalls only the files it installed: one it never recorded keeps its folder, and
    a folder with no __init__.py is a namespace package, found ahead of an editable install."""
    import nnterm
    if getattr(nnterm, "__file__", None) is not None:
        return None
    return next(iter(nnterm.__path__), None)


def main(argv: list[str] | None = None) -> int:
    from nnterm.runtime.blas_threads import one_thread_unless_set
    one_thread_unless_set()                     # before numpy loads BLAS (see nnterm/runtime/blas_threads.py)
    argv = expand_shorthand(sys.argv[1:] if argv is None else argv)
    use(choose(language_flag(argv)))            # before the parser: its help is in that language too
    speak_nnterms_language()                    # and so are argparse's own headings and refusals
    left_over = left_over_folder()
    if left_over is not None:
        from nnterm.runtime.visible import visible
        print(_("nnterm: {folder} is left over from an earlier install and hides this one; delete that folder "
                "and run nnterm again").format(folder=visible(left_over)), file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv or ["tui"])
    if args.command in COMPILING_COMMANDS:
        from nnterm.runtime.compile_notice import announce_compiles
        announce_compiles()
    if args.command not in FULL_SCREEN_COMMANDS:
        from nnterm.commands.reading_progress import show_reading_progress
        show_reading_progress()                 # a big CSV says how far it is read (the app says it in its own screen)
    from nnterm.errors import NntermError
    try:
        return args.handler(args) or 0
    except NntermError as err:
        # One line, every character visible: the sentence quotes a file's names and the user's
        # arguments, which may hold escape sequences, a newline or bidi controls (nnterm/runtime/visible.py).
        from nnterm.runtime.visible import visible
        print(_("nnterm: {message}").format(message=visible(err)), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("nnterm: interrupted"), file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
