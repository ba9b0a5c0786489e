"""The Trainer owns data, network, optimizer state and history; step() trains one epoch.

Everything a view shows comes from EpochReports. Divergence and early stopping are decided
here, in words, and the weights a user had are never lost.
"""
import math
import time
from dataclasses import dataclass, field

import numpy as np

from nnterm.engine.backends import make_backend
from nnterm.engine.checkpoint import WeightFile, apply_weights, read_weights
from nnterm.data.dataset import Dataset, make_dataset
from nnterm.kernels import codes
from nnterm.engine.metrics import epoch_metrics
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

    def as_dict(self) -> dict:
        out = {"epoch": self.epoch, "train_loss": clean(self.train_loss), "val_loss": clean(self.val_loss)}
        out.update({k: clean(v) for k, v in self.metrics.items()})
        out.update({"seconds": self.seconds, "learning_rate": self.learning_rate})
        if self.stopped:
            out.update({"stopped": True, "reason": self.reason})
        return out


def clean(value: float):
    """JSON has no NaN: a missing or non-finite number is null."""
    return float(value) if value is not None and math.isfinite(value) else None


def hyper_parameters(preset: Preset, lr: float) -> np.ndarray:
    t = preset.training
    hp = np.zeros(codes.HP_SIZE)
    hp[codes.HP_LR] = lr
    hp[codes.HP_MOMENTUM] = t.momentum
    hp[codes.HP_NESTEROV] = 1.0 if t.nesterov else 0.0
    hp[codes.HP_BETA1] = t.beta1
    hp[codes.HP_BETA2] = t.beta2
    hp[codes.HP_EPS] = t.eps
    hp[codes.HP_WEIGHT_DECAY] = t.weight_decay
    hp[codes.HP_ALPHA] = t.alpha
    hp[codes.HP_L1] = t.l1
    hp[codes.HP_L2] = t.l2
    hp[codes.HP_CLIP] = t.clip_norm
    return hp


class Trainer:
    def __init__(self, preset: Preset, seed: int | None = None, backend: str | None = None,
                 data: Dataset | None = None, weights: WeightFile | None = None):
        """`weights` (else the preset's network.weights file) gives the starting weights and the
        scaler; its seed, unless one is given, keeps the data split those weights were trained on."""
        self.preset = preset
        if weights is None and preset.network.weights:
            path = preset.network.weights
            weights = read_weights(path, f" (network.weights; save one first with `nnterm train PRESET --save {path}`)")
        self.weights = weights
        if seed is None and weights is not None and weights.seed is not None:
            seed = weights.seed
        self.seed = preset.seed if seed is None else seed
        self.backend = make_backend(backend or preset.training.backend)
        out_units = preset.network.layers[-1].units
        scalers = (weights.scaler, weights.target_scaler) if weights is not None else (None, None)
        source = weights.path if weights is not None else ""
        self.data = data or make_dataset(preset.data, self.seed, preset.network.dtype, out_units,
                                         scaler=scalers[0], scaler_source=source, target_scaler=scalers[1])
        self.reset()

    # --- state -------------------------------------------------------------------------
    def reset(self) -> None:
        """Fresh weights, optimizer state and history (the same seed gives the same start)."""
        init_rng, shuffle_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(self.seed).spawn(2))
        self.shuffle_rng = shuffle_rng
        self.network = Network.from_spec(self.preset.network, self.data.n_inputs, self.preset.training.loss, init_rng)
        if self.weights is not None:              # start from the weight file (frozen layers stay as the preset says)
            apply_weights(self.weights, self.network, self.preset.network.load_layers)
        self.state = np.zeros((2, self.network.n_params), dtype=self.network.dtype)
        self.step_count = np.zeros(1, dtype=np.int64)
        self.history: list[EpochReport] = []
        self.epoch = 0
        self.best = (math.inf, 0, None)        # (val loss, epoch, params)
        self.stale_epochs = 0

    @property
    def opt_code(self) -> int:
        return codes.OPTIMIZERS.index(self.preset.training.optimizer)

    @property
    def batch_size(self) -> int:
        n = self.data.x_train.shape[0]
        return n if self.preset.training.optimizer == "gd" else min(self.preset.training.batch_size, n)

    def current_learning_rate(self) -> float:
        return learning_rate(self.preset.training, self.epoch)

    # --- training ----------------------------------------------------------------------
    def step(self) -> EpochReport:
        """Trains one epoch and reports it. On a non-finite loss or weight, the epoch is undone."""
        net, data = self.network, self.data
        lr = self.current_learning_rate()
        hp = hyper_parameters(self.preset, lr)
        order = self.shuffle_rng.permutation(data.x_train.shape[0]).astype(np.int64)
        saved = (net.params.copy(), self.state.copy(), self.step_count.copy())
        start = time.perf_counter()
        train_loss = self.backend.train_epoch(net, self.opt_code, self.state, self.step_count, hp,
                                              data.x_train, data.y_train, order, self.batch_size)
        seconds = time.perf_counter() - start
        if not (math.isfinite(train_loss) and np.isfinite(net.params).all()):
            net.params[:], self.state[:], self.step_count[:] = saved
            return self.diverged(lr, seconds)
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
        return EpochReport(self.epoch, float(train_loss), val_loss, metrics, seconds, lr)

    def diverged(self, lr: float, seconds: float) -> EpochReport:
        reason = (f"training diverged in epoch {self.epoch + 1}: the loss or a weight became infinite or NaN. "
                  f"The learning rate {lr:g} is probably too high; the weights were restored to epoch {self.epoch}.")
        last = self.history[-1] if self.history else None
        return EpochReport(self.epoch, last.train_loss if last else math.nan, last.val_loss if last else math.nan,
                           dict(last.metrics) if last else {}, seconds, lr, stopped=True, reason=reason)

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
            report.reason = f"early stopping: the validation loss has not improved for {t.patience} epochs"
            if t.restore_best and self.best[2] is not None:
                self.network.params[:] = self.best[2]
                report.reason += f"; restored the best weights, from epoch {self.best[1]} (val loss {self.best[0]:.4f})"

    def run(self, epochs: int | None = None, on_epoch=None) -> list[EpochReport]:
        """Trains up to `epochs` (default: the preset's budget); stops early on a stop report."""
        reports = []
        for _ in range(epochs if epochs is not None else self.preset.training.epochs):
            report = self.step()
            reports.append(report)
            if on_epoch is not None:
                on_epoch(report)
            if report.stopped:
                break
        return reports
