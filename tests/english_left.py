"""Finds English words left in text a learner reads in Chinese: the one detector the Chinese
sweeps share (tests/tui/test_chinese_sweep.py for the screens, tests/test_chinese_sweep_cli.py for
the command line).

A finding is a run of Latin words (side by side, apart only by spaces and ASCII punctuation) with
at least one word in it that is neither in ALLOWED nor an identifier. Identifiers are told by
their neighbours: a word glued to a digit, `_`, `.x`, `/`, `=`, `$` or `(` is a name, a path, a
flag or a formula (val_loss, xor.toml, --epochs, exp(z)), never a sentence. Words of one or two
letters are variables and keys (x, w, lr, z, n, q); a run made only of them is no finding.
"""
import functools
import re

# Words that stay as they are on a Chinese screen, each group with why. The ONE home of the
# sweeps' allowlist: add here, with the reason, never in a test.
ALLOWED = {
    # The kinds, presets, losses, activations and optimizers come from the code that defines them
    # (screen_names, command_line_names): here only what no table of nnterm's spells.
    "none", "true", "false",                            # TOML's and Python's values, as a preset file writes them
    # Key names as the terminal and Textual spell them (the footer shows them, the user presses them).
    "esc", "escape", "tab", "enter", "space", "ctrl", "shift", "alt", "backspace", "pageup", "pagedown",
    # File kinds and formats, and the programs and libraries named by their own names.
    "toml", "svg", "png", "json", "onnx", "safetensors", "numba", "numpy", "cuda", "cpu", "gpu",
    "nnterm", "textual", "python", "pytorch", "torch", "blas", "utf", "nan", "shtab", "bash", "zsh",
    "jax", "pandas", "keras", "stderr", "stdout",
    "eager",                                            # PyTorch's own name for its mode ("PyTorch eager")
    "leaky",                                            # "leaky ReLU": the activation's name, as Chinese texts write it
    # Symbols of formulas and metrics, written as the primers write them too (F1 is glued to a digit).
    "roc", "auc", "rmse", "max", "min", "log", "exp", "sqrt", "argmax", "std", "var", "eps", "sin", "cos",
    # Units (of time, of size) shown after numbers.
    "ms", "us", "ns", "sec", "kb", "mb", "gb", "kib", "mib", "gib",
    # The language chooser names English in English (its own name, as LANGUAGES spells it).
    "english",
}
# The values of options argparse does not list as choices, typed as they are on the command line
# (`--player gd|host|both`, `--price random`, `--phase all|forward|backward|update`): allowed in
# the CLI's help only (on a screen "update" is an English word).
OPTION_VALUES = {"host", "both", "random", "all", "forward", "backward", "update"}

WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# What may stand between two words of one run: spaces and ASCII punctuation, nothing else.
GAP = re.compile(r"[ \t,;:!?'\"()\[\]/&+-]*")
GLUED_BEFORE = set("0123456789_.$=\\/-@#<{[\"`")
GLUED_AFTER = set("0123456789_(=@>}]\"`")
# A word beside one of these (spaces apart) is a variable of a formula: L = (guess − price)².
OPERATORS = set("=−×÷²·*^≤≥<>∂Σ√")
# "weighted sum · 加权和": a term in both languages, as the glossary shows it on purpose.
BOTH_LANGUAGES = re.compile(r"\s*·\s*[\u4e00-\u9fff]")


def is_identifier(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if before in GLUED_BEFORE or after in GLUED_AFTER:
        return True
    left, right = text[:start].rstrip(" ("), text[end:].lstrip(" )")
    if after == "…":                            # cut short by the layout: what it was cannot be told
        return True
    if BOTH_LANGUAGES.match(text, end):         # "weighted sum · 加权和": the · of a glossary pair, not a product
        return False
    if (left and left[-1] in OPERATORS) or (right and right[0] in OPERATORS):
        return True
    # a dot or slash with a letter or digit after it: a file name, a module path, a URL
    return after in "./:" and end + 1 < len(text) and text[end + 1].isalnum()


@functools.cache
def screen_names() -> frozenset:
    """What a preset file spells and a screen shows as spelt (the Select lists, the palette): the
    bundled presets' names, the data kinds, losses, activations, initialisations, optimizers (the
    descent race's gd too), schedules, backends;
    and the descent race's surfaces, named after their mathematicians (Rosenbrock, Beale)."""
    from nnterm.kernels.codes import ACTIVATIONS, INITS, LOSSES, OPTIMIZERS
    from nnterm.presets.kinds import NAMES
    from nnterm.presets.loader import bundled_names
    from nnterm.presets.spec import BACKENDS, SCHEDULES
    from nnterm.teach.rules import OPTIMIZER_NAMES
    from nnterm.teach.surfaces import SURFACES
    return frozenset(name.lower() for name in (*bundled_names(), *NAMES, *LOSSES, *ACTIVATIONS, *INITS, *OPTIMIZERS,
                                               *OPTIMIZER_NAMES, *SCHEDULES, *BACKENDS, *SURFACES))


@functools.cache
def command_line_names() -> frozenset:
    """What the command line names and a learner types as it is spelt: every command and every
    value an option accepts, the presets, the lessons' keys, the descent race's surfaces, the
    image sets. (Not allowed on the screens: there "train" or "test" alone is an English label.)"""
    from nnterm.commands.bench import WORKLOAD_NAMES
    from nnterm.cli import build_parser
    from nnterm.data.image_sets import BY_NAME
    from nnterm.lessons.track import load_track
    from nnterm.teach.surfaces import SURFACES
    names = {*screen_names(), *OPTION_VALUES, *(lesson.key for lesson in load_track().lessons), *SURFACES, *BY_NAME, *WORKLOAD_NAMES}
    parsers = [build_parser()]
    while parsers:
        for action in parsers.pop()._actions:
            for value, sub in (action.choices.items() if isinstance(action.choices, dict) else
                               ((choice, None) for choice in action.choices or ())):
                names.add(str(value))
                if sub is not None:
                    parsers.append(sub)
    return frozenset(name.lower() for name in names)


def is_english(word: str, names: frozenset) -> bool:
    word = word.strip("'’-")
    if len(word) <= 2 or (word.isupper() and not word.islower()):    # a key, a variable, an acronym or a METAVAR
        return False
    word = word.lower()
    known = ALLOWED | names
    if word in known:
        return False
    if "-" in word:                             # leaky-relu, my-xor: a name made of a name
        return not any(part in known for part in word.split("-"))
    # a name cut short by a narrow column: "sigm" of sigmoid, more than half of it ("back" is a word)
    return not any(name.startswith(word) and 2 * len(word) > len(name) for name in known)


def english_phrases(text: str, names: frozenset = frozenset()) -> list[str]:
    """The runs of English words in `text`, each once, in the order they first show; `names` are
    more words allowed here (screen_names(), command_line_names())."""
    found: list[str] = []
    typing = False                              # inside a command line that began with nnterm (a line before too)
    for line in text.splitlines():
        run: list[re.Match] = []
        for match in WORD.finditer(line):
            # `nnterm data fetch mnist`, even wrapped: a command line, typed as it is, up to the
            # first word the command line does not name
            typing = typing and match.group().lower() in command_line_names()
            command, typing = typing, typing or match.group() == "nnterm"
            if command or is_identifier(line, match.start(), match.end()):
                _close(line, run, found, names)
                run = []
                continue
            if run and not GAP.fullmatch(line[run[-1].end():match.start()]):
                _close(line, run, found, names)
                run = []
            run.append(match)
        _close(line, run, found, names)
    return found


def _close(line: str, run: list, found: list, names: frozenset) -> None:
    """Keeps the run from its first English word to its last, when it has one."""
    english = [match for match in run if is_english(match.group(), names)]
    if english and not BOTH_LANGUAGES.match(line, run[-1].end()):
        phrase = line[english[0].start():english[-1].end()]
        if phrase not in found:
            found.append(phrase)
