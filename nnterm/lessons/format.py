"""A lesson file: its schema, validated field by field from untrusted TOML.

    title = "The neuron: a weighted sum"      # what the track lists
    order = 10                                # where it sits in the track (lower first)
    summary = "One neuron scores a flat from 0 to 10."
    language = "en"                           # the language of its words (en, zh); a translation beside it:
                                              # NAME.zh.toml (nnterm/lessons/translation.py)

    [[step]]
    screen = "neuron_lab"                     # which screen the step opens (SCREENS)
    text = "One to three sentences: what to look at."
    hints = ["asked for one at a time"]
    show = [{quantity = "neuron_bias", label = "b"}]   # live numbers printed under the text
    [step.values]                             # numbers the text says, {name} in it: rendered live, never typed
    z = {quantity = "neuron_sum"}             # a quantity with its arguments (digits = 0 … 6: decimals shown)
    l2 = {term = "L2"}                        # or a definition from the glossary (nnterm/teach/glossary.py)
    [[step.claim]]                            # a statement the text makes about the screen, checked live
    kind = "below"                            # nnterm/lessons/claims.py (CLAIMS), with its arguments
    value = "z"                               # arguments that name numbers name the step's values
    number = 5
    says = "the score is below 5"             # optional: the claim in the text's words
    after = false                             # true: about the screen once the task is done
    [step.setup]                              # the state the step sets up (SETUP)
    neuron = "score"
    [step.question]                           # predict a number …
    ask = "What is z?"
    quantity = "neuron_sum"                   # nnterm/lessons/quantities.py, with its arguments as keys
    tolerance = 0.01                          # absolute, or with relative = true a fraction of the answer
    # … or [step.check]: name = "price_diverged" (nnterm/lessons/checks.py), with its arguments

Nothing in a file can make nnterm read another file (a preset is named, and only a bundled one
loads: a saved preset may name a data file or weights) or allocate past the budgets below; an unknown key is an error naming it. Every mistake is
one sentence naming the file, the step (from 1) and the key:
    lesson my.toml, step 3: "quantity" must be one of …, not "foo"
"""
from nnterm.runtime.language import _
import math
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from nnterm.errors import NntermError
from nnterm.lessons.checks import CHECKS
from nnterm.lessons.claims import CLAIMS, VALUE
from nnterm.lessons.quantities import (FLOAT, FLOATS, INT, INTS, MAX_LIST, NAMED_KINDS, QUANTITIES, REQUIRED, TEXT,
                                       WHOLE_RANGES)
from nnterm.presets.loader import bundled_names
from nnterm.presets.spec import TrainingSpec
from nnterm.runtime.language import LANGUAGES, N_, _
from nnterm.runtime.reading import read_regular

MAX_BYTES = 64 * 1024          # a lesson file is a page of text, not data
MAX_STEPS = 8
MAX_TEXT = 600                 # a step's text: one to three sentences
MAX_LINE = 200                 # a title, a question, a hint
MAX_HINTS = 5
MAX_SHOWN = 6
MAX_VALUES = 8                 # live numbers a step's text may say
MAX_CLAIMS = 6
MAX_DIGITS = 6
MAX_COMPARED = 4               # runs a setup may train side by side
MAX_TRAIN_EPOCHS = 1000        # what one setup may train
MAX_RACE_STEPS = 5000
MAX_PRICE_STEPS = 200
LARGEST = 1e12                 # any number in a file

# The screens a step can open, and what they are called on screen.
# The words are translated where shown (_(SCREENS[screen])).
SCREENS = {"playground": N_("the playground"), "inspector": N_("the backprop inspector"), "neuron_lab": N_("the neuron lab"),
           "price": N_("the price game"), "descent": N_("the descent race"), "metrics": N_("the metrics screen"),
           "summary": N_("the model summary"), "unit_images": N_("the view of what each unit looks for")}

# What a setup may say: key → kind (what its value must be).
SETUP = {"preset": TEXT, "set": "list of texts", "training": "table", "reset": "true or false", "train": INT,
         "freeze": INTS, "neuron": TEXT, "neuron_activation": TEXT, "neuron_inputs": FLOATS,
         "neuron_weights": FLOATS, "neuron_bias": FLOAT, "neuron_view": TEXT, "price": FLOAT, "price_start": FLOAT, "price_lr": FLOAT,
         "price_steps": INT, "surface": TEXT, "race_steps": INT, "race_lr": "table", "compare": "list of tables"}
RANGES = {"train": (0, MAX_TRAIN_EPOCHS), "race_steps": (0, MAX_RACE_STEPS), "price_steps": (0, MAX_PRICE_STEPS)}
# What a setup's `training` table may set: the training settings that keep the weights (not the backend).
TRAINING_KEYS = tuple(f.name for f in fields(TrainingSpec) if f.name != "backend")
FILE_KEYS = ("network.weights", "network.weights_from", "data.path")    # preset keys that name a file
LESSON_KEYS = ("title", "order", "summary", "language", "step")
STEP_KEYS = ("screen", "text", "hints", "show", "values", "claim", "setup", "question", "check")
VALUE_KEYS = ("quantity", "term", "digits")
CLAIM_KEYS = ("kind", "says", "after")
COMPARED_KEYS = ("label", "set") + tuple(f.name for f in fields(TrainingSpec) if f.name != "backend")
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]{0,23})\}")     # {name} in a step's text: one of its values
QUESTION_KEYS = ("ask", "quantity", "tolerance", "relative")
CHECK_KEYS = ("ask", "name")
NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


class LessonError(NntermError):
    """One sentence naming the lesson file, the step and the key."""


@dataclass(frozen=True)
class Shown:
    quantity: str
    args: dict
    label: str                 # what to call it here ("" : the quantity's own words)


@dataclass(frozen=True)
class Value:
    """A number (or a definition) the step's text says at {name}, computed when it is drawn."""
    name: str
    quantity: str              # "" for a term
    args: dict
    term: str                  # a glossary term ("" for a quantity)
    digits: int | None         # decimals to show; None: num()'s four significant digits


@dataclass(frozen=True)
class Claim:
    """A statement about the live screen, of a kind from nnterm/lessons/claims.py, checked by the audit."""
    kind: str
    args: dict
    says: str
    after: bool = False        # about the screen once the step's task is done (else: as the step opens)


@dataclass(frozen=True)
class Question:
    ask: str
    quantity: str
    args: dict
    tolerance: float
    relative: bool

    def allowed(self) -> str:
        """The tolerance, as the learner is told it."""
        if self.relative:
            return _("within {share}").format(share=f"{self.tolerance:.0%}")
        return _("within ±{tolerance}").format(tolerance=f"{self.tolerance:g}")


@dataclass(frozen=True)
class Task:
    name: str
    args: dict
    ask: str


@dataclass(frozen=True)
class Step:
    screen: str
    text: str
    hints: tuple
    setup: dict
    show: tuple
    question: Question | None
    check: Task | None
    values: tuple = ()         # Value, by name in the text
    claims: tuple = ()         # Claim


@dataclass(frozen=True)
class Lesson:
    key: str                   # the file's stem: what progress and `--check` name it by
    title: str
    order: float
    summary: str
    steps: tuple
    label: str                 # the file, for sentences
    origin: str                # "bundled" or "yours"
    language: str = "en"       # the language its words are in (a key of LANGUAGES)
    translations: tuple = ()   # (language, Words): its words in each language it has (nnterm/lessons/translation.py)


class Where:
    """Builds the sentences: `lesson my.toml, step 3: "key" …`."""

    def __init__(self, label: str, step: int | None = None):
        self.label, self.step = label, step

    def error(self, key: str, text: str) -> LessonError:
        at = (_("lesson {label}, step {step}") if self.step is not None else _("lesson {label}")).format(label=self.label, step=self.step)
        return LessonError(_('{at}: "{key}" {text}').format(at=at, key=printable(key), text=text) if key
                           else _("{at}: {text}").format(at=at, text=text))


def printable(text: str) -> str:
    """A key or value from the file, on one line: a newline or other control character escaped."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in str(text))


def shown(value) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{printable(value)}"'
    return text if len(text) <= 40 else text[:37] + "…"


def check_keys(table: dict, allowed, where: Where, what: str) -> None:
    for key in table:
        if key not in allowed:
            raise where.error(key, _("is not a key of {what}; the keys are {allowed}").format(what=what, allowed=', '.join(allowed)))


def number(value, key: str, where: Where, whole: bool = False) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (whole and not isinstance(value, int)):
        rule = _("must be a whole number, not {value}") if whole else _("must be a number, not {value}")
        raise where.error(key, rule.format(value=shown(value)))
    if not math.isfinite(value) or abs(value) > LARGEST:
        raise where.error(key, _("must be a finite number within ±{LARGEST:g}, not {value}").format(LARGEST=LARGEST, value=shown(value)))
    return value


def text(value, key: str, where: Where, limit: int = MAX_LINE, empty: bool = False) -> str:
    if value is None:
        raise where.error(key, _("is needed") if empty else _("is needed: give it as text"))
    if not isinstance(value, str):
        raise where.error(key, _("must be text, not {value}").format(value=shown(value)))
    if len(value) > limit:
        raise where.error(key, _("is {value_count} characters long; at most {limit}").format(value_count=len(value), limit=limit))
    if not empty and not value.strip():
        raise where.error(key, _("must not be empty"))
    return value


def listed(value, key: str, where: Where, limit: int = MAX_LIST) -> list:
    if not isinstance(value, list):
        raise where.error(key, _("must be a list, not {value}").format(value=shown(value)))
    if len(value) > limit:
        raise where.error(key, _("has {value_count} entries; at most {limit}").format(value_count=len(value), limit=limit))
    return value


VALUE_AS_TEXT = TEXT            # a claim's argument that names a value is text in the file


def of_kind(kind: str, value, key: str, where: Where):
    """A value of one of the argument kinds (nnterm/lessons/quantities.py)."""
    if kind == INT:
        return number(value, key, where, whole=True)
    if kind == FLOAT:
        return float(number(value, key, where))
    if kind == TEXT:
        return text(value, key, where)
    if kind in (FLOATS, INTS):
        return [of_kind(INT if kind == INTS else FLOAT, v, key, where) for v in listed(value, key, where)]
    if kind in NAMED_KINDS:
        return one_of(value, key, NAMED_KINDS[kind], where)
    raise where.error(key, _("has an unknown kind {kind}").format(kind=kind))


def arguments(table: dict, spec: dict, fixed, where: Where, what: str) -> dict:
    """The keys of `table` beyond `fixed` are `what`'s arguments, each of its kind."""
    args = {}
    for key, value in table.items():
        if key in fixed:
            continue
        if key not in spec:
            allowed = ", ".join(spec) or "none"
            raise where.error(key, _("is not an argument of {what}; its arguments are {allowed}").format(what=what, allowed=allowed))
        args[key] = of_kind(spec[key][0], value, key, where)
        if spec[key][0] == INT and key in WHOLE_RANGES:
            low, high = WHOLE_RANGES[key]
            if not low <= args[key] <= high:
                raise where.error(key, _("must be {low} … {high}, not {given}").format(low=low, high=high, given=args[key]))
    for key, (_kind, default) in spec.items():
        if default is REQUIRED and key not in args:
            raise where.error(key, _("is needed by {what}").format(what=what))
    return args


def one_of(value, key: str, names, where: Where) -> str:
    if value is None:
        raise where.error(key, _("is needed: one of {names}").format(names=', '.join(names)))
    if not isinstance(value, str) or value not in names:
        raise where.error(key, _("must be one of {names}, not {value}").format(names=', '.join(names), value=shown(value)))
    return value


def table_of(value, key: str, where: Where) -> dict:
    if not isinstance(value, dict):
        raise where.error(key, _("must be a table, not {value}").format(value=shown(value)))
    return value


def parse_setup(raw, where: Where) -> dict:
    raw = table_of(raw, "setup", where)
    check_keys(raw, SETUP, where, _("a step's setup"))
    setup = {}
    for key, value in raw.items():
        kind = SETUP[key]
        if kind == "list of texts":
            setup[key] = [text(v, key, where) for v in listed(value, key, where)]
        elif kind == "true or false":
            if not isinstance(value, bool):
                raise where.error(key, _("must be true or false, not {value}").format(value=shown(value)))
            setup[key] = value
        elif kind == "list of tables":
            setup[key] = [parse_compared(entry, where) for entry in listed(value, key, where, MAX_COMPARED)]
        elif kind == "table":
            table = table_of(value, key, where)
            if len(table) > MAX_LIST:
                raise where.error(key, _("has {table_count} entries; at most {MAX_LIST}").format(table_count=len(table), MAX_LIST=MAX_LIST))
            setup[key] = {text(k, key, where): (v if isinstance(v, (bool, str)) else number(v, f"{key}.{k}", where))
                          for k, v in table.items()}
            if key == "training":
                check_keys(setup[key], TRAINING_KEYS, where, _("a setup's training table"))
            if key == "race_lr" and not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                            for v in setup[key].values()):
                raise where.error(key, _("must give each optimizer a number"))
        else:
            setup[key] = of_kind(kind, value, key, where)
            if key in RANGES and not RANGES[key][0] <= setup[key] <= RANGES[key][1]:
                low, high = RANGES[key]
                raise where.error(key, _("must be {low} … {high}, not {given}").format(low=low, high=high, given=setup[key]))
    if "preset" in setup and setup["preset"] not in bundled_names():     # a saved preset may name files to read
        raise where.error("preset", _("must name a bundled preset ({presets}), not {shown}").format(presets=', '.join(bundled_names()), shown=shown(setup['preset'])))
    for item in setup.get("set", []):
        if item.partition("=")[0].strip() in FILE_KEYS:
            raise where.error("set", _("cannot set {key}: a lesson never makes nnterm read a file").format(key=item.partition('=')[0].strip()))
    if any("set" in run for run in setup.get("compare", [])) and "preset" not in setup:
        raise where.error("compare", _('a run with "set" changes the preset as it loads: name it with "preset" beside it'))
    if "set" in setup and "preset" not in setup:
        raise where.error("set", _('changes a preset as it loads: name it with "preset" beside it'))
    return setup


def parse_compared(raw, where: Where) -> dict:
    """One run of a `compare` list: a label and the training settings it differs by."""
    raw = table_of(raw, "compare", where)
    check_keys(raw, COMPARED_KEYS, where, _("a compared run"))
    out = {"label": text(raw.get("label"), "label", where)}
    if "set" in raw:
        out["set"] = [text(v, "set", where) for v in listed(raw["set"], "set", where)]
        for item in out["set"]:
            if item.partition("=")[0].strip() in FILE_KEYS:
                raise where.error("set", _("cannot set {key}: a lesson never makes nnterm read a file").format(key=item.partition('=')[0].strip()))
    for key, value in raw.items():
        if key not in ("label", "set"):
            out[key] = value if isinstance(value, (bool, str)) else number(value, f"compare.{key}", where)
    return out


def parse_values(raw, where: Where) -> tuple:
    raw = table_of(raw, "values", where)
    if len(raw) > MAX_VALUES:
        raise where.error("values", _("has {raw_count} entries; at most {MAX_VALUES}").format(raw_count=len(raw), MAX_VALUES=MAX_VALUES))
    out = []
    for name, entry in raw.items():
        if not PLACEHOLDER.fullmatch("{" + name + "}"):
            raise where.error("values", _("names {name}: a value's name is lower-case letters, digits or _ (24 at most), starting with a letter").format(name=shown(name)))
        entry = table_of(entry, f"values.{name}", where)
        if ("quantity" in entry) == ("term" in entry):
            raise where.error(f"values.{name}", _('needs "quantity" (a live number) or "term" (a definition), one of them'))
        digits = None
        if "digits" in entry:
            digits = number(entry["digits"], "digits", where, whole=True)
            if not 0 <= digits <= MAX_DIGITS:
                raise where.error("digits", _("must be 0 … {MAX_DIGITS}, not {digits}").format(MAX_DIGITS=MAX_DIGITS, digits=digits))
        if "term" in entry:
            from nnterm.teach.glossary import TERMS
            check_keys(entry, VALUE_KEYS, where, _("a value"))
            out.append(Value(name, "", {}, one_of(entry["term"], "term", sorted(TERMS), where), digits))
            continue
        quantity = one_of(entry.get("quantity"), "quantity", sorted(QUANTITIES), where)
        args = arguments(entry, QUANTITIES[quantity].args, VALUE_KEYS, where, _('the quantity "{name}"').format(name=quantity))
        out.append(Value(name, quantity, args, "", digits))
    return tuple(out)


def parse_claims(raw, values: tuple, where: Where) -> tuple:
    names = [v.name for v in values if v.quantity]
    out = []
    for entry in listed(raw, "claim", where, MAX_CLAIMS):
        entry = table_of(entry, "claim", where)
        kind = one_of(entry.get("kind"), "kind", sorted(CLAIMS), where)
        spec = CLAIMS[kind].args
        plain = {k: (VALUE_AS_TEXT if v[0] == VALUE else v[0], v[1]) for k, v in spec.items()}
        args = arguments(entry, plain, CLAIM_KEYS, where, _('the claim "{name}"').format(name=kind))
        for key, value in args.items():
            if spec[key][0] == VALUE and value not in names:
                raise where.error(key, (_("must name one of the step's values ({names}), not {value}") if names else
                                       _("must name one of the step's values (none: add [step.values]), not {value}")).format(names=', '.join(names), value=shown(value)))
        says = text(entry["says"], "says", where) if "says" in entry else ""
        after = entry.get("after", False)
        if not isinstance(after, bool):
            raise where.error("after", _("must be true or false, not {after}").format(after=shown(after)))
        out.append(Claim(kind, args, says, after))
    return tuple(out)


def check_placeholders(body: str, values: tuple, claims: tuple, where: Where) -> None:
    """Every {name} in the text (and its hints) is a value; every value is said or read by a claim."""
    names = {v.name for v in values}
    for name in PLACEHOLDER.findall(body):
        if name not in names:
            raise where.error("text", (_("says {{{name}}}, which is not one of the step's values ({names})") if names else
                                      _("says {{{name}}}, which is not one of the step's values (none: add it under [step.values])")).format(name=name, names=', '.join(sorted(names))))
    read = {value for claim in claims for value in claim.args.values() if isinstance(value, str)}
    for value in values:
        if "{" + value.name + "}" not in body and value.name not in read:
            raise where.error(f"values.{value.name}", _("is neither said in the text ({{{name}}}) nor read by a claim").format(name=value.name))


def parse_question(raw, where: Where) -> Question:
    raw = table_of(raw, "question", where)
    name = one_of(raw.get("quantity"), "quantity", sorted(QUANTITIES), where)
    args = arguments(raw, QUANTITIES[name].args, QUESTION_KEYS, where, _('the quantity "{name}"').format(name=name))
    tolerance = float(number(raw.get("tolerance", 0.01), "tolerance", where))
    if not tolerance > 0:
        raise where.error("tolerance", _("must be above 0, not {tolerance:g}").format(tolerance=tolerance))
    relative = raw.get("relative", False)
    if not isinstance(relative, bool):
        raise where.error("relative", _("must be true or false, not {relative}").format(relative=shown(relative)))
    if relative and tolerance >= 1:
        raise where.error("tolerance", _("is a fraction of the answer with relative = true: below 1, not {tolerance:g}").format(tolerance=tolerance))
    return Question(text(raw.get("ask"), "ask", where), name, args, tolerance, relative)


def parse_check(raw, where: Where) -> Task:
    raw = table_of(raw, "check", where)
    name = one_of(raw.get("name"), "name", sorted(CHECKS), where)
    args = arguments(raw, CHECKS[name].args, CHECK_KEYS, where, _('the check "{name}"').format(name=name))
    ask = text(raw["ask"], "ask", where) if "ask" in raw else ""
    return Task(name, args, ask)


def parse_shown(raw, where: Where) -> tuple:
    out = []
    for entry in listed(raw, "show", where, MAX_SHOWN):
        entry = table_of(entry, "show", where)
        name = one_of(entry.get("quantity"), "quantity", sorted(QUANTITIES), where)
        label = text(entry["label"], "label", where) if "label" in entry else ""
        args = arguments(entry, QUANTITIES[name].args, ("quantity", "label"), where, _('the quantity "{name}"').format(name=name))
        out.append(Shown(name, args, label))
    return tuple(out)


def parse_step(raw, where: Where) -> Step:
    raw = table_of(raw, "step", where)
    check_keys(raw, STEP_KEYS, where, _("a step"))
    screen = one_of(raw.get("screen"), "screen", list(SCREENS), where)
    body = text(raw.get("text"), "text", where, MAX_TEXT)
    hints = tuple(text(h, "hints", where) for h in listed(raw.get("hints", []), "hints", where, MAX_HINTS))
    question = parse_question(raw["question"], where) if "question" in raw else None
    check = parse_check(raw["check"], where) if "check" in raw else None
    if question is not None and check is not None:
        raise where.error("check", _("cannot stand beside a question: a step asks one thing"))
    values = parse_values(raw.get("values", {}), where)
    claims = parse_claims(raw.get("claim", []), values, where)
    check_placeholders("\n".join((body, *hints)), values, claims, where)
    return Step(screen, body, hints, parse_setup(raw.get("setup", {}), where), parse_shown(raw.get("show", []), where),
                question, check, values, claims)


def parse_lesson(raw: dict, key: str, label: str, origin: str) -> Lesson:
    where = Where(label)
    check_keys(raw, LESSON_KEYS, where, _("a lesson"))
    title = text(raw.get("title"), "title", where)
    language = one_of(raw.get("language", "en"), "language", list(LANGUAGES), where)
    order = float(number(raw.get("order", 1000), "order", where))
    summary = text(raw.get("summary", ""), "summary", where, MAX_TEXT, empty=True)
    steps = listed(raw.get("step"), "step", where, MAX_STEPS)
    if not steps:
        raise where.error("step", _("must hold at least one step ([[step]])"))
    parsed = tuple(parse_step(step, Where(label, n)) for n, step in enumerate(steps, 1))
    if not any(s.question or s.check for s in parsed):
        raise where.error("step", _("must ask at least one question or set one check"))
    return Lesson(key, title, order, summary, parsed, label, origin, language)


def read_lesson_text(path: Path, label: str) -> str:
    """The file's text, read no further than the budget: a bigger file is refused, not loaded."""
    try:
        data = read_regular(path, MAX_BYTES)      # a FIFO or a device is refused, never waited on
    except OSError as err:
        raise LessonError(_("lesson {label}: cannot be read ({reason})").format(label=label, reason=err.strerror or err.__class__.__name__)) from None
    if len(data) > MAX_BYTES:
        raise LessonError(_("lesson {label}: is larger than {kib} KiB; a lesson is a page of text").format(label=label, kib=MAX_BYTES // 1024))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise LessonError(_("lesson {label}: not a text file in UTF-8 (byte {start})").format(label=label, start=err.start)) from None


def lesson_from_text(source: str, key: str, label: str, origin: str = "yours") -> Lesson:
    try:
        raw = tomllib.loads(source)
    except tomllib.TOMLDecodeError as err:
        raise LessonError(_("lesson {label}: not valid TOML ({err})").format(label=label, err=err)) from None
    except RecursionError:
        raise LessonError(_("lesson {label}: its values are nested too deeply").format(label=label)) from None
    return parse_lesson(raw, key, label, origin)


def load_lesson_file(path, origin: str = "yours", label: str | None = None) -> Lesson:
    path = Path(path)
    label = label or path.name
    if not NAME.fullmatch(path.stem):
        raise LessonError(_("lesson {label}: the file name must be lower-case letters, digits, - or _ (40 at most) before .toml").format(label=label))
    return lesson_from_text(read_lesson_text(path, label), path.stem, label, origin)
