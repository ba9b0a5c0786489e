"""A lesson in another language: the words of NAME.toml, translated, in NAME.<lang>.toml beside it.

A translation holds ONLY words — never a setup, a quantity, a check or a number — so the
translated lesson asks the same questions, sets the same tasks and makes the same claims as the
lesson it translates, by construction (docs/design.md, "Lessons"):

    # neuron.zh.toml: the Chinese of neuron.toml
    source = "3f2a9c1e"             # the fingerprint of the title and summary it translates
    title = "神经元：加权求和"
    summary = "…"

    [[step]]                        # one per step of neuron.toml, in the same order
    source = "b41d07aa"             # the fingerprint of that step's English words
    text = "……它的份额 {rent} 和 {commute} 把评分往下拉。"    # the same {name}s as the English text
    hints = ["…", "…"]              # one per English hint
    labels = ["…", "", "…"]         # one per `show` entry ("" where the English has no label)
    says = ["…", ""]                # one per claim ("" where the English claim has no `says`)
    ask = "…"                       # the question's or the task's `ask` ("" where it has none)
    runs = ["…"]                    # one per run of the setup's `compare`, its label

The fingerprint is the first 8 hex digits of the SHA-256 of the English words it translates
(`fingerprint`); when the English changes, the bundled lessons' parity test names the steps whose
translation is older than their English. A file is untrusted like a lesson: a size budget, known
keys only, the lesson's string lengths, the same {name} placeholders as the English field it
translates, the same count of steps, hints, labels, claims and runs.

A lesson written in one language only is an ordinary lesson file with `language = "zh"`.
"""
import hashlib
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from nnterm.lessons.format import (MAX_LINE, MAX_TEXT, PLACEHOLDER, Lesson, LessonError, Where, check_keys,
                                   listed, read_lesson_text, shown, table_of, text)
from nnterm.runtime.language import LANGUAGES

TOP_KEYS = ("source", "title", "summary", "step")
STEP_KEYS = ("source", "text", "hints", "labels", "says", "ask", "runs")
OVERLAY_NAME = re.compile(r"(?P<key>[a-z0-9][a-z0-9_-]{0,39})\.(?P<code>[a-z]{2,3})\.toml")


@dataclass(frozen=True)
class StepWords:
    """The words of one step: every field of it a learner reads."""
    text: str
    hints: tuple = ()
    labels: tuple = ()         # one per `show` entry, "" where the quantity's own words are shown
    says: tuple = ()           # one per claim, "" where the claim's kind words it
    ask: str = ""              # the question's ask or the task's ask
    runs: tuple = ()           # the labels of the setup's compared runs
    source: str = ""           # a translation: the fingerprint of the words it translates


@dataclass(frozen=True)
class Words:
    """A lesson's words in one language."""
    language: str
    title: str
    summary: str
    steps: tuple               # StepWords
    source: str = ""


def fingerprint(*texts: str) -> str:
    """The first 8 hex digits of the SHA-256 of the texts (each ended by a NUL, so fields never run together)."""
    return hashlib.sha256("".join(f"{t}\0" for t in texts).encode("utf-8")).hexdigest()[:8]


def step_fingerprint(words: StepWords) -> str:
    return fingerprint(words.text, *words.hints, "labels", *words.labels, "says", *words.says, words.ask,
                       "runs", *words.runs)


def head_fingerprint(words: Words) -> str:
    return fingerprint(words.title, words.summary)


def step_words(step) -> StepWords:
    return StepWords(step.text, tuple(step.hints), tuple(entry.label for entry in step.show),
                     tuple(claim.says for claim in step.claims),
                     step.question.ask if step.question is not None else step.check.ask if step.check is not None else "",
                     tuple(run["label"] for run in step.setup.get("compare", [])))


def words_of(lesson: Lesson) -> Words:
    """The lesson's own words (in its own language)."""
    return Words(lesson.language, lesson.title, lesson.summary, tuple(step_words(s) for s in lesson.steps))


def with_words(lesson: Lesson, words: Words) -> Lesson:
    """The lesson speaking `words`: the same steps, setups, quantities, claims and checks."""
    steps = []
    for step, said in zip(lesson.steps, words.steps):
        setup = step.setup
        if said.runs:
            setup = {**setup, "compare": [{**run, "label": label} for run, label in zip(setup["compare"], said.runs)]}
        steps.append(replace(
            step, text=said.text, hints=said.hints, setup=setup,
            show=tuple(replace(entry, label=label) for entry, label in zip(step.show, said.labels)),
            claims=tuple(replace(claim, says=says) for claim, says in zip(step.claims, said.says)),
            question=replace(step.question, ask=said.ask) if step.question is not None else None,
            check=replace(step.check, ask=said.ask) if step.check is not None else None))
    return replace(lesson, title=words.title, summary=words.summary, steps=tuple(steps), language=words.language)


def languages(lesson: Lesson) -> tuple:
    """The languages the lesson can be shown in: its own first."""
    return tuple(code for code, _words in lesson.translations) or (lesson.language,)


def in_language(lesson: Lesson, code: str) -> Lesson:
    """The lesson in `code` where it has those words, else as it is (English, or the one language it was written in)."""
    if lesson.language == code:
        return lesson
    for language, words in lesson.translations:
        if language == code:
            return with_words(lesson, words)
    return lesson


def translated(lesson: Lesson, *overlays: Words) -> Lesson:
    """The lesson carrying its own words and each translation's, so any version of it can become another."""
    own = words_of(lesson)
    return replace(lesson, translations=((own.language, own), *((w.language, w) for w in overlays)))


# --- reading a translation ------------------------------------------------------------------------
def same_placeholders(said: str, english: str, key: str, where: Where) -> None:
    mine, theirs = sorted(set(PLACEHOLDER.findall(said))), sorted(set(PLACEHOLDER.findall(english)))
    if mine != theirs:
        want = ", ".join("{" + n + "}" for n in theirs) or "none"
        got = ", ".join("{" + n + "}" for n in mine) or "none"
        raise where.error(key, f"must say the same {{name}}s as the English ({want}), not {got}")


def paired(raw, english: tuple, key: str, where: Where, limit: int = MAX_LINE) -> tuple:
    """A list of words, one per English entry; empty exactly where the English is."""
    items = listed(raw if raw is not None else [], key, where)
    if len(items) != len(english):
        raise where.error(key, f"has {len(items)} entries; the English has {len(english)}, one each")
    out = []
    for n, (said, theirs) in enumerate(zip(items, english), 1):
        said = text(said, key, where, limit, empty=True)
        if bool(said.strip()) != bool(theirs.strip()):
            raise where.error(key, f"entry {n} must be {'empty, as the English is' if not theirs.strip() else 'translated'}")
        same_placeholders(said, theirs, key, where)
        out.append(said)
    return tuple(out)


def source_of(raw: dict, where: Where) -> str:
    source = raw.get("source", "")
    if not isinstance(source, str) or not re.fullmatch(r"[0-9a-f]{8}|", source):
        raise where.error("source", f"must be 8 hex digits (the English words' fingerprint), not {shown(source)}")
    return source


def parse_step_words(raw, english: StepWords, where: Where) -> StepWords:
    raw = table_of(raw, "step", where)
    check_keys(raw, STEP_KEYS, where, "a translated step")
    said = text(raw.get("text"), "text", where, MAX_TEXT)
    same_placeholders(said, english.text, "text", where)
    ask = text(raw.get("ask", ""), "ask", where, empty=True)
    if bool(ask.strip()) != bool(english.ask.strip()):
        raise where.error("ask", "must be empty, as the English is" if not english.ask.strip() else "is needed: the English asks")
    same_placeholders(ask, english.ask, "ask", where)
    return StepWords(said, paired(raw.get("hints"), english.hints, "hints", where),
                     paired(raw.get("labels"), english.labels, "labels", where),
                     paired(raw.get("says"), english.says, "says", where), ask,
                     paired(raw.get("runs"), english.runs, "runs", where), source_of(raw, where))


def parse_overlay(raw: dict, lesson: Lesson, code: str, label: str) -> Words:
    """A translation of `lesson` into `code`, validated field by field against the words it translates."""
    where = Where(label)
    if code not in LANGUAGES:
        raise where.error("", f"is in no language nnterm has: the name ends .{'/.'.join(LANGUAGES)}.toml")
    if code == lesson.language:
        raise where.error("", f"translates {lesson.label} into its own language")
    check_keys(raw, TOP_KEYS, where, "a translation")
    english = words_of(lesson)
    title = text(raw.get("title"), "title", where)
    summary = text(raw.get("summary", ""), "summary", where, MAX_TEXT, empty=True)
    steps = listed(raw.get("step"), "step", where)
    if len(steps) != len(english.steps):
        raise where.error("step", f"has {len(steps)} steps; {lesson.label} has {len(english.steps)}, one each")
    parsed = tuple(parse_step_words(step, theirs, Where(label, n))
                   for n, (step, theirs) in enumerate(zip(steps, english.steps), 1))
    return Words(code, title, summary, parsed, source_of(raw, where))


def overlay_from_text(source: str, lesson: Lesson, code: str, label: str) -> Words:
    try:
        raw = tomllib.loads(source)
    except tomllib.TOMLDecodeError as err:
        raise LessonError(f"lesson {label}: not valid TOML ({err})") from None
    except RecursionError:
        raise LessonError(f"lesson {label}: its values are nested too deeply") from None
    return parse_overlay(raw, lesson, code, label)


def overlay_name(name: str) -> tuple[str, str] | None:
    """("neuron", "zh") for neuron.zh.toml; None for a lesson file's name."""
    match = OVERLAY_NAME.fullmatch(name)
    return (match["key"], match["code"]) if match else None


def stale_steps(lesson: Lesson, words: Words) -> list[str]:
    """Where a translation is older than the English it translates: the title and summary, or step n."""
    english = words_of(lesson)
    out = [] if words.source == head_fingerprint(english) else [
        f"the title and summary (source {words.source or 'missing'}, the English now {head_fingerprint(english)})"]
    for n, (said, theirs) in enumerate(zip(words.steps, english.steps), 1):
        if said.source != step_fingerprint(theirs):
            out.append(f"step {n} (source {said.source or 'missing'}, the English now {step_fingerprint(theirs)})")
    return out


def load_with_translations(path, origin: str = "yours", label: str | None = None) -> Lesson:
    """A lesson file and the translations beside it (NAME.zh.toml …); given a translation's own
    name, its lesson beside it. A translation that does not load is its one sentence, raised."""
    from nnterm.lessons.format import load_lesson_file
    path = Path(path)
    named = overlay_name(path.name)
    lesson_path = path.with_name(f"{named[0]}.toml") if named else path
    lesson = load_lesson_file(lesson_path, origin, str(lesson_path) if label is None or named else label)
    overlays = []
    for code in LANGUAGES:
        beside = lesson_path.with_name(f"{lesson.key}.{code}.toml")
        if code != lesson.language and beside.is_file():
            overlays.append(overlay_from_text(read_lesson_text(beside, str(beside)), lesson, code, str(beside)))
    return translated(lesson, *overlays)


def file_language(path) -> str | None:
    """The language a translation's file name says (neuron.zh.toml → "zh"), or None."""
    named = overlay_name(Path(path).name)
    return named[1] if named else None

