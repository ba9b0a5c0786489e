"""A lesson, run: its steps applied to a Session and to the teach objects the screens use.

`LessonRun(lesson, session)` keeps the state a step sets up — the session's trainer (a preset,
training settings, epochs trained, frozen layers), the neuron lab's Neuron, the price game's
PriceRound and the descent race's Race — and the learner's place: the step, whether it is
unlocked (its question answered right, its check passed, or skipped), the hints asked for.

A question's answer is computed when the learner answers, from the live state, by
nnterm/lessons/quantities.py; never stored. A setup trains through the session's own verb
(`Session.train_now`: on the session's training thread, returning once trained), headless and in
the TUI alike.
"""
from dataclasses import dataclass

from nnterm.engine.budget import estimate
from nnterm.errors import NntermError
from nnterm.lessons import claims, quantities
from nnterm.lessons.checks import CHECKS, given, words
from nnterm.lessons.format import PLACEHOLDER, SCREENS, Lesson, LessonError, Step
from nnterm.presets import edits
from nnterm.presets.loader import load_bundled_preset
from nnterm.runtime.language import N_, _
from nnterm.runtime.numbers import exact, num, parse_number
from nnterm.teach.descent import Race
from nnterm.teach.neuron_lab import SETUPS, VIEWS, Neuron
from nnterm.teach.price import PriceRound
from nnterm.teach.surfaces import SURFACES, get_surface

DEFAULT_SURFACE = "distance"
NUMBER_EXAMPLE = "0.73, -2 or 1e-3"
# A right answer, said by who "says" the live number: the screen it is seen on (whole sentences, so
# a translation can order its words).
RIGHT = {"neuron_lab": N_("right: the neuron says {truth}; you said {guess}, {allowed}"),
         "price": N_("right: the game says {truth}; you said {guess}, {allowed}"),
         "descent": N_("right: the race says {truth}; you said {guess}, {allowed}")}
RIGHT = {screen: RIGHT.get(screen, N_("right: the network says {truth}; you said {guess}, {allowed}")) for screen in SCREENS}


FILE_FIELDS = (("data", "path"), ("network", "weights"), ("network", "weights_from"))
LESSON_PARAMETERS_AT_MOST = 100_000   # a lesson's network is one a person can look at, and trains in moments
LESSON_SAMPLES_AT_MOST = 20_000


def within_lesson_limits(preset, as_bundled) -> None:
    """A lesson's `set` changes a preset's settings, never the files it reads (however the key is
    spelt: `data.path = …` or `data = {path = …}`), nor its size past what a lesson needs. Checked
    on the loaded preset, before anything is built or read."""
    for section, name in FILE_FIELDS:
        if getattr(getattr(preset, section), name) != getattr(getattr(as_bundled, section), name):
            raise NntermError(f'"set" cannot change {section}.{name}: a lesson never makes nnterm read a file')
    parameters = estimate(preset)["n_parameters"]
    if parameters > LESSON_PARAMETERS_AT_MOST:
        raise NntermError(f"the network would have {parameters:,} parameters; a lesson's has at most "
                          f"{LESSON_PARAMETERS_AT_MOST:,}")
    if preset.data.samples > LESSON_SAMPLES_AT_MOST:
        raise NntermError(f"data.samples = {preset.data.samples:,}; a lesson uses at most {LESSON_SAMPLES_AT_MOST:,}")


@dataclass(frozen=True)
class Verdict:
    right: bool
    said: str


def answer_text(value: float) -> str:
    return num(value)


class LiveValues(dict):
    """A step's values by name, computed when first read (a value one claim reads after the task
    may not exist before it: the epoch a weight file saved, say)."""

    def __init__(self, run, entries: dict):
        super().__init__()
        self.run, self.entries = run, entries

    def __missing__(self, name: str) -> float:
        entry = self.entries[name]
        self[name] = value = self.run.value(entry.quantity, entry.args)
        return value


class LessonRun:
    def __init__(self, lesson: Lesson, session, position: tuple[int, int] = (1, 1)):
        self.lesson = lesson
        self.session = session
        self.position = position                  # (this lesson's place in the track, lessons in it)
        self.neuron, self.price, self.race = Neuron(SETUPS["score"]), PriceRound(), Race(SURFACES[DEFAULT_SURFACE])
        self.neuron_view: str | None = None      # what the lab's side shows when the step opens it (None: the lab's own)
        self.index = 0
        self.unlocked = False
        self.hints_shown = 0
        self.skipped = False
        self.problem = ""                         # why the step's setup or question cannot run, in words
        self.compared: list[tuple[str, list]] = []   # runs a setup trained side by side: (label, their reports)

    # --- where we are ------------------------------------------------------------------------
    @property
    def step(self) -> Step:
        return self.lesson.steps[self.index]

    @property
    def last(self) -> bool:
        return self.index == len(self.lesson.steps) - 1

    def where(self) -> str:
        """"lesson 7 of 18, step 2 of 4: title — on the price game"."""
        at, of = self.position
        return _("lesson {at} of {of}, step {step} of {steps}: {title} — on {screen}").format(
            at=at, of=of, step=self.index + 1, steps=len(self.lesson.steps), title=self.lesson.title,
            screen=_(SCREENS[self.step.screen]))

    def error(self, text: str) -> LessonError:
        return LessonError(f"lesson {self.lesson.label}, step {self.index + 1}: {text}")

    # --- entering a step ------------------------------------------------------------------------
    def enter(self, index: int) -> None:
        """Goes to step `index`, its setup applied on top of the state the earlier steps left (start()
        replays them from the beginning). A setup that cannot apply is said in `problem`, and the
        step can still be skipped."""
        self.index, self.unlocked, self.hints_shown, self.skipped, self.problem = index, False, 0, False, ""
        step = self.step
        try:
            self.apply(step.setup)
        except NntermError as err:
            self.problem = str(err)
        if step.question is None and step.check is None:
            self.unlocked = True

    def start(self, index: int = 0) -> None:
        """From the lesson's beginning up to step `index`: every earlier setup applied in order, so a
        resumed lesson stands where an unbroken walk would (but for what the learner did by hand)."""
        self.neuron, self.price, self.race = Neuron(SETUPS["score"]), PriceRound(), Race(SURFACES[DEFAULT_SURFACE])
        self.neuron_view = None
        self.compared = []
        for i in range(index):
            self.index = i
            try:
                self.apply(self.lesson.steps[i].setup)
            except NntermError:
                pass                               # said when that step is entered itself
        self.enter(index)

    def apply(self, setup: dict) -> None:
        """A step's setup, through the session's verbs and the teach objects; raises the sentence."""
        session = self.session
        if "preset" in setup:
            try:
                preset = load_bundled_preset(setup["preset"], setup.get("set", []))    # never a saved one: it may name files
                within_lesson_limits(preset, load_bundled_preset(setup["preset"]))
            except NntermError as err:
                raise self.error(f'"preset": {err}') from None
            self.said(session.rebuild(preset, f"loaded preset {preset.name}"), "preset")
            self.compared = []                     # runs side by side belong to the network they compared
        if setup.get("reset"):
            self.said(session.reset(), "reset")
        if "training" in setup:
            self.said(session.set_training(**setup["training"]), "training")
        if "compare" in setup:
            self.apply_compare(setup["compare"], setup.get("train", 0), setup.get("preset"), setup.get("set", []))
        for layer in setup.get("freeze", []):
            self.said(session.set_trainable(layer - 1, False), "freeze")
        if setup.get("train") and "compare" not in setup:
            self.said(session.train_now(setup["train"]), "train")
            session.snapshot()
        self.neuron_view = None                   # a step shows the lab's side as it says, else as the lab does
        self.apply_neuron(setup)
        self.apply_price(setup)
        self.apply_race(setup)

    def apply_compare(self, runs: list, epochs: int, preset_name: str | None, common: list) -> None:
        """Each run from the same data (and the same first weights where the network is the same), with
        its own settings — training fields, or `set` lines on the step's preset — trained `epochs`:
        their reports are kept side by side (the loss chart draws them), the last one stays live."""
        session, base = self.session, self.session.preset
        self.compared = []
        for entry in runs:
            changes = {key: value for key, value in entry.items() if key not in ("label", "set")}
            try:
                preset = base
                if entry.get("set"):
                    preset = load_bundled_preset(preset_name, common + entry["set"])
                    within_lesson_limits(preset, load_bundled_preset(preset_name))
                preset = edits.set_training(preset, **changes) if changes else preset
            except (NntermError, TypeError) as err:
                raise self.error(f'"compare": {err}') from None
            self.said(session.rebuild(preset, entry["label"], keep_data=True), "compare")
            self.said(session.train_now(epochs), "compare")
            self.compared.append((entry["label"], list(session.trainer.history)))
        session.snapshot()

    def said(self, change, key: str) -> None:
        if change.error:
            raise self.error(f'"{key}": {change.said}')

    def apply_neuron(self, setup: dict) -> None:
        if "neuron" in setup:
            if setup["neuron"] not in SETUPS:
                raise self.error(f'"neuron" must be one of {", ".join(SETUPS)}, not "{setup["neuron"]}"')
            self.neuron = Neuron(SETUPS[setup["neuron"]])
        if "neuron_view" in setup:
            if setup["neuron_view"] not in VIEWS:
                raise self.error(f'"neuron_view" must be one of {", ".join(VIEWS)}, not "{setup["neuron_view"]}"')
            self.neuron_view = setup["neuron_view"]
        neuron = self.neuron
        try:
            if "neuron_activation" in setup:
                neuron.set_activation(setup["neuron_activation"])
            for key, setter in (("neuron_inputs", neuron.set_input), ("neuron_weights", neuron.set_weight)):
                if key in setup:
                    if len(setup[key]) != len(neuron.names):
                        raise NntermError(f"this neuron has {len(neuron.names)} inputs, not {len(setup[key])}")
                    for i, value in enumerate(setup[key]):
                        setter(i, value)
            if "neuron_bias" in setup:
                neuron.set_bias(setup["neuron_bias"])
        except NntermError as err:
            raise self.error(str(err)) from None

    def apply_price(self, setup: dict) -> None:
        keys = {"price": "price", "price_start": "start", "price_lr": "lr"}
        try:
            if any(key in setup for key in keys):
                kept = {"price": self.price.price, "start": self.price.start, "lr": self.price.lr}
                kept.update({name: setup[key] for key, name in keys.items() if key in setup})
                self.price = PriceRound(**kept)
            for _ in range(setup.get("price_steps", 0)):
                self.price.step_machines()
        except NntermError as err:
            raise self.error(str(err)) from None

    def apply_race(self, setup: dict) -> None:
        try:
            if "surface" in setup or "race_lr" in setup:
                surface = get_surface(setup.get("surface", self.race.surface.name))
                self.race = Race(surface, learning_rates=setup.get("race_lr"))
            if setup.get("race_steps"):
                self.race.step(setup["race_steps"])
        except NntermError as err:
            raise self.error(str(err)) from None

    # --- what the step shows ------------------------------------------------------------------
    def value(self, name: str, args: dict) -> float:
        """A quantity now, or the step's sentence of why it cannot be computed."""
        try:
            return quantities.compute(self, name, args)
        except NntermError as err:
            raise self.error(f'"quantity" = "{name}" cannot be computed here: {err}') from None

    def shown(self) -> list[tuple[str, str]]:
        """(words, number) for each live number the step shows; a number that cannot be computed says why."""
        rows = []
        for entry in self.step.show:
            words_ = entry.label or _(quantities.QUANTITIES[entry.quantity].words)
            try:
                rows.append((words_, answer_text(self.value(entry.quantity, entry.args))))
            except NntermError as err:
                rows.append((words_, str(err)))
        return rows

    def value_text(self, entry) -> str:
        """One of the step's values as its text says it: a live number (or a definition from the glossary)."""
        if entry.term:
            from nnterm.teach.glossary import define
            return define(entry.term)                 # in the language in use
        value = self.value(entry.quantity, entry.args)
        return f"{value:.{entry.digits}f}".replace("-", "−") if entry.digits is not None else answer_text(value)

    def values(self) -> "LiveValues":
        """The step's values that are numbers, by name, each computed when a claim reads it."""
        return LiveValues(self, {v.name: v for v in self.step.values if v.quantity})

    def text(self, source: str | None = None) -> str:
        """The step's text (or one of its hints) with each {name} the live value (a value that cannot
        be computed says so, in brackets)."""
        entries = {v.name: v for v in self.step.values}

        def filled(match) -> str:
            try:
                return self.value_text(entries[match.group(1)])
            except NntermError as err:
                return f"[{err}]"
        return PLACEHOLDER.sub(filled, self.step.text if source is None else source)

    def claims(self, after: bool = False) -> list[tuple[object, bool, str]]:
        """(claim, held, what was seen) for each of the step's claims about the screen as it opens
        (`after`: once its task is done), on the live state; a claim that cannot be evaluated here
        does not hold, and its sentence is what was seen."""
        chosen = [claim for claim in self.step.claims if claim.after == after]
        if not chosen:
            return []
        values = self.values()
        out = []
        for claim in chosen:
            try:
                held, seen = claims.evaluate(self, claim, values)
            except NntermError as err:
                held, seen = False, str(err)
            out.append((claim, held, seen))
        return out

    def task(self) -> str:
        """What the step asks, in words: the question, or the thing to do."""
        step = self.step
        if step.question is not None:
            return _("{ask} (type a number; {allowed} counts as right)").format(ask=step.question.ask,
                                                                               allowed=step.question.allowed())
        if step.check is not None:
            said = step.check.ask or words(step.check.name, step.check.args)
            said = said[:1].upper() + said[1:]
            return said if said.endswith((".", "。")) else _("{task}.").format(task=said)     # a sentence ends with its stop
        return ""

    # --- answering --------------------------------------------------------------------------------
    def answer(self, typed: str) -> Verdict:
        """Judges a typed answer against the live value; not a number: a sentence and another try."""
        question = self.step.question
        if question is None:
            return Verdict(False, _("this step asks no number: do what it says, then c checks it") if self.step.check
                           else _("this step asks no number"))
        try:
            guess = parse_number(typed, _("your answer"), example=NUMBER_EXAMPLE)
        except NntermError as err:
            return Verdict(False, _("{problem}; try again").format(problem=err))
        try:
            truth = self.value(question.quantity, question.args)
        except NntermError as err:
            self.problem = str(err)
            return Verdict(False, _("{problem} — s skips this step").format(problem=err))
        allowed = question.tolerance * abs(truth) if question.relative else question.tolerance
        if abs(guess - truth) <= allowed:
            self.unlocked = True
            return Verdict(True, _(RIGHT[quantities.QUANTITIES[question.quantity].screen]).format(
                truth=exact(truth), guess=exact(guess), allowed=question.allowed()))
        hint = self.hints_shown < len(self.step.hints)
        if guess > truth:
            said = (_("not yet: {guess} is too high (not {allowed}) — try again, or h for a hint") if hint
                    else _("not yet: {guess} is too high (not {allowed}) — try again"))
        else:
            said = (_("not yet: {guess} is too low (not {allowed}) — try again, or h for a hint") if hint
                    else _("not yet: {guess} is too low (not {allowed}) — try again"))
        return Verdict(False, said.format(guess=exact(guess), allowed=question.allowed()))

    def check(self) -> Verdict:
        """Tests the step's task on the live state."""
        task = self.step.check
        if task is None:
            return Verdict(False, _("this step asks for a number: type it"))
        what = words(task.name, task.args)
        try:
            passed = bool(CHECKS[task.name].passed(self, **given(CHECKS[task.name], task.args)))
        except NntermError as err:
            return Verdict(False, _("{problem} — s skips this step").format(problem=self.error(str(err))))
        if passed:
            self.unlocked = True
            return Verdict(True, _("done: you did it — {task}").format(task=what))
        return Verdict(False, (_("not yet: {task} (h for a hint)") if self.hints_shown < len(self.step.hints)
                               else _("not yet: {task}")).format(task=what))

    def show_me(self) -> Verdict:
        """Does the step's task the way a learner would, then checks it (the "show me" key)."""
        task = self.step.check
        if task is None:
            return Verdict(False, _("show me does a task; this step asks for a number"))
        try:
            CHECKS[task.name].show(self, **given(CHECKS[task.name], task.args))
        except NntermError as err:
            return Verdict(False, str(err))
        verdict = self.check()
        if verdict.right:                  # done for the learner, not by them: said so
            return Verdict(True, _("shown: {task} — n for the next step").format(task=words(task.name, task.args)))
        return verdict

    def hint(self) -> str:
        hints = self.step.hints
        if not hints:
            return _("this step has no hint; s skips it")
        self.hints_shown = min(self.hints_shown + 1, len(hints))
        return _("hint {number} of {count}: {hint}").format(number=self.hints_shown, count=len(hints),
                                                           hint=self.text(hints[self.hints_shown - 1]))

    def skip(self) -> None:
        self.unlocked, self.skipped = True, True

    def next(self) -> bool:
        """To the next step once this one is unlocked; False when it is locked or the last."""
        if not self.unlocked or self.last:
            return False
        self.enter(self.index + 1)
        return True
