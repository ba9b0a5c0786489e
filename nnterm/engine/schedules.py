"""Learning-rate schedules, evaluated per epoch as PyTorch's lr_scheduler classes are."""
import math

from nnterm.presets.spec import TrainingSpec


def learning_rate(spec: TrainingSpec, epoch: int) -> float:
    """The learning rate for 0-based `epoch`."""
    lr0 = spec.learning_rate
    if spec.schedule == "step":
        return lr0 * spec.gamma ** (epoch // spec.step_size)          # StepLR
    if spec.schedule == "exponential":
        return lr0 * spec.gamma ** epoch                              # ExponentialLR
    if spec.schedule == "cosine":
        # CosineAnnealingLR: η_min + (η₀ − η_min)(1 + cos(π·e/T))/2, T = the epoch budget
        t = min(epoch, spec.epochs)
        return spec.min_learning_rate + (lr0 - spec.min_learning_rate) * (1 + math.cos(math.pi * t / spec.epochs)) / 2
    return lr0
