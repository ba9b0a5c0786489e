"""`nnterm lessons --check FILE`: a lesson file walked headless, for a teacher writing one.

Every step's setup is applied in order on a fresh session, every live number it shows or its
text says and its question are computed, and its check is tested (passing or not, it must be
testable), then its task is done with show me, so that a later step that reads what the task left
(a saved weight file, a trained run) is walked as a learner meets it. The first
thing that fails is one sentence naming the file, the step and the key (a LessonError).
"""
from nnterm.runtime.language import _, ngettext
from nnterm.errors import NntermError
from nnterm.lessons.checks import CHECKS, given
from nnterm.lessons.format import Lesson, LessonError
from nnterm.lessons.runner import LessonRun
from nnterm.presets.loader import load_preset
from nnterm.session.session import Session

START_PRESET = "xor"           # what `nnterm learn` opens on, before a step loads its own


def fresh_session() -> Session:
    return Session(load_preset(START_PRESET))


def walk(lesson: Lesson, session: Session | None = None) -> int:
    """Applies every step of `lesson` and computes everything it asks; returns the number of steps."""
    run = LessonRun(lesson, session or fresh_session())
    for index, step in enumerate(lesson.steps):
        run.start(0) if index == 0 else run.enter(index)
        if run.problem:
            raise LessonError(run.problem)
        for entry in step.show:
            run.value(entry.quantity, entry.args)
        said = "\n".join((step.text, *step.hints))
        for entry in step.values:             # what the text says (a value read only by a claim: the audit's)
            if entry.quantity and "{" + entry.name + "}" in said:
                run.value(entry.quantity, entry.args)
        if step.question is not None:
            run.value(step.question.quantity, step.question.args)
        if step.check is not None:
            check = CHECKS[step.check.name]
            try:
                check.passed(run, **given(check, step.check.args))
            except NntermError as err:
                raise run.error(_('"name": the check "{check}" cannot be tested here: {reason}').format(check=step.check.name, reason=err)) from None
            done = run.show_me()               # the next steps start where a learner who did it stands
            if not done.right:
                raise run.error(_('"name": show me does not do the task "{check}": {reason}').format(check=step.check.name, reason=done.said))
    return len(lesson.steps)


def check_file(path: str) -> str:
    """The one-line verdict on a lesson file, or a LessonError sentence."""
    from nnterm.lessons.translation import languages, load_with_translations
    lesson = load_with_translations(path, label=path)     # its translations beside it are checked against it
    steps = walk(lesson)
    others = [code for code in languages(lesson) if code != lesson.language]
    if others:
        verdict = ngettext("{path}: ok, {count} step, every setup applies and every question computes; its words in {languages} match it",
                           "{path}: ok, {count} steps, every setup applies and every question computes; its words in {languages} match it", steps)
    else:
        verdict = ngettext("{path}: ok, {count} step, every setup applies and every question computes",
                           "{path}: ok, {count} steps, every setup applies and every question computes", steps)
    return verdict.format(path=path, count=steps, languages=", ".join(others))
