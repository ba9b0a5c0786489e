"""The Trainer owns data, network, optimizer state and history; train_epoch() trains one epoch.

Everything a view shows comes from EpochReports. Divergence and early stopping are decided
here, in words, and the weights a user had are never lost.

Its invariants are its own: callers say what they want through its verbs — retune, use_backend,
restore, set_weight, peek_batch — and no module outside it writes its fields. "Step" means one
minibatch update (step_count, kernels.trace_step, `nnterm step`); an epoch is every minibatch
of the training split once (docs/design.md, "Names").

Threads: one thread at a time trains (the session sees to it), while another — the UI — may
retune. An epoch runs under `epoch_lock`; a retune asked for meanwhile waits in `pending` and is
applied the moment that epoch ends, so the training thread never stops for a new learning rate.
"""
from nnterm.runtime.language import _, ngettext
import copy
import math
import threading
import time
from dataclasses import dataclass, field, replace

import numpy as np

from nnterm.engine.backends import make_backend
from nnterm.engine.budget import check_memory
from nnterm.engine.checkpoint import WeightFile, apply_weights, find_weight_file, read_weights, saved_run
from nnterm.engine.divergence import DivergenceWatch
from nnterm.engine.history import History
from nnterm.errors import NntermError
from nnterm.data.dataset import Dataset, make_dataset
from nnterm.kernels import codes
from nnterm.engine.evaluation import epoch_metrics
from nnterm.engine.network import Network
from nnterm.engine.schedules import learning_rate
from nnterm.presets.spec import Preset


@dataclass
class EpochReport:
    epoch: int
    train_loss: float
    val_loss: float
    metrics: dict = field(default_factory=dict)
    seconds: float = 0.0
    learning_rate: float = 0.0
    stopped: bool = False          # training should not go on (divergence, early stopping)
    reason: str = ""               # why, in words
    test_loss: float = math.nan    # on the test split, when the preset keeps one (never trained or tuned on)
    diverged: bool = False         # stopped by nnterm.engine.divergence (the weights were restored)

    def as_dict(self) -> dict:
        out = {"epoch": self.epoch, "train_loss": clean(self.train_loss), "val_loss": clean(self.val_loss)}
        if not math.isnan(self.test_loss):
            out["test_loss"] = clean(self.test_loss)
        out.update({k: clean(v) for k, v in self.metrics.items()})
        out.update({"seconds": self.seconds, "learning_rate": self.learning_rate})
        if self.stopped:
            out.update({"stopped": True, "reason": self.reason})
        if self.diverged:
            out["diverged"] = True
        return out


def clean(value: float):
    """JSON has no NaN: a missing or non-finite number is null."""
    return float(value) if value is not None and math.isfinite(value) else None


def hyper_parameters(preset: Preset, lr: float) -> np.ndarray:
    """The training settings packed as the kernels read them (kernels/codes.py names each slot)."""
    t = preset.training
    return codes.pack_hyper_parameters(lr, t.momentum, t.nesterov, t.beta1, t.beta2, t.eps, t.weight_decay, t.alpha,
                                       t.l1, t.l2, t.clip_norm)


class Trainer:
    def __init__(self, preset: Preset, seed: int | None = None, backend: str | None = None,
                 data: Dataset | None = None, weights: WeightFile | None = None):
        """`weights` (else the preset's network.weights file) gives the starting weights and the
        scaler; its seed, unless one is given, keeps the data split those weights were trained on."""
        self.preset = preset
        if weights is None and preset.network.weights:
            weights = read_weights(find_weight_file(preset.network))
        self.weights = weights
        if seed is None and weights is not None and weights.seed is not None:
            seed = weights.seed
        self.seed = preset.seed if seed is None else seed
        self.backend = make_backend(backend or preset.training.backend)
        out_units = preset.network.layers[-1].units
        scalers = (weights.scaler, weights.target_scaler) if weights is not None else (None, None)
        source = weights.path if weights is not None else ""
        check_memory(preset, data)                # before anything is allocated
        self.data = data or make_dataset(preset.data, self.seed, preset.network.dtype, out_units,
                                         scaler=scalers[0], scaler_source=source, target_scaler=scalers[1])
        check_memory(preset, self.data)           # with the data's own width, before the network
        self.epoch_lock = threading.Lock()      # held while an epoch trains
        self.pending: Preset | None = None      # a retune that waits for the running epoch to end
        self.pending_lock = threading.Lock()    # pending and preset change together, never one alone
        self.reset()

    # --- state -------------------------------------------------------------------------
    def reset(self) -> None:
        """Fresh weights, optimizer state and history (the same seed gives the same start). Under
        the epoch lock, like every mutator: an epoch running meanwhile ends on the old weights first."""
        with self.epoch_lock:
            self.start_fresh()

    def start_fresh(self) -> None:
        init_seq, shuffle_seq, fresh_seq = np.random.SeedSequence(self.seed).spawn(3)
        self.shuffle_rng = np.random.default_rng(shuffle_seq)
        # Layers a weight file does not fill start from a stream of their own: with the file's
        # seed, the first stream would deal them the very values its run started from — a
        # "fresh" head identical to the one the file's body was trained with, which scores well
        # before any fine-tuning and hides what fine-tuning does.
        partial = self.weights is not None and 0 < self.preset.network.load_layers < len(self.preset.network.layers)
        init_rng = np.random.default_rng(fresh_seq if partial else init_seq)
        self.network = Network.from_spec(self.preset.network, self.data.n_inputs, self.preset.loss, init_rng)
        if self.weights is not None:              # start from the weight file (frozen layers stay as the preset says)
            apply_weights(self.weights, self.network, self.preset.network.load_layers)
        # w₀, the weights this run began with (the random start, or a weight file's): the unit-image
        # view draws w − w₀, what training has changed, without the start's noise.
        self.start_params = self.network.params.copy()
        self.state = np.zeros((2, self.network.n_params), dtype=self.network.dtype)
        self.step_count = np.zeros(1, dtype=np.int64)
        self.history: list[EpochReport] = History()      # bounded over any number of epochs
        self.epoch = 0
        self.best = (math.inf, 0, None)        # (val loss, epoch, params)
        self.stale_epochs = 0
        self.divergence = DivergenceWatch()

    @property
    def opt_code(self) -> int:
        return codes.OPTIMIZERS.index(self.preset.training.optimizer)

    @property
    def batch_size(self) -> int:
        n = self.data.x_train.shape[0]
        return n if self.preset.training.optimizer == "gd" else min(self.preset.training.batch_size, n)

    def current_learning_rate(self) -> float:
        return learning_rate(self.preset.training, self.epoch)

    # --- verbs -------------------------------------------------------------------------
    def retune(self, preset: Preset) -> None:
        """New training settings that keep the weights (learning rate, regularisation, batch size,
        budget, optimizer, early stopping): at once when no epoch is running, else the moment
        the running one ends. Safe from any thread. Another optimizer starts its state afresh
        (the velocity, m or v of one rule mean nothing to another)."""
        if preset.data != self.preset.data or preset.network != self.preset.network or preset.seed != self.preset.seed:
            raise NntermError(_("retune changes training settings only; data, network or seed need a new trainer"))
        if preset.training.backend != self.preset.training.backend:
            raise NntermError(_("retune keeps the backend; use_backend switches it (and says when it cannot run here)"))
        with self.pending_lock:
            self.pending = preset
        if self.epoch_lock.acquire(blocking=False):
            try:
                self.apply_pending()
            finally:
                self.epoch_lock.release()

    def apply_pending(self) -> None:
        """Takes a waiting retune; called with the epoch lock held, so no kernel runs meanwhile."""
        with self.pending_lock:
            preset, self.pending = self.pending, None
            if preset is None:
                return
            if preset.training.optimizer != self.preset.training.optimizer:
                self.state[:] = 0
                self.step_count[:] = 0
            self.preset = preset

    @property
    def settings(self) -> Preset:
        """The preset in force from the next epoch on: a waiting retune, else the current one.
        What a further retune should start from, so two quick ones never undo each other."""
        with self.pending_lock:
            return self.pending or self.preset

    def use_backend(self, name: str) -> None:
        """Runs the next epochs on backend `name` and records it in the preset (a saved preset
        keeps it). Weights, optimizer state and history stay: between epochs the host arrays are
        the truth for every backend. Raises the NntermError sentence, changing nothing, when
        `name` cannot run here (cuda without a GPU)."""
        backend = make_backend(name)
        with self.epoch_lock:
            self.apply_pending()
            self.backend = backend
            self.preset = replace(self.preset, training=replace(self.preset.training, backend=name))

    def restore(self, weights: WeightFile) -> bool:
        """Continues a run saved by this very setup exactly where it stopped: weights, optimizer
        state, step count, shuffling and epoch. False, changing nothing, for a file that cannot
        resume this trainer (another setup, or no training state)."""
        run = saved_run(weights, self)
        if run is None:
            return False
        with self.epoch_lock:
            apply_weights(weights, self.network)       # every layer, even where the preset loads only some
            self.state[...] = run.state
            self.step_count[0] = run.step
            self.shuffle_rng.bit_generator.state = run.shuffle_state
            self.epoch = run.epoch
            # Epochs trained past the file's are gone: the status line and the loss chart read the history.
            self.history = History(report for report in self.history if report.epoch <= self.epoch)
            if run.early_stopping is not None:        # so a resumed run stops where an unbroken one would
                self.best, self.stale_epochs = run.early_stopping
        return True

    def set_weight(self, layer: int, source: int, target: int, value: float) -> float:
        """Writes one weight (source −1: the bias of unit `target`); returns the old value."""
        if not math.isfinite(value):
            raise NntermError(_("a weight must be a finite number, not {value}").format(value=value))
        layers = self.network.layers
        if not 0 <= layer < len(layers) or not -1 <= source < layers[layer].fan_in or not 0 <= target < layers[layer].units:
            raise NntermError(_("there is no weight {source}→{target} in layer {layer}").format(source=source + 1, target=target + 1, layer=layer + 1))
        block = layers[layer]
        with self.epoch_lock:
            if source == -1:
                old, block.bias[target] = float(block.bias[target]), value
            else:
                old, block.weight[source, target] = float(block.weight[source, target]), value
        return old

    def set_trainable(self, layer: int, trainable: bool) -> None:
        """Freezes layer `layer` (the optimizer skips its weights and bias, so they stay bit for bit)
        or lets it train again; the preset says so too, so a saved file and the summary agree."""
        layers = list(self.preset.network.layers)
        if not 0 <= layer < len(layers):
            raise NntermError(_("there is no layer {layer}: the network has layers 1 … {layers_count}").format(layer=layer + 1, layers_count=len(layers)))
        if not trainable and not any(spec.trainable for i, spec in enumerate(layers) if i != layer):
            raise NntermError(_("cannot freeze layer {layer}: every other layer is frozen, so nothing would be left to train; let one train again first").format(layer=layer + 1))
        with self.epoch_lock:
            self.apply_pending()
            self.network.layers[layer].trainable = trainable
            layers[layer] = replace(layers[layer], trainable=trainable)
            with self.pending_lock:
                self.preset = replace(self.preset, network=replace(self.preset.network, layers=tuple(layers)))

    def add_example(self, point, label: int) -> None:
        """A training point of class `label` at `point` of the plane (2-D data), added between two
        epochs; the scaler stays as fitted, so the rest of the data means what it meant."""
        data = self.data
        if not data.raw_2d or data.task == "regression":
            raise NntermError(_("points can be added by hand only to data of two inputs with classes"))
        classes = max(2, data.n_classes)
        if not 0 <= label < classes:
            raise NntermError(_("class {label} does not exist: the data has classes 0 … {last}").format(label=label, last=classes - 1))
        x = data.inputs_for_points(np.asarray([point], dtype=np.float64))
        y = np.eye(classes)[[label]] if data.y_train.shape[1] > 1 else np.array([[float(label)]])
        with self.epoch_lock:
            data.x_train = np.vstack([data.x_train, x]).astype(data.x_train.dtype)
            data.y_train = np.vstack([data.y_train, y]).astype(data.y_train.dtype)
            data.points_train = np.vstack([data.points_train, np.asarray([point], dtype=data.points_train.dtype)])

    def remove_nearest(self, point) -> tuple[float, float]:
        """Takes away the training point nearest to `point` (2-D data); returns where it was."""
        data = self.data
        if not data.raw_2d or data.points_train is None or data.points_train.shape[0] <= 1:
            raise NntermError(_("there is no training point to remove (one at least stays)"))
        with self.epoch_lock:
            i = int(np.argmin(((data.points_train - np.asarray(point)) ** 2).sum(axis=1)))
            where = tuple(float(v) for v in data.points_train[i])
            keep = np.arange(data.points_train.shape[0]) != i
            data.x_train, data.y_train, data.points_train = data.x_train[keep], data.y_train[keep], data.points_train[keep]
        return where

    def peek_batch(self) -> np.ndarray:
        """The rows of the first minibatch the next epoch will train on (its shuffle, not consumed)."""
        rng = copy.deepcopy(self.shuffle_rng)
        order = rng.permutation(self.data.x_train.shape[0]).astype(np.int64)
        return order[:self.batch_size]

    # --- training ----------------------------------------------------------------------
    def train_epoch(self) -> EpochReport:
        """Trains one epoch (every minibatch once) and reports it. On a non-finite loss or
        weight, or a loss past the divergence rule (nnterm.engine.divergence), the best recent
        epoch's weights come back and the report says so. A retune asked for meanwhile applies as it ends."""
        with self.epoch_lock:
            self.apply_pending()
            report = self.train_one_epoch()
            self.apply_pending()
        return report

    def train_one_epoch(self) -> EpochReport:
        net, data = self.network, self.data
        lr = self.current_learning_rate()
        hp = hyper_parameters(self.preset, lr)
        order = self.shuffle_rng.permutation(data.x_train.shape[0]).astype(np.int64)
        self.divergence.begin(self.epoch, net.params, self.state, self.step_count,
                              lambda: self.backend.evaluate_loss(net, data.x_train, data.y_train))
        start = time.perf_counter()
        train_loss = self.backend.train_epoch(net, self.opt_code, self.state, self.step_count, hp,
                                              data.x_train, data.y_train, order, self.batch_size)
        seconds = time.perf_counter() - start
        why = self.divergence.problem(self.epoch + 1, train_loss, net.params)
        if why:
            return self.diverged(why, lr, seconds)
        self.divergence.healthy(self.epoch + 1, train_loss, net.params, self.state, self.step_count)
        self.epoch += 1
        report = self.evaluate(train_loss, seconds, lr)
        self.history.append(report)
        self.watch_early_stopping(report)
        return report

    def evaluate(self, train_loss: float, seconds: float, lr: float) -> EpochReport:
        data, net = self.data, self.network
        has_val = data.x_val.shape[0] > 0
        val_loss = self.backend.evaluate_loss(net, data.x_val, data.y_val) if has_val else math.nan
        x, y = (data.x_val, data.y_val) if has_val else (data.x_train, data.y_train)
        metrics = epoch_metrics(data.task, data.in_target_units(self.backend.predict(net, x)), data.in_target_units(y))
        prefix = "val_" if has_val else ""               # Keras's names: val_accuracy is on the validation split
        metrics = {prefix + name: value for name, value in metrics.items()}
        test_loss = self.backend.evaluate_loss(net, data.x_test, data.y_test) if data.x_test.shape[0] else math.nan
        return EpochReport(self.epoch, float(train_loss), val_loss, metrics, seconds, lr, test_loss=test_loss)

    def diverged(self, why: str, lr: float, seconds: float) -> EpochReport:
        """Back to the best recent epoch: its weights, optimizer state and place in the history."""
        failed = self.epoch + 1
        self.epoch = self.divergence.restore(self.network.params, self.state, self.step_count)
        self.history = History(report for report in self.history if report.epoch <= self.epoch)
        reason = self.divergence.sentence(failed, why, self.epoch, lr)
        last = self.history[-1] if self.history else None
        return EpochReport(self.epoch, last.train_loss if last else math.nan, last.val_loss if last else math.nan,
                           dict(last.metrics) if last else {}, seconds, lr, stopped=True, reason=reason, diverged=True)

    def watch_early_stopping(self, report: EpochReport) -> None:
        t = self.preset.training
        if not t.early_stopping or not math.isfinite(report.val_loss):
            return
        if report.val_loss < self.best[0] - t.min_delta:
            self.best = (report.val_loss, report.epoch, self.network.params.copy())
            self.stale_epochs = 0
            return
        self.stale_epochs += 1
        if self.stale_epochs >= t.patience:
            report.stopped = True
            restored = t.restore_best_weights and self.best[2] is not None
            if restored:
                self.network.params[:] = self.best[2]
                # The epoch first: an 80-column status line cuts the rest (it lost "restored … from epoch 3").
                reason = ngettext("early stopping restored the best weights, from epoch {epoch}: the validation loss, "
                                  "{loss:.4f} there, had not improved for {count} epoch",
                                  "early stopping restored the best weights, from epoch {epoch}: the validation loss, "
                                  "{loss:.4f} there, had not improved for {count} epochs", t.patience)
            else:
                reason = ngettext("early stopping: the validation loss has not improved for {count} epoch",
                                  "early stopping: the validation loss has not improved for {count} epochs", t.patience)
            report.reason = reason.format(count=t.patience, epoch=self.best[1], loss=self.best[0])

    def run(self, epochs: int | None = None, on_epoch=None) -> list[EpochReport]:
        """Trains up to `epochs` (default: the preset's budget); stops early on a stop report."""
        reports = History()
        for _epoch in range(epochs if epochs is not None else self.preset.training.epochs):
            report = self.train_epoch()
            reports.append(report)
            if on_epoch is not None:
                on_epoch(report)
            if report.stopped:
                break
        return reports
