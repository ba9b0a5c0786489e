"""One lesson, a step at a time: where you are, the step's words, its live numbers, what it asks,
the verdict, a hint. The answer box takes a number (enter judges it against the live value); the
letter keys act while it is empty. `o` opens the step's screen set up as the step says (escape comes
back, from the playground too); a task is checked again on the way back.

The numbers come from the LessonRun (nnterm/lessons/runner.py); this screen only shows them.
A step's setup and "show me" can train a few hundred epochs: they run in a worker thread, the
screen says "setting up…" and its keys answer meanwhile (each lesson key waits with a sentence,
for the state it would read is being changed); the headless runner stays synchronous.
"""
import importlib
import re

from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from nnterm.lessons.checks import words
from nnterm.lessons.format import SCREENS
from nnterm.runtime.language import N_, _
from nnterm.runtime.visible import visible
from nnterm.tui.guard import on_top
from nnterm.tui.dialogs.explain_screen import KEY as EXPLAIN_KEY     # here it opens the step's screen, explained
from nnterm.tui.lessons.desk import desk_of
from nnterm.tui.lessons.notice import notices_on_top, notices_where_they_were
from nnterm.tui.teaching import KERNEL_GROUPS
from nnterm.tui.widgets.wrapped_text import WrappedText



def shown(text: str) -> str:
    """A lesson's words as the terminal gets them: a user's lesson file is untrusted, so every
    hidden character (an escape sequence, a bidi override) is shown escaped; its newlines stay."""
    return visible(text, keep_newlines=True)


# The lesson's own keys; while the answer box holds text a letter is typed into it instead.
LETTERS = {"o": "open_step", "c": "check", "m": "show_me", "h": "hint", "s": "skip", "n": "next", "b": "back"}
KEYS = N_("enter answer · o open the screen · X explain its numbers · h hint · s skip\n"     # two lines that fit 80
          "n next · b back · c check · m show me · ? where · esc track")
# A step with no question has no answer box: its keys begin with what its task needs instead.
TASK_KEYS = N_("o open the screen · c check · m show me · X explain its numbers · h hint\n"
               "s skip · n next · b back · ? where · esc track")
NOTICE_SECONDS = 5              # the notice of what a step asks, over the screen it opens
STEPS_FROM_WIDTH = 120          # wider terminals list the lesson's steps beside the step
KEYS_SPELLED_FROM_HEIGHT = 40   # taller ones spell each key out under the answer box, not in one line
# The lesson's keys, one a line, for a tall terminal.
KEYS_SPELLED = (("enter", N_("judges the number typed in the answer box")),
                ("o", N_("opens the step's screen; escape comes back")),
                ("h", N_("a hint, one more each time")), ("s", N_("skips this step")),
                ("n / b", N_("the next step (once this one is done) / the one before")),
                ("c", N_("checks a task you did on its screen")), ("m", N_("show me: does the task for you")),
                ("?", N_("where you are in the track")),
                ("X", N_("opens the step's screen with its numbers explained: each formula filled in")),
                ("escape", N_("the track of lessons")))
# A step's screen → the teaching screen's key in nnterm/tui/teaching (SCREENS, KERNEL_GROUPS) and its class.
TEACHING = {"inspector": ("i", "nnterm.tui.teaching.inspector:InspectorScreen"),
            "neuron_lab": ("l", "nnterm.tui.teaching.neuron_lab:NeuronLabScreen"),
            "price": ("g", "nnterm.tui.teaching.price:PriceScreen"),
            "descent": ("d", "nnterm.tui.teaching.descent:DescentScreen"),
            "metrics": ("", "nnterm.tui.dialogs.metrics_screen:MetricsScreen"),
            "summary": ("", "nnterm.tui.dialogs.summary_screen:SummaryScreen"),
            "unit_images": ("", "nnterm.tui.dialogs.unit_images_screen:UnitImagesScreen")}
# The dialogs a step may open that show a trainer (the teaching screens take the session).
TAKES_THE_TRAINER = {"metrics", "summary"}
# Which attribute of a teaching screen holds the lesson's teach object (handed over, read back).
HANDED = {"neuron_lab": ("neuron", "neuron"), "price": ("game", "price"), "descent": ("race", "race")}


def trainer_mark(session) -> tuple[int, int]:
    """Which network the session holds and how far it has trained: a step's setup that moves either
    changed what the playground's status line was talking about."""
    return session.generation, session.trainer.epoch


def caught_up(app, mark: tuple[int, int], run, fresh: bool = False) -> None:
    """The playground shows a trainer a lesson's setup rebuilt (a preset loaded, a reset); a lesson
    just opened starts its loss chart clean (no run of another lesson beside it), and runs a step
    trained side by side (setup `compare`) are drawn beside the live one, labelled. A setup that
    changed the network leaves no verdict about the one before on the status line: it says the step
    set it up, or the overfitting of the network it set up."""
    playground = app.playground
    playground.show_trainer(app.session.trainer, rebuilt=app.session.generation != mark[0])
    chart = playground.loss_chart
    if fresh:
        chart.clear_runs()
    if run.compared:
        chart.runs = [(label, [r.epoch for r in reports], [r.train_loss for r in reports], [r.val_loss for r in reports])
                      for label, reports in run.compared[:-1]]
        chart.update_title()
        chart.refresh()
    if trainer_mark(app.session) != mark:
        at, _count = run.position              # not _: that is the translation here
        playground.say(_("lesson {at}, step {step} set this network up").format(at=at, step=run.index + 1))
        playground.overfitting_said = None
        playground.say_overfitting()


class AnswerBox(Input):
    """The answer box: while empty it leaves the lesson's letter keys (and ?) to the screen."""

    def leaves(self, character: str | None) -> bool:
        """The lesson's letters while the box is empty; X (explain, never part of a number) always."""
        if character == EXPLAIN_KEY:
            return True
        return character is not None and (character in LETTERS or character == "?") and not self.value

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return False if self.leaves(character) else super().check_consume_key(key, character)

    async def _on_key(self, event) -> None:
        if self.leaves(event.character):            # not typed: the screen's key
            event.stop()
            event.prevent_default()
            action = {"?": "where", EXPLAIN_KEY: "explain"}.get(event.character, f"letter('{event.character}')")
            await self.screen.run_action(action)
            return
        await super()._on_key(event)


class LessonScreen(Screen):
    BINDINGS = [Binding("escape", "track", "track"), Binding("question_mark", "where", "where"),
                Binding(EXPLAIN_KEY, "explain", "explain"),
                *[Binding(key, f"letter('{key}')", action) for key, action in LETTERS.items()]]

    DEFAULT_CSS = """
    LessonScreen { layout: vertical; }
    LessonScreen #lesson-where { height: auto; padding: 0 1; background: $boost; }
    LessonScreen #lesson-middle { height: 1fr; }
    LessonScreen #lesson-scroll { width: 1fr; }
    LessonScreen #lesson-steps { width: 48; padding: 0 1; border-left: solid $primary 50%; }
    LessonScreen #lesson-body { padding: 0 1; }
    LessonScreen #lesson-answer { margin: 1 1 0 1; background: $boost; }
    LessonScreen #lesson-keys { height: auto; padding: 0 1; color: $text-muted; }
    LessonScreen #lesson-keys-spelled { margin: 2 1 0 1; padding: 1 2; border: round $primary 40%; width: auto; }
    """

    def __init__(self, run, open_track) -> None:
        """`open_track()` builds the track screen (nnterm/tui/lessons/opening.py)."""
        super().__init__()
        self.run = run
        self.open_track = open_track
        self.verdict: Text | None = None       # what the last answer or check got
        self.hint_text = ""
        self.opened = None                     # the teaching screen opened with o, until it is gone
        self.busy = ""                         # what runs in the worker thread, in words; "" when nothing
        self.busy_where = ""                   # where() when it began (the run's step moves while it runs)

    def compose(self):
        yield Static(id="lesson-where")
        with Horizontal(id="lesson-middle"):
            with VerticalScroll(id="lesson-scroll"):      # the answer box right under what it answers
                yield WrappedText(id="lesson-body")
                yield AnswerBox(placeholder=_("your answer: a number, then enter"), id="lesson-answer", compact=True)
                yield Static(id="lesson-keys-spelled")
            yield WrappedText(id="lesson-steps")
        yield Static(id="lesson-keys")

    @property
    def desk(self):
        return desk_of(self.app)

    @property
    def answer_box(self) -> Input:
        return self.query_one("#lesson-answer", Input)

    def on_resize(self) -> None:
        # query(), not query_one(): a resize can reach the screen while it is taken down, its
        # widgets already gone (fast keys and a resizing terminal together, at Textual 3.2)
        self.query("#lesson-steps").set(display=self.size.width >= STEPS_FROM_WIDTH)
        tall = self.size.height >= KEYS_SPELLED_FROM_HEIGHT
        self.query("#lesson-keys-spelled").set(display=tall)
        self.query("#lesson-keys").set(display=not tall)

    def asks_a_number(self) -> bool:
        return self.run.step.question is not None and not self.run.unlocked

    def keys_spelled(self) -> Table:
        table = Table(box=None, show_header=False, padding=(0, 2), title=_("keys"), title_justify="left",
                      title_style="bold")
        table.add_column(style="bold")
        table.add_column(style="dim")
        for key, does in KEYS_SPELLED:
            if key != "enter" or self.asks_a_number():
                table.add_row(key, _(does))
        return table

    def show_keys(self) -> None:
        """The footer and the spelled-out keys for this step: enter only where a number is asked."""
        self.query_one("#lesson-keys", Static).update(Text(_(KEYS if self.asks_a_number() else TASK_KEYS), style="dim"))
        self.query_one("#lesson-keys-spelled", Static).update(self.keys_spelled())

    def on_mount(self) -> None:
        self.app.session.pause()
        if self.desk.step_open:                            # back from the playground a step opened
            self.app.clear_notifications()                 # its notice said what this screen says
            notices_where_they_were(self.app.playground)
        self.desk.step_open = False
        if self.desk.waiting is not None:          # a lesson just opened: its setups up to its step
            mark = trainer_mark(self.app.session)
            self.off_thread(_("setting up the lesson…"), self.desk.ready, lambda _: self.entered(mark, check=True))
            return
        if self.run.step.check is not None and not self.run.unlocked:
            self.judged(self.run.check())          # back from the playground (L): done, or "not yet: …"
        self.redraw()

    # --- work off the UI thread ------------------------------------------------------------------
    def off_thread(self, words: str, work, then) -> None:
        """Runs `work()` in a worker thread, saying `words` meanwhile; `then(result)` on the UI thread.
        A failure that is no sentence of the lesson's own is said in one, never a traceback."""
        self.busy, self.busy_where = words, self.run.where()
        self.redraw()

        def job() -> None:
            try:
                result = work()
            except Exception as err:            # never a traceback in the learner's face
                result = RuntimeError(_("{work} stopped: {error}").format(work=words.rstrip("…"),
                                                                          error=f"{err.__class__.__name__}: {err}"))
            self.app.call_from_thread(done, result)

        def done(result) -> None:
            self.busy = ""
            if isinstance(result, RuntimeError):
                self.verdict = Text(str(result), style="bold red")
            else:
                then(result)
            self.redraw()
        self.run_worker(job, thread=True, group="lesson-setup", exit_on_error=False)

    def waits(self) -> bool:
        """True (and said) while a setup runs: the keys that read or change the lesson wait for it."""
        if self.busy:
            self.notify(_("{work} a moment: this key works once it is done").format(work=self.busy), timeout=3)
        return bool(self.busy)

    def entered(self, mark: tuple[int, int], check: bool = False) -> None:
        """A step entered: the playground shows what its setup did, and where the run stands is saved;
        with `check`, a task already done (on the playground, before the lesson was reopened) says so."""
        caught_up(self.app, mark, self.run, fresh=self.desk.fresh)
        self.desk.fresh = False
        self.verdict, self.hint_text = None, ""
        self.save()
        if check and self.run.step.check is not None and not self.run.unlocked:
            verdict = self.run.check()             # a task already done (on the playground, before) says so
            if verdict.right:
                self.judged(verdict)

    def on_screen_resume(self) -> None:
        """Back from the step's screen: its teach object is the lesson's now, and a task is checked."""
        self.desk.step_open = False
        if self.opened is not None:
            self.app.clear_notifications()                 # the step's notice said what this screen says
            screen, self.opened = self.opened, None
            handed = HANDED.get(self.run.step.screen)
            if handed is not None and hasattr(screen, handed[0]):
                setattr(self.run, handed[1], getattr(screen, handed[0]))
            if self.run.step.check is not None and not self.run.unlocked:
                self.judged(self.run.check())
        self.redraw()

    def retranslate(self) -> None:
        """A live switch of language: the lesson's words in the new language where it has them (the
        same steps and checks: the learner's place stays), and the screen's own words again."""
        self.desk.speak()
        self.verdict, self.hint_text = None, ""          # said in the language it was said in
        if self.query("#lesson-keys"):
            self.answer_box.placeholder = _("your answer: a number, then enter")
        self.redraw()

    # --- drawing ---------------------------------------------------------------------------------
    def redraw(self) -> None:
        if not self.is_attached or not self.query("#lesson-body"):   # popped while its worker ran: nothing to draw on
            return
        if self.busy:                              # the run's state is changing in the worker: words only
            self.query_one("#lesson-where", Static).update(Text(self.busy_where, style="bold"))
            self.query_one("#lesson-body", Static).update(Text(self.busy, style="bold"))
            self.answer_box.display = False
            return
        run = self.run
        step = run.step
        self.query_one("#lesson-where", Static).update(Text(shown(run.where()), style="bold"))
        body = Text(shown(run.text()))
        rows = run.shown()
        if rows:
            table = Table(box=None, show_header=False, padding=(0, 1))
            table.add_column(style="dim")
            table.add_column(style="bold")
            for words, value in rows:
                table.add_row(shown(words), value)
        else:
            table = None
        parts = [body]
        if table is not None:
            parts += [Text(""), table]
        if run.problem:
            parts += [Text(""), Text(_("{problem} — s skips this step").format(problem=run.problem), style="bold red")]
        task = run.task()
        if task:
            parts += [Text(""), Text(shown(task), style="bold")]
        if self.verdict is not None:
            parts += [self.verdict]
        if self.hint_text:
            parts += [Text(shown(self.hint_text), style="italic")]
        parts += [Text(""), Text(self.status(), style="dim")]
        from rich.console import Group
        self.query_one("#lesson-body", Static).update(Group(*parts))
        self.query_one("#lesson-steps", Static).update(self.steps_list())
        box = self.answer_box
        box.display = self.asks_a_number()
        self.show_keys()
        if box.display:
            box.focus()

    def steps_list(self) -> Text:
        """The lesson's steps: ✓ done, ↷ skipped, ▶ this one, · to come; each by what it asks."""
        run = self.run
        mine = self.desk.progress.lessons.get(run.lesson.key)
        done, skipped = (mine.done, mine.skipped) if mine is not None else (set(), set())
        out = Text(shown(run.lesson.title) + "\n", style="bold")
        for i, step in enumerate(run.lesson.steps):
            here = i == run.index
            passed = (i in done and not here) or (here and run.unlocked)
            left = (i in skipped and not here) or (here and run.skipped)
            mark = ("↷" if left else "✓") if passed else ("▶" if here else "·")
            what = (step.question.ask if step.question else step.check.ask or words(step.check.name, step.check.args)
                    if step.check else re.split(r"\. |。", step.text)[0])
            out.append(f"\n{mark} {i + 1}  {shown(what)}\n", style="bold" if here else "dim")
        return out

    def status(self) -> str:
        run = self.run
        where = _(SCREENS[run.step.screen])
        if run.unlocked:
            return (_("the lesson is done: escape for the track · o opens {screen}") if run.last
                    else _("unlocked: n for the next step · o opens {screen}")).format(screen=where)
        if run.step.check is not None:
            return _("o opens {screen}: do it there, escape comes back and it is checked").format(screen=where)
        return _("o opens {screen} to look · type the answer, then enter").format(screen=where)

    def judged(self, verdict) -> None:
        self.verdict = Text(shown(verdict.said), style="bold green" if verdict.right else "yellow")
        if verdict.right:
            self.save()

    def save(self) -> None:
        problem = self.desk.save()
        if problem:
            self.notify(problem, severity="warning", timeout=8)

    # --- keys -------------------------------------------------------------------------------------
    def action_letter(self, key: str) -> None:
        """A letter key while the answer box is empty (with text in it, the box takes the letter)."""
        if not self.waits():
            getattr(self, f"action_{LETTERS[key]}")()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.waits():
            return
        verdict = self.run.answer(event.value)
        self.judged(verdict)
        self.answer_box.value = ""                 # said back in the verdict; the box is ready for another try
        self.redraw()

    def action_where(self) -> None:
        if self.busy:
            self.notify(_("you are at {where}; {work}").format(where=self.busy_where, work=self.busy), timeout=5)
            return
        self.verdict = Text(_("you are at {where}").format(where=self.run.where()), style="italic")
        self.redraw()

    def action_hint(self) -> None:
        """The next hint, under the ones already given (the first is still needed with the second)."""
        said = self.run.hint()
        if said not in self.hint_text.split("\n"):
            self.hint_text = f"{self.hint_text}\n{said}" if self.hint_text else said
        self.redraw()

    def action_skip(self) -> None:
        self.run.skip()
        self.verdict = Text(_("skipped: n for the next step"), style="italic")
        self.save()
        self.redraw()

    def action_check(self) -> None:
        if self.run.step.check is None:
            self.verdict = Text(_("this step asks for a number: type it, then enter"), style="italic")
        else:
            self.judged(self.run.check())
        self.redraw()

    def action_show_me(self) -> None:
        def shown(verdict) -> None:
            self.judged(verdict)
            self.app.playground.show_trainer(self.app.session.trainer)
            self.app.session.snapshot()
        self.off_thread(_("showing you…"), self.run.show_me, shown)

    def action_next(self) -> None:
        run = self.run
        if not run.unlocked:
            self.verdict = Text(_("the next step unlocks once this one is done (or s skips it)"), style="yellow")
        elif run.last:
            self.verdict = Text(_("that was the last step: escape for the track"), style="italic")
        else:
            self.enter(lambda: run.next())
            return
        self.redraw()

    def action_back(self) -> None:
        if self.run.index == 0:
            self.verdict = Text(_("this is the first step"), style="italic")
            self.redraw()
            return
        self.enter(lambda: self.run.start(self.run.index - 1))

    def enter(self, move) -> None:
        """Goes to another step through `move` (its setup, in the worker), then shows what it did."""
        mark = trainer_mark(self.app.session)
        self.verdict, self.hint_text = None, ""
        self.off_thread(_("setting up the step…"), move, lambda _: self.entered(mark))

    def action_track(self) -> None:
        if not on_top(self) or self.waits():      # a key typed for it after it was covered or popped
            return
        self.save()
        self.app.switch_screen(self.open_track())

    def action_explain(self) -> None:
        """The step's screen, opened as o does, with its explanation picker over it (its formulas
        filled in with the numbers it shows)."""
        if self.waits():
            return
        self.action_open_step()
        target = self.app.playground if self.run.step.screen == "playground" else self.opened
        if target is not None and hasattr(target, "action_explain"):
            self.app.call_after_refresh(target.action_explain)

    def asked(self) -> str:
        """The notice over the step's screen, short, for a long one covers that screen (the race's
        table at 80×24): the question, else the task, else the text's first sentence."""
        step = self.run.step
        if step.question is not None:
            return step.question.ask
        if self.run.task():
            return self.run.task()
        first = re.split(r"(?<=。)|\. ", self.run.text())[0]           # the first sentence, English or Chinese
        return first if first.endswith("。") else _("{task}.").format(task=first.rstrip("."))

    def action_open_step(self) -> None:
        """The step's screen, set up as the step says: the playground, or a teaching screen over this one."""
        if not on_top(self) or self.waits():
            return
        step = self.run.step
        at, _count = self.run.position       # not _: that is the translation here
        title = _("lesson {at}, step {step} · escape comes back").format(at=at, step=self.run.index + 1)
        if step.screen == "playground":
            self.save()
            self.app.playground.show_trainer(self.app.session.trainer)
            self.desk.step_open = True
            self.app.pop_screen()
            # A notice, not the status line, and from the top: the playground's own verdicts ("stopped
            # early, …", the val figures a question asks for) stay readable beside it.
            notices_on_top(self.app.playground)
            self.app.notify(shown(self.asked()), title=title, timeout=NOTICE_SECONDS)
            return
        key, target = TEACHING[step.screen]
        module, _colon, name = target.partition(":")
        screen_class = getattr(importlib.import_module(module), name)
        session = self.app.session

        def build():
            screen = screen_class(session.trainer if step.screen in TAKES_THE_TRAINER else session)
            if step.screen == "inspector" and step.question is not None:
                asked = step.question.args
                screen.sample = max(0, int(asked.get("sample", 1)) - 1)
                if {"layer", "source", "target"} <= asked.keys():   # the weight the question names, picked
                    screen.selected = (int(asked["layer"]) - 1, int(asked["source"]) - 1, int(asked["target"]) - 1)
            handed = HANDED.get(step.screen)
            if handed is not None:
                setattr(screen, handed[0], getattr(self.run, handed[1]))
            if step.screen == "neuron_lab" and self.run.neuron_view is not None:
                screen.view = self.run.neuron_view          # the side shows what the step's text works with
            self.opened = screen
            notices_on_top(screen)                          # its footer stays readable beside the notice
            return screen
        self.app.notify(shown(self.asked()), title=title, timeout=NOTICE_SECONDS)
        warm_up, group = self.app.session.warm_up, KERNEL_GROUPS.get(key)
        if warm_up is not None and group is not None and not warm_up.ready(group):
            from nnterm.tui.teaching.compiling import CompilingScreen
            self.app.push_screen(CompilingScreen(_(SCREENS[step.screen]), group, warm_up, build))
            return
        self.app.push_screen(build())
