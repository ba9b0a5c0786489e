"""One owner of a playground session (docs/design.md, "The session and its threads").

The session holds the trainer and its generation, starts and pauses the training thread, and
offers the verbs a person uses — load a preset, edit the data, the network or the training,
reset, edit a weight, switch backend, save and load weights. Each verb returns a Change: what
happened, in one sentence, and whether the trainer was rebuilt. The TUI, the lessons and the
tests drive it alike; it never imports textual.

Threads. Every kernel call a verb needs runs off the caller's thread: the kernel warm-up, the
training thread, the snapshots the views draw from. Only one thread trains at a time: a new
one starts after the last has stopped (`pause` cancels and waits). Those threads say what
happened through `post(event)` (nnterm/session/events.py); whoever owns the caller's thread
hands each event back to `receive`, which keeps the session's own state (training or not,
kernels ready) on that one thread and drops events from a trainer since rebuilt.

Retuning — learning rate, regularisation, batch size, budget, optimizer — never stops the
training thread: the trainer takes the new settings the moment its running epoch ends.

Who trains. Only this session (and the engine itself) calls the trainer's mutators — train_epoch,
run, reset, restore, retune, set_weight, set_trainable, use_backend: lessons, checks and the
teaching screens train through `train_now`, which runs on the same training thread as a play
and posts the same events, so whatever the playground shows is what was trained
(docs/design.md, "Who drives the trainer"). Every run is numbered; its events carry the number.
"""
import threading
from dataclasses import replace

from nnterm.engine.checkpoint import read_weights, save_weights
from nnterm.runtime.paths import check_output_path
from nnterm.engine.trainer import Trainer
from nnterm.errors import NntermError
from nnterm.runtime.language import _, ngettext
from nnterm.presets import edits
from nnterm.presets.loader import load_preset
from nnterm.presets.spec import BACKENDS, Preset
from nnterm.session.events import Change, EpochsDone, KernelsReady, Notice, SnapshotReady, TrainingStopped
from nnterm.warmup.kernel_warm_up import start_warm_up
from nnterm.session.training_loop import budget_left, report_kernels, sketch_now, snapshot_now, train

PAUSE_WAIT = 10.0          # seconds pause() waits for the thread to finish its epoch
UNTIL_BUDGET = None        # play(): up to the epoch budget


def while_paused(said: str, was: bool) -> str:
    """`said`, and that training was paused for it when it was (the one home of that suffix)."""
    return _("{said} — training paused").format(said=said) if was else said


def described(changes: dict) -> str:
    """{"learning_rate": 0.3} → "learning rate 0.3"."""
    return ", ".join(f"{name.replace('_', ' ')} {value:g}" if isinstance(value, float) else f"{name.replace('_', ' ')} {value}"
                     for name, value in changes.items())


class Session:
    """`Session(preset, post=...)`, then `start()` once `post` can deliver events. `post` is
    called from the session's threads with each event; hand it back to `receive` on the thread
    that drives the session. `warm_up`: a kernel warm-up already started (else one starts).
    `trainer`: one already built for `preset` (its data perhaps read behind a screen of its own),
    which the session then owns; `reading`: the path of a big CSV the app reads meanwhile,
    `trainer` standing in on its header until `adopt_read`."""

    def __init__(self, preset: Preset, seed: int | None = None, post=None, warm_up=None,
                 trainer: Trainer | None = None, reading: str | None = None) -> None:
        if seed is not None:
            preset = replace(preset, seed=seed)
        self.trainer = trainer if trainer is not None else Trainer(preset)
        self.post = post or (lambda event: None)
        self.warm_up = warm_up
        self.reading = reading                  # a big CSV's path while it is read and `trainer` stands in (adopt_read)
        self.generation = 0                     # bumped on every rebuild
        self.kernels_ready = False
        self.play_requested: int | None = 0     # 0: none; epochs asked for while the kernels compile
        self.training = False
        self.idle = threading.Event()           # set while no training thread runs
        self.idle.set()
        self.cancel = threading.Event()
        self.thread: threading.Thread | None = None
        self.run = 0                            # the number of the last training run started
        self.last_stopped: TrainingStopped | None = None   # how that run ended, once it has
        self.epochs_per_second: float | None = None     # of the last training run
        self.rate_measured: tuple | None = None          # (epochs, seconds) that rate is the ratio of
        # The last weight file written and read, (path, epoch): what a lesson on weight files checks.
        self.weights_saved: tuple[str, int] | None = None
        self.weights_loaded: tuple[str, int] | None = None

    @property
    def preset(self) -> Preset:
        """The preset in force: with a retune that waits for the running epoch, that one."""
        return self.trainer.settings

    def start(self) -> None:
        """Starts (or adopts) the kernel warm-up; KernelsReady is posted when it is done."""
        if self.warm_up is None:
            self.warm_up = start_warm_up(self.trainer.preset, self.trainer.data)
        if not self.warm_up.ready("playground"):             # the network drawn meanwhile, where it can be
            self.sketch()
        self.run_thread(report_kernels, self.warm_up, self.post, name="nnterm-kernels-ready")

    # --- events from the threads ----------------------------------------------------------
    def receive(self, event):
        """An event a thread posted, handed back on the driving thread: updates the session
        and returns the event — or None when it is stale (from a trainer since rebuilt) or
        brings nothing new. After KernelsReady, a play asked for meanwhile has started."""
        if isinstance(event, KernelsReady):
            self.kernels_ready = True
            if self.play_requested != 0:
                epochs, self.play_requested = self.play_requested, 0
                self.play(None if epochs == -1 else epochs)
            return event
        if isinstance(event, Notice):
            return event
        late = isinstance(event, TrainingStopped) and event.run != self.run
        if late or getattr(event, "generation", self.generation) != self.generation:
            if isinstance(event, TrainingStopped) and event.failed:      # an error is said, however late
                return Notice(_("an earlier training run (run {run}) had ended: {reason}").format(run=event.run, reason=event.reason), error=True)
            return None                   # an earlier run's "stopped" never ends the one now going
        if isinstance(event, EpochsDone):
            if not event.take():
                return None
            self.epochs_per_second, self.rate_measured = event.epochs_per_second, event.measured
        elif isinstance(event, SnapshotReady) and (event.snapshot is None
                                                   or (event.snapshot.sketch and self.kernels_ready)):
            return None                   # a sketch come after the kernels: a full snapshot is on its way
        elif isinstance(event, TrainingStopped):
            self.training = False
        return event

    # --- the training thread ------------------------------------------------------------
    def play(self, epochs: int | None = UNTIL_BUDGET) -> Change:
        """Trains `epochs` epochs (default: up to the budget) in the thread. With the budget spent,
        play raises it by as much again, so a play key is never dead."""
        if self.training:
            return Change(_("already training"))
        spent = False
        if epochs is None and budget_left(self.trainer) == 0:
            budget = self.preset.training.epochs
            self.trainer.retune(edits.set_training(self.preset, epochs=self.trainer.epoch + budget))
            spent = True
        if not self.kernels_ready:
            self.play_requested = -1 if epochs is None else epochs
            said = _("training starts the moment the kernels are compiled")
        elif not self.idle.is_set():                # the last run outlived pause()'s wait
            return Change(_("the last epoch is still running; press again in a moment"), error=True)
        else:
            self.training = True
            self.start_run(epochs)
            if epochs == 1:
                said = _("training one epoch")
            elif epochs is None:
                said = _("training up to epoch {epoch}").format(epoch=self.preset.training.epochs)
            else:
                said = ngettext("training {count} epoch", "training {count} epochs", epochs).format(count=epochs)
        if spent:
            said = _("the budget was spent: raised to {epochs} epochs — {said}").format(epochs=self.preset.training.epochs, said=said)
        return Change(said)

    def step(self) -> Change:
        """One epoch."""
        return self.play(1)

    def train_now(self, epochs: int, until=None) -> Change:
        """Trains `epochs` epochs now — fewer when `until()` says it is done (asked before each
        epoch) or the training stops itself — on the training thread, posting its events like a
        play, and returns once they are trained. How lessons, checks and the teaching screens
        train: never the trainer directly. A play running is paused first. `extra["reports"]`:
        the epochs trained."""
        was = self.pause()
        if not self.idle.is_set():                  # the last run outlived pause()'s wait
            return Change(_("the last epoch is still running; try again in a moment"), error=True, paused=was)
        kept: list = []
        self.start_run(epochs, until, kept).join()
        self.training = False
        stopped = self.last_stopped
        if stopped is not None and stopped.failed:
            return Change(stopped.reason, error=True, paused=was, extra={"reports": kept})
        said = ngettext("trained {count} epoch", "trained {count} epochs", len(kept)).format(count=len(kept))
        return Change(stopped.reason if stopped is not None else said, paused=was,
                      extra={"reports": kept})

    def start_run(self, epochs: int | None, until=None, kept: list | None = None) -> threading.Thread:
        """Run number `self.run + 1` on the training thread (the caller has seen it idle)."""
        self.run += 1
        self.last_stopped = None
        self.idle.clear()
        self.cancel.clear()
        self.thread = self.run_thread(self.train_thread, self.trainer, epochs, self.generation, self.run, until, kept,
                                      name="nnterm-training")
        return self.thread

    def pause(self) -> bool:
        """Stops the training thread and waits for its epoch to end; True if it was training. An
        epoch that outlives the wait is said (a Notice): it ends on its own, and the trainer's
        mutators wait for it under its epoch lock."""
        self.play_requested = 0
        was = self.training
        if self.thread is not None and not self.idle.is_set():
            self.cancel.set()
            if not self.idle.wait(PAUSE_WAIT):
                self.post(Notice(_("the running epoch has not ended after {seconds:g} s; what you asked for waits for it")
                                 .format(seconds=PAUSE_WAIT), error=True))
        self.training = False
        return was

    def train_thread(self, trainer, epochs, generation: int, run: int = 0, until=None, kept=None) -> None:
        stopped = []                                 # held back until the thread lets go of the trainer

        def post(event) -> None:
            (stopped.append if isinstance(event, TrainingStopped) else self.post)(event)
        try:
            train(trainer, epochs, generation, self.cancel.is_set, post, run=run, until=until, kept=kept)
        except Exception as err:                     # never a traceback in the user's face
            stopped.append(TrainingStopped(generation, _("training stopped by an error: {error}").format(error=f"{err.__class__.__name__}: {err}"),
                                           failed=True, run=run))
        finally:
            if stopped:
                self.last_stopped = stopped[-1]
            # Idle first, then say so: a play asked for the moment "stopped" arrives must find
            # the thread gone, not be told the last epoch is still running.
            self.idle.set()
            for event in stopped:
                self.post(event)

    def snapshot(self) -> None:
        """A fresh snapshot of the trainer, taken in a thread (SnapshotReady), unless training
        (its thread sends them)."""
        if not self.training:
            self.run_thread(snapshot_now, self.trainer, self.generation, self.post, name="nnterm-snapshot")

    def sketch(self) -> None:
        """The network alone, drawn before its kernels are loaded (SnapshotReady, no predictions)."""
        self.run_thread(sketch_now, self.trainer, self.generation, self.post, name="nnterm-sketch")

    @staticmethod
    def run_thread(target, *args, name: str) -> threading.Thread:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        thread.start()
        return thread

    # --- verbs that rebuild the trainer -------------------------------------------------------
    def rebuild(self, preset: Preset, what: str, keep_data: bool = False, weights=None) -> Change:
        """A new Trainer for `preset` (new weights; new data unless kept); nothing changes when
        the preset cannot be built."""
        was = self.pause()
        try:
            trainer = Trainer(preset, data=self.trainer.data if keep_data else None, weights=weights)
        except NntermError as err:
            return Change(str(err), error=True, paused=was)
        return self.take_over(trainer, what, was, weights)

    def adopt_preset(self, trainer) -> Change:
        """A preset's Trainer built elsewhere (a big CSV read in a thread behind a progress
        screen) becomes the session's, as `load_preset` would have built it."""
        return self.take_over(trainer, loaded(trainer.preset), self.pause(), None)

    def adopt_read(self, trainer) -> Change:
        """The trainer on a big CSV read in the app replaces the one on its header's stand-in,
        which the app opened on while it read (nnterm/commands/early_warm_up.py): the same
        preset and the same weights (the seed and the layer sizes alone draw them). Until its
        kernels are loaded the network is drawn without predictions, as at the start."""
        self.pause()
        self.reading = None
        self.take_trainer(trainer, sketch=not self.kernels_ready)
        rows = len(trainer.data.x_train) + len(trainer.data.x_val) + len(trainer.data.x_test)
        return Change(ngettext("read {path}: {rows} row", "read {path}: {rows} rows", rows).format(
            path=trainer.preset.data.path, rows=f"{rows:,}"), rebuilt=True)

    def take_over(self, trainer, what: str, was: bool, weights) -> Change:
        self.take_trainer(trainer)
        said = (_("{what}; weights from the file") if weights is not None else _("{what}; weights re-initialised")).format(what=what)
        return Change(while_paused(said, was), rebuilt=True, paused=was)

    def take_trainer(self, trainer, sketch: bool = False) -> None:
        """`trainer` becomes the session's; its snapshot follows (a sketch: the network alone)."""
        self.trainer = trainer
        self.generation += 1
        self.epochs_per_second = self.rate_measured = None
        if sketch:
            self.sketch()
        else:
            self.snapshot()

    def load_preset(self, name: str) -> Change:
        """A bundled or saved preset by name (or a path): new data, network and settings."""
        try:
            preset = load_preset(name)
        except NntermError as err:
            return Change(str(err), error=True)
        return self.rebuild(preset, loaded(preset))

    def edit(self, change, what: str, keep_data: bool) -> Change:
        """`change(preset)` → a new preset (an nnterm.presets.edits function), rebuilt on."""
        try:
            preset = change(self.preset)
        except NntermError as err:
            return Change(str(err), error=True)
        if preset.loss != self.preset.loss:
            what = _("{what} (loss {loss} to suit it)").format(what=what, loss=preset.loss)
        return self.rebuild(preset, what, keep_data=keep_data)

    def set_data_kind(self, kind: str) -> Change:
        return self.edit(lambda p: edits.set_data_kind(p, kind), _("data: {kind}").format(kind=kind), keep_data=False)

    def set_data(self, what: str = "", **changes) -> Change:
        """noise, train_fraction, samples, features, … (DataSpec field names): new data. `what`
        is the sentence's start (default: the fields and their values)."""
        return self.edit(lambda p: edits.set_data(p, **changes), what or described(changes), keep_data=False)

    def toggle_feature(self, feature: str) -> Change:
        said = _("feature {feature} off") if feature in self.preset.data.features else _("feature {feature} on")
        return self.edit(lambda p: edits.toggle_feature(p, feature), said.format(feature=feature), keep_data=False)

    def regenerate(self) -> Change:
        return self.edit(edits.regenerate, _("new data (seed {seed})").format(seed=self.preset.seed + 1), keep_data=False)

    def edit_network(self, edit: edits.NetworkEdit) -> Change:
        """Adds or removes a layer or a neuron, or sets an activation: same data, new weights."""
        return self.edit(edit.apply, edit.said, keep_data=True)

    def set_loss(self, loss: str) -> Change:
        """Another loss is another network (the kernels read it from the layer table): new weights."""
        return self.edit(lambda p: edits.set_loss(p, loss), _("loss {loss}").format(loss=loss), keep_data=True)

    def reset(self) -> Change:
        """Fresh weights (the same seed gives the same start), epoch 0."""
        was = self.pause()
        self.trainer.reset()
        self.generation += 1
        self.epochs_per_second = self.rate_measured = None
        self.snapshot()
        return Change(while_paused(_("reset: fresh weights, epoch 0"), was), rebuilt=True, paused=was)

    # --- verbs that keep the weights -----------------------------------------------------------
    def retune(self, change, what: str) -> Change:
        """Training settings that keep the weights: `change(preset)` → a new preset. A running
        session goes on with them from its next epoch; the thread never stops."""
        try:
            preset = change(self.preset)
            self.trainer.retune(preset)
        except NntermError as err:
            return Change(str(err), error=True)
        return Change(what)

    def set_training(self, what: str = "", **changes) -> Change:
        """learning_rate, batch_size, epochs, early_stopping, … (TrainingSpec field names); the
        weights stay. `what` is the sentence (default: the fields and their values)."""
        return self.retune(lambda p: edits.set_training(p, **changes), what or described(changes))

    def set_optimizer(self, optimizer: str) -> Change:
        return self.retune(lambda p: edits.set_optimizer(p, optimizer), _("optimizer {optimizer} (its state starts afresh)").format(optimizer=optimizer))

    def set_regularization(self, kind: str, rate: float) -> Change:
        what = _("no regularisation") if kind == "none" else _("{kind} regularisation, rate {rate:g}").format(kind=kind, rate=rate)
        return self.retune(lambda p: edits.set_regularization(p, kind, rate), what)

    def set_weight(self, layer: int, source: int, target: int, value: float) -> Change:
        """Writes one weight (source −1: the bias of unit `target`)."""
        was = self.pause()
        try:
            old = self.trainer.set_weight(layer, source, target, value)
        except NntermError as err:
            return Change(str(err), error=True, paused=was)
        said = (_("bias of layer {layer} unit {target}: {old:.4f} → {value:.4f}") if source == -1
                else _("weight {source}→{target} of layer {layer}: {old:.4f} → {value:.4f}"))
        self.snapshot()
        said = said.format(layer=layer + 1, source=source + 1, target=target + 1, old=old, value=value)
        return Change(while_paused(said, was), paused=was)

    def set_trainable(self, layer: int, trainable: bool) -> Change:
        """Freezes a layer (its weights stay bit for bit while the rest trains) or lets it train
        again; between two epochs, so a running session goes on."""
        try:
            self.trainer.set_trainable(layer, trainable)
        except NntermError as err:
            return Change(str(err), error=True)
        net = self.trainer.network
        self.snapshot()
        if trainable:
            return Change(_("layer {layer} trains again ({count:,} trainable parameters)").format(layer=layer + 1, count=net.n_trainable))
        return Change(_("layer {layer} frozen: the optimizer skips its {frozen:,} parameters ({count:,} still train)").format(
            layer=layer + 1, frozen=net.layers[layer].n_params, count=net.n_trainable))

    def add_point(self, x: float, y: float, label: int) -> Change:
        """A training point of class `label` at (x, y), as ConvNetJS lets you: training goes on with it."""
        try:
            self.trainer.add_example((x, y), label)
        except NntermError as err:
            return Change(str(err), error=True)
        self.snapshot()
        names = self.trainer.data.class_names
        name = names[label] if label < len(names) else str(label)
        return Change(_("added a training point of class {name} at ({x:.2f}, {y:.2f}); {count} to learn from").format(
            name=name, x=x, y=y, count=self.trainer.data.x_train.shape[0]))

    def remove_point(self, x: float, y: float) -> Change:
        """Takes away the training point nearest to (x, y)."""
        try:
            where = self.trainer.remove_nearest((x, y))
        except NntermError as err:
            return Change(str(err), error=True)
        self.snapshot()
        return Change(_("removed the training point at ({x:.2f}, {y:.2f}); {count} to learn from").format(
            x=where[0], y=where[1], count=self.trainer.data.x_train.shape[0]))

    def switch_backend(self) -> Change:
        """The next backend that can run here, in the order auto → cpu → cuda; weights, optimizer
        state and history stay. One that cannot run (cuda without a GPU) is skipped, with its reason."""
        was = self.pause()
        current = self.preset.training.backend
        start = BACKENDS.index(current) if current in BACKENDS else 0
        skipped = []
        for name in BACKENDS[start + 1:] + BACKENDS[:start + 1]:
            try:
                self.trainer.use_backend(name)
                break
            except NntermError as err:
                skipped.append(_("{name} skipped: {reason}").format(name=name, reason=err))
        said = "; ".join([_("backend {name}").format(name=self.trainer.backend.name)] + skipped)
        return Change(while_paused(said, was), paused=was)

    # --- weight files --------------------------------------------------------------------------
    def save_weights(self, path: str) -> Change:
        """The trained weights, optimizer state and setup, as the safetensors file `nnterm train
        --save` writes (atomically)."""
        was = self.pause()
        try:
            check_output_path(path, _("the weight file"))
            save_weights(path, self.trainer)
        except NntermError as err:
            return Change(str(err), error=True, paused=was)
        except OSError as err:                       # the disk filled while writing: the old file is intact
            return Change(_("the weight file {path}: cannot be written ({reason})").format(path=path, reason=err.strerror or err),
                          error=True, paused=was)
        self.weights_saved = (path, self.trainer.epoch)
        return Change(_("saved the weights of epoch {epoch} to {file}").format(epoch=self.trainer.epoch, file=path), paused=was)

    def load_weights(self, path: str) -> Change:
        """A weight file: saved by this very setup, training goes on where it stopped; otherwise
        the network starts from its weights (refused in one sentence when they do not fit)."""
        was = self.pause()
        try:
            weights = read_weights(path)
            if self.trainer.restore(weights):
                self.snapshot()
                self.weights_loaded = (path, self.trainer.epoch)
                return Change(_("resumed {file} at epoch {epoch}").format(file=path, epoch=self.trainer.epoch), paused=was)
            change = self.rebuild(self.preset, _("loaded {file}").format(file=path), keep_data=False, weights=weights)
            if not change.error:
                self.weights_loaded = (path, self.trainer.epoch)
            return change
        except NntermError as err:
            return Change(str(err), error=True, paused=was)


def loaded(preset) -> str:
    return _("loaded preset {name}").format(name=preset.name)
