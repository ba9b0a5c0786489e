"""The nnterm app: owns the Trainer and the training thread; the playground screen shows them.

Threads (DESIGN.md §5): every kernel call runs off the UI thread — the kernel warm-up, training,
and the snapshots the views draw from. Only one thread ever touches the trainer: a new one starts
after the last has stopped (`pause_training` cancels and waits), and each message carries the
trainer generation it came from, so a report from a trainer that has since been rebuilt is dropped.
"""
import gc
import importlib
import math
import threading
from dataclasses import replace

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.worker import get_current_worker

from nnterm.presets import edits as arch
from nnterm.engine.backends import switch_backend
from nnterm.errors import NntermError
from nnterm.session.kernel_warm_up import KernelWarmUp, start_warm_up
from nnterm.presets.loader import load_preset
from nnterm.presets.spec import BACKENDS, Preset
from nnterm.engine.trainer import Trainer
from nnterm.tui.commands import PresetCommands
from nnterm.tui.messages import EpochFinished, KernelsReady, SnapshotTaken, TrainingStopped
from nnterm.tui.worker import budget_left, report_kernels, snapshot_now, train

# Screens other issues add: key → (title, "module:Class"), imported when first opened. The
# playground binds each key, pauses training, pushes Class(app.trainer) and, when the screen is
# dismissed, calls app.refresh_views(). Each screen binds `escape` to go back.
EXTRA_SCREENS: dict[str, tuple[str, str]] = {
    "i": ("Inspector", "nnterm.tui.teaching.inspector:InspectorScreen"),
    "l": ("Neuron lab", "nnterm.tui.teaching.neuron_lab:NeuronLabScreen"),
    "g": ("Price game", "nnterm.tui.teaching.price:PriceScreen"),
    "d": ("Descent race", "nnterm.tui.teaching.descent:DescentScreen"),
}

PAUSE_WAIT = 10.0          # seconds pause_training waits for the thread to finish its epoch


class NntermApp(App):
    """`NntermApp(preset, seed=None, warm_up=None)`: the playground on a preset (seed overrides the
    preset's). `warm_up` is a kernel warm-up already started (`nnterm tui` starts one before it
    imports Textual); without one, the app starts its own."""

    CSS_PATH = "playground.tcss"
    TITLE = "nnterm"
    COMMANDS = App.COMMANDS | {PresetCommands}
    BINDINGS = [Binding("b", "switch_backend", "Backend", show=False)]
    KEY_HELP = {"switch_backend": "next backend: auto → cpu → cuda, skipping one that cannot run here "
                                  "(weights and history stay)"}

    def __init__(self, preset: Preset, seed: int | None = None, warm_up: KernelWarmUp | None = None) -> None:
        super().__init__()
        if seed is not None:
            preset = replace(preset, seed=seed)
        self.trainer = Trainer(preset)
        self.warm_up = warm_up or start_warm_up(preset, self.trainer.data)
        self.generation = 0                     # bumped on every rebuild
        self.kernels_ready = False
        self.play_requested = 0                 # epochs asked for while the kernels compile
        self.training = False
        self.idle = threading.Event()           # set while no training thread runs
        self.idle.set()
        self.train_worker = None
        self.epochs_per_second = None           # of the last training run, for the status line
        self.extra_open = ""                    # the title of the extra screen on top, if one is

    @property
    def preset(self) -> Preset:
        return self.trainer.preset

    def get_default_screen(self):
        from nnterm.tui.playground.screen import PlaygroundScreen
        self.playground = PlaygroundScreen(id="playground")
        return self.playground

    # --- threads ----------------------------------------------------------------------
    @work(thread=True, exit_on_error=False, group="warm-up")
    def warm_up_thread(self) -> None:
        report_kernels(self.warm_up, self.post_message)

    @work(thread=True, exclusive=True, exit_on_error=False, group="snapshot")
    def snapshot_thread(self, trainer, generation: int) -> None:
        snapshot_now(trainer, generation, self.post_message)

    @work(thread=True, exclusive=True, exit_on_error=False, group="training")
    def train_thread(self, trainer, epochs: int, generation: int) -> None:
        worker = get_current_worker()
        stopped = []                                 # held back until the thread lets go of the trainer

        def post(message) -> None:
            (stopped.append if isinstance(message, TrainingStopped) else self.post_message)(message)
        try:
            train(trainer, epochs, generation, lambda: worker.is_cancelled, post)
        except Exception as err:                     # never a traceback in the user's face
            stopped.append(TrainingStopped(generation, f"training stopped by an error: {err.__class__.__name__}: {err}",
                                           failed=True))
        finally:
            # Idle first, then say so: a play pressed the moment "stopped" arrives must find
            # the thread gone, not be told the last epoch is still running.
            self.idle.set()
            for message in stopped:
                self.post_message(message)

    # --- what screens call -------------------------------------------------------------
    def start_training(self, epochs: int | None = None) -> str:
        """Trains `epochs` (default: what is left of the budget) in the thread; says what it did."""
        if self.training:
            return "already training"
        epochs = budget_left(self.trainer) if epochs is None else epochs
        if epochs <= 0:
            return (f"the budget of {self.preset.training.epochs} epochs is spent: "
                    "raise it in the Training panel, or press r to start again")
        if not self.kernels_ready:
            self.play_requested = epochs
            return "compiling kernels… training starts when they are ready"
        if not self.idle.is_set():                  # the last run outlived pause_training's wait
            return "the last epoch is still running; press again in a moment"
        self.training = True
        self.idle.clear()
        self.train_worker = self.train_thread(self.trainer, epochs, self.generation)
        return "training"

    def pause_training(self) -> bool:
        """Stops the training thread and waits for its epoch to end; True if it was training."""
        self.play_requested = 0
        was = self.training
        if self.train_worker is not None and not self.idle.is_set():
            self.train_worker.cancel()
            self.idle.wait(PAUSE_WAIT)
        self.training = False
        return was

    def refresh_views(self) -> None:
        """Re-snapshots the trainer (in a thread) and redraws everything; call after changing weights."""
        self.playground.show_trainer(self.trainer)
        if not self.training:
            self.snapshot_thread(self.trainer, self.generation)

    def rebuild(self, preset: Preset, what: str, keep_data: bool = False) -> bool:
        """A new Trainer for `preset` (new weights; new data unless kept); says `what` changed."""
        was = self.pause_training()
        try:
            trainer = Trainer(preset, data=self.trainer.data if keep_data else None)
        except NntermError as err:
            self.say(str(err), error=True)
            return False
        self.trainer = trainer
        self.generation += 1
        self.epochs_per_second = None
        self.playground.show_trainer(trainer, rebuilt=True)
        self.refresh_views()
        self.say(f"{what}; weights re-initialised" + (" — training paused" if was else ""))
        return True

    def retune(self, preset: Preset, what: str) -> None:
        """Training settings that keep the weights (learning rate, regularisation, batch, budget,
        optimizer): swapped between epochs; a running session goes on with them."""
        was = self.pause_training()
        old = self.trainer.preset
        self.trainer.preset = preset
        if preset.training.optimizer != old.training.optimizer:
            self.trainer.state[:] = 0                 # m, v or velocity of another rule mean nothing here
            self.trainer.step_count[:] = 0
        self.playground.show_trainer(self.trainer)
        self.say(what)
        if was:
            self.start_training()

    def reset_training(self) -> None:
        was = self.pause_training()
        self.trainer.reset()
        self.generation += 1
        self.epochs_per_second = None
        self.playground.show_trainer(self.trainer, rebuilt=True)
        self.refresh_views()
        self.say("reset: fresh weights, epoch 0" + (" — training paused" if was else ""))

    def load_named_preset(self, name: str) -> bool:
        """A bundled or saved preset by name (or a path): new data, network and settings."""
        try:
            preset = load_preset(name)
        except NntermError as err:
            self.say(str(err), error=True)
            return False
        return self.rebuild(preset, f"loaded preset {preset.name}")

    def edit_architecture(self, action: str, layer: int | None = None, value=None) -> bool:
        """What NetworkView.ArchitectureEdit asks: add_layer (the new layer's index, default just
        before the output; `value` units), remove_layer, add_neuron, remove_neuron (hidden `layer`),
        activation (`value` names it). Layers are indices into network.layers."""
        at = None if layer in (None, -1) else layer
        edits = {
            "add_layer": (lambda p: arch.add_layer(p, at, value), "added a hidden layer"),
            "remove_layer": (lambda p: arch.remove_layer(p, at), "removed a hidden layer"),
            "add_neuron": (lambda p: arch.add_neuron(p, layer), f"added a neuron to layer {(layer or 0) + 1}"),
            "remove_neuron": (lambda p: arch.remove_neuron(p, layer), f"removed a neuron from layer {(layer or 0) + 1}"),
            "activation": (lambda p: arch.set_activation(p, layer, value), f"layer {(layer or 0) + 1} activation {value}"),
        }
        if action not in edits:
            self.say(f'unknown network edit "{action}" (allowed: {", ".join(edits)})', error=True)
            return False
        change, what = edits[action]
        try:
            preset = change(self.preset)
        except NntermError as err:
            self.say(str(err), error=True)
            return False
        if preset.training.loss != self.preset.training.loss:
            what += f" (loss {preset.training.loss} to suit it)"
        return self.rebuild(preset, what, keep_data=True)

    def edit_weight(self, layer: int, source: int, target: int, value: float) -> bool:
        """Writes one weight (source −1: the bias of unit `target`) and redraws."""
        net = self.trainer.network
        try:
            block = net.layers[layer]
            if source == -1:
                old = float(block.bias[target])
            else:
                old = float(block.weight[source, target])
        except IndexError:
            self.say(f"there is no weight {source}→{target} in layer {layer + 1}", error=True)
            return False
        if not math.isfinite(value):
            self.say(f"a weight must be a finite number, not {value}", error=True)
            return False
        was = self.pause_training()
        if source == -1:
            block.bias[target] = value
            name = f"bias of layer {layer + 1} unit {target + 1}"
        else:
            block.weight[source, target] = value
            name = f"weight {source + 1}→{target + 1} of layer {layer + 1}"
        self.refresh_views()
        self.say(f"{name}: {old:.4f} → {value:.4f}" + (" — training paused" if was else ""))
        return True

    def action_switch_backend(self) -> None:
        """b: between runs, the next backend that can run here, in the order auto → cpu → cuda;
        weights, optimizer state and history stay. One that cannot run (cuda without a GPU) is
        skipped, with its reason in the status line."""
        was = self.pause_training()
        current = self.preset.training.backend
        start = BACKENDS.index(current) if current in BACKENDS else 0
        skipped = []
        for name in BACKENDS[start + 1:] + BACKENDS[:start + 1]:
            try:
                switch_backend(self.trainer, name)
                break
            except NntermError as err:
                skipped.append(f"{name} skipped: {err}")
        self.playground.show_trainer(self.trainer)
        self.say("; ".join([f"backend {self.trainer.backend.name}"] + skipped) + (" — training paused" if was else ""))

    def open_extra_screen(self, key: str) -> None:
        title, target = EXTRA_SCREENS[key]
        module, _, name = target.partition(":")
        try:
            screen_class = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError) as err:
            self.say(f"cannot open the {title}: {err}", error=True)
            return
        self.pause_training()
        self.extra_open = title                   # the playground calls back_from when it is shown again
        self.push_screen(screen_class(self.trainer))

    def back_from(self, title: str) -> None:
        """A screen may have trained or edited weights: redraw everything from the trainer."""
        self.refresh_views()
        self.say(f"back from the {title} · epoch {self.trainer.epoch}")

    def say(self, text: str, error: bool = False) -> None:
        """One line in the status bar; errors also as a notification."""
        self.playground.say(text, error=error)
        if error:
            self.notify(text, severity="error", timeout=8)

    # --- messages from the threads -------------------------------------------------------
    def on_kernels_ready(self, message: KernelsReady) -> None:
        # What Textual, Numba and the kernels have loaded by now (~180k objects) lives as long
        # as the app. Frozen, the collector stops walking it in every full collection, which
        # the UI thread often pays for: without this, one second in three of full-speed
        # training cost the UI 24 % of a core instead of 10–12 % (nnterm bench --startup).
        gc.freeze()
        self.kernels_ready = True
        self.playground.kernels_ready(message.seconds, message.error)
        self.refresh_views()
        if self.play_requested:
            epochs, self.play_requested = self.play_requested, 0
            self.start_training(epochs)

    def on_epoch_finished(self, message: EpochFinished) -> None:
        if message.generation != self.generation or not message.take():
            return
        self.epochs_per_second = message.epochs_per_second
        self.playground.show_epoch(message)

    def on_snapshot_taken(self, message: SnapshotTaken) -> None:
        if message.generation == self.generation and message.snapshot is not None:
            self.playground.show_snapshot(message.snapshot)

    def on_training_stopped(self, message: TrainingStopped) -> None:
        if message.generation != self.generation:
            return
        self.training = False
        self.playground.show_stopped(message)
        if message.diverged:
            self.notify(message.reason, title="Diverged", severity="error", timeout=10)
        elif message.failed:
            self.notify(message.reason, title="Training stopped", severity="error", timeout=10)
        elif message.early:
            self.notify(message.reason, title="Early stopping", severity="information", timeout=8)

    def action_quit(self) -> None:
        self.pause_training()
        self.exit(0)


def run_app(preset: Preset, warm_up: KernelWarmUp | None = None) -> int:
    """What `nnterm` and `nnterm tui [PRESET]` run; returns the exit status."""
    app = NntermApp(preset, warm_up=warm_up)
    app.run()
    return app.return_code or 0
