"""The app's lesson desk: the track, the learner's progress and the lesson being run.

Kept on the app (one per session), so leaving the lesson screen for the playground and coming
back with L finds the lesson where it was. Progress is saved at every step unlocked or entered.
"""
from nnterm.lessons.progress import load_progress, record, save_progress
from nnterm.lessons.runner import LessonRun
from nnterm.lessons.track import load_track
from nnterm.lessons.translation import in_language
from nnterm.runtime.language import _, current, ngettext


class Desk:
    def __init__(self, session):
        self.session = session
        self.track = load_track()
        self.progress = load_progress()
        self.run: LessonRun | None = None
        self.waiting: tuple[int, bool] | None = None    # (step, unlocked) the open run is to be set up at
        self.step_open = False          # the playground was opened by a step (o): escape there comes back
        self.fresh = False              # a lesson just opened: the loss chart starts clean for it
        # said once, on the track screen: a damaged progress file, lesson files that did not load
        self.notices = [n for n in (self.progress.notice, *self.track.problems) if n]

    def finished(self, lesson) -> bool:
        mine = self.progress.lessons.get(lesson.key)
        return bool(mine and mine.finished)

    def state(self, lesson) -> str:
        """"done", "step 2 of 4" or "4 steps", in the language in use."""
        mine = self.progress.lessons.get(lesson.key)
        if mine is None:
            return ngettext("{count} step", "{count} steps", len(lesson.steps)).format(count=len(lesson.steps))
        if mine.finished:
            return _("done")
        return _("step {step} of {steps}").format(step=min(mine.step, len(lesson.steps) - 1) + 1, steps=len(lesson.steps))

    def open(self, lesson) -> LessonRun:
        """The lesson's run, at the step it stopped at or its start; `ready()` then applies the
        setups up to there (slow: a setup trains), which the lesson screen runs off the UI thread."""
        if self.run is not None and self.run.lesson.key == lesson.key:
            self.speak()                                 # the language may have switched while it waited
            return self.run
        mine = self.progress.lessons.get(lesson.key)
        step = min(mine.step, len(lesson.steps) - 1) if mine and not mine.finished else 0
        run = LessonRun(in_language(lesson, current()), self.session, self.track.position(lesson))
        self.fresh = True
        run.index = step                             # where() says the step being set up
        self.waiting = (step, mine is not None and step in mine.done and not mine.finished)
        self.run = run
        return run

    def speak(self) -> None:
        """The open lesson in the language in use now, where it has those words (a live switch): the
        same steps and checks, so the learner's place and the state the steps set up stay."""
        if self.run is not None:
            self.run.lesson = in_language(self.run.lesson, current())

    def ready(self) -> None:
        """The open lesson's setups replayed up to the step it stopped at (every earlier setup
        applied), once; the session's training thread paused first."""
        if self.waiting is None or self.run is None:
            return
        step, unlocked = self.waiting
        self.session.pause()
        self.run.start(step)
        if unlocked:
            self.run.unlocked = True
        self.waiting = None
        self.save()

    def save(self) -> str:
        """Records where the run stands and writes the file; "" or the sentence of why it could not.
        A run still being set up is not recorded: its step is not the learner's yet."""
        if self.run is not None and self.waiting is None:
            record(self.progress, self.run)
        return save_progress(self.progress)


def desk_of(app) -> Desk:
    desk = getattr(app, "lesson_desk", None)
    if desk is None:
        desk = app.lesson_desk = Desk(app.session)
    return desk
