"""`nnterm lessons --audit [FILE]`: every step of every lesson played as a learner would, and
everything it says checked against the live network (docs/design.md, "Lessons").

For each step: its setup applies; every live value its text says and every number it shows
computes; every claim about the screen (nnterm/lessons/claims.py) holds — those marked `after`
once the task is done; its question, answered with the live value, is judged right; its task,
done with "show me", passes its check. Each lesson runs on a fresh session, so one lesson's state
never props up another's. The verdict counts what was checked; a failure names the lesson, the
step and the claim (or value, question, task) with what the screen showed instead.
"""
from dataclasses import dataclass, field

from nnterm.errors import NntermError
from nnterm.lessons.claims import words as claim_words
from nnterm.lessons.format import Lesson
from nnterm.lessons.runner import LessonRun
from nnterm.lessons.validate import fresh_session
from nnterm.runtime.numbers import counted, exact


@dataclass
class LessonAudit:
    lesson: Lesson
    claims: int = 0
    held: int = 0
    values: int = 0
    questions: int = 0
    tasks: int = 0
    failures: list = field(default_factory=list)

    def line(self, width: int) -> str:
        verdict = "ok" if not self.failures else f"{counted(len(self.failures), 'failure')}"
        return (f"{self.lesson.key:<{width}}  {self.held} of {counted(self.claims, 'claim')} held · "
                f"{counted(self.values, 'live value')} · {counted(self.questions, 'question')} · "
                f"{counted(self.tasks, 'task')} · {verdict}")


def audit_lesson(lesson: Lesson, session=None) -> LessonAudit:
    """Plays `lesson` through on a fresh session (or `session`) and counts what held."""
    result = LessonAudit(lesson)
    run = LessonRun(lesson, session or fresh_session())

    def failed(text: str) -> None:
        at = f"lesson {lesson.label}, step {run.index + 1}: "
        result.failures.append(text if text.startswith(at) else at + text)     # a LessonError names it already

    def judge_claims(after: bool) -> None:
        for claim, held, seen in run.claims(after):
            result.claims += 1
            result.held += held
            if not held:
                failed(f'the claim "{claim_words(claim)}" does not hold: {seen}')

    for index, step in enumerate(lesson.steps):
        run.start(0) if index == 0 else run.enter(index)
        if run.problem:
            failed(run.problem)
            run.skip()
            continue
        said = "\n".join((step.text, *step.hints))
        for entry in step.values:
            if entry.quantity:
                result.values += 1
                if "{" + entry.name + "}" not in said:
                    continue                       # read by a claim only: computed when it is evaluated
                try:
                    run.value_text(entry)
                except NntermError as err:
                    failed(str(err))
        for entry in step.show:
            result.values += 1
            try:
                run.value(entry.quantity, entry.args)
            except NntermError as err:
                failed(str(err))
        judge_claims(after=False)
        if step.question is not None:
            result.questions += 1
            try:
                truth = run.value(step.question.quantity, step.question.args)
                verdict = run.answer(repr(truth))
                if not verdict.right:
                    failed(f"the question's own answer {exact(truth)} is judged wrong: {verdict.said}")
            except NntermError as err:
                failed(str(err))
        if step.check is not None:
            result.tasks += 1
            verdict = run.show_me()
            if not verdict.right:
                failed(f'the task "{run.task()}" is not done by show me: {verdict.said}')
        judge_claims(after=True)
        if not run.unlocked:
            run.skip()
    return result


def audit(lessons) -> tuple[list[LessonAudit], str]:
    """Every lesson audited, and the total: "20 lessons: 112 of 112 claims held, 198 live values, …"."""
    results = [audit_lesson(lesson) for lesson in lessons]
    claims, held = sum(r.claims for r in results), sum(r.held for r in results)
    total = (f"{counted(len(results), 'lesson')}: {held} of {counted(claims, 'claim')} held, "
             f"{counted(sum(r.values for r in results), 'live value')}, "
             f"{counted(sum(r.questions for r in results), 'question')}, {counted(sum(r.tasks for r in results), 'task')}")
    return results, total
