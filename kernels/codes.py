"""Integer codes shared by every kernel and by the Python layers above them.

Compiled code cannot take strings cheaply, so every name (docs/design.md, "Names") gets a small int.
The tuples below are the single source of truth for both directions (name -> code, code -> name).
"""
import numpy as np

ACTIVATIONS = ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish", "softmax")
LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU, ELU, SOFTPLUS, SWISH, SOFTMAX = range(len(ACTIVATIONS))
# The activations that act unit by unit: softmax couples a layer's units, so it is only ever an
# output layer's (the presets' rule) and never a hidden layer's or one lone neuron's.
HIDDEN_ACTIVATIONS = tuple(a for a in ACTIVATIONS if a != "softmax")

LOSSES = ("mse", "mae", "huber", "bce", "cce")
MSE, MAE, HUBER, BCE, CCE = range(len(LOSSES))

OPTIMIZERS = ("gd", "sgd", "momentum", "rmsprop", "adagrad", "adam", "adamw")
GD, SGD, MOMENTUM, RMSPROP, ADAGRAD, ADAM, ADAMW = range(len(OPTIMIZERS))

INITS = ("xavier", "he", "uniform", "zeros")

# Layout of the float64 hyper-parameter vector `hp` every training kernel takes.
# One array instead of a dozen scalars keeps a single compiled signature per dtype.
HP_LR = 0            # learning rate for this epoch (schedules change it between epochs)
HP_MOMENTUM = 1      # momentum μ (sgd/gd/momentum)
HP_NESTEROV = 2      # 1.0 for Nesterov momentum
HP_BETA1 = 3         # Adam β1
HP_BETA2 = 4         # Adam β2
HP_EPS = 5           # ε of rmsprop/adagrad/adam
HP_WEIGHT_DECAY = 6  # PyTorch `weight_decay` (L2 added to the gradient; decoupled for adamw)
HP_ALPHA = 7         # RMSprop smoothing α
HP_L1 = 8            # L1 rate on weights (not biases): penalty l1·Σ|w|
HP_L2 = 9            # L2 rate on weights (not biases): penalty (l2/2)·Σw²
HP_CLIP = 10         # max global gradient norm; 0 disables clipping
HP_SIZE = 11

# Rows per call when a kernel walks a whole split (evaluate_loss, predict): bounds the scratch
# buffers it allocates, never changes a result.
ROW_CHUNK = 4096


def pack_hyper_parameters(lr: float, momentum: float = 0.0, nesterov: bool = False, beta1: float = 0.9,
                          beta2: float = 0.999, eps: float = 1e-8, weight_decay: float = 0.0, alpha: float = 0.99,
                          l1: float = 0.0, l2: float = 0.0, clip_norm: float = 0.0) -> np.ndarray:
    """The `hp` vector, slot by slot as above; the defaults are torch.optim's."""
    hp = np.zeros(HP_SIZE)
    hp[HP_LR], hp[HP_MOMENTUM], hp[HP_NESTEROV] = lr, momentum, 1.0 if nesterov else 0.0
    hp[HP_BETA1], hp[HP_BETA2], hp[HP_EPS] = beta1, beta2, eps
    hp[HP_WEIGHT_DECAY], hp[HP_ALPHA], hp[HP_L1], hp[HP_L2], hp[HP_CLIP] = weight_decay, alpha, l1, l2, clip_norm
    return hp

# PyTorch's constants for the parametrised activations and losses.
LEAKY_SLOPE = 0.01
ELU_ALPHA = 1.0
HUBER_DELTA = 1.0
# torch.nn.utils.clip_grad_norm_'s guard in g · c / (‖g‖ + ε): a zero gradient is never divided by 0.
CLIP_EPSILON = 1e-6


def code_of(table: tuple[str, ...], name: str) -> int:
    return table.index(name)
