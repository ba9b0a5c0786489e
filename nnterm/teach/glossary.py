"""Every term the screens show, in one line each: the one table of definitions (no textual).

An explanation (nnterm/teach/explain/) names the terms it uses and the explain screen shows
their lines beside it; a screen lists the terms it shows so a person can look each one up where
it appears. Where a definition rests on a number the engine uses — what counts as saturated,
when overfitting is said — the number is read from the code that uses it, never retyped.
"""
from nnterm.engine.generalisation import RISE, WINDOW
from nnterm.kernels.codes import ELU_ALPHA, HUBER_DELTA
from nnterm.presets.kinds import ACTIVATION_FORMULAS as F, LOSS_FORMULAS
from nnterm.runtime.numbers import num
from nnterm.teach.rules import RULES
from nnterm.teach.trace import SATURATION

TERMS = {
    # --- training -------------------------------------------------------------------------------
    "epoch": "one pass over every minibatch of the training split; the status line counts them",
    "step": "one minibatch update: a forward pass, the loss, the backward pass and the optimizer's move",
    "minibatch": "the few training samples one step learns from; a new shuffle deals them each epoch",
    "batch size": "how many samples a minibatch holds (gd always uses the whole training split)",
    "full batch": "every training sample in one minibatch: one step per epoch (what gd does)",
    "learning rate": "lr, how far one step moves the weights along −gradient: too small crawls, too large diverges",
    "loss": "one number that says how wrong the network is on some samples; training makes it smaller",
    "mse": f"mean squared error, {LOSS_FORMULAS['mse']} over every output of every sample: the loss for values",
    "mae": f"mean absolute error, {LOSS_FORMULAS['mae']}: like mse but a large miss counts only linearly",
    "huber": (f"½(a − y)² for misses up to δ = {num(HUBER_DELTA)} and δ·(|a − y| − ½δ) beyond: mse near the answer, "
              "mae far from it"),
    "bce": f"binary cross-entropy, {LOSS_FORMULAS['bce']}: the loss for one sigmoid output",
    "cce": f"categorical cross-entropy, {LOSS_FORMULAS['cce']}: the loss for a softmax over several classes",
    "penalty": "l1·Σ|w| + (l2/2)·Σw² over the weights (not the biases), added to the loss the optimizer sees",
    "L1": "a penalty l1·Σ|w|: its gradient l1·sign(w) pushes every weight toward 0 by the same amount",
    "L2": "a penalty (l2/2)·Σw²: its gradient l2·w shrinks each weight in proportion to its size",
    "weight decay": "PyTorch's L2 in the gradient, g + λw (adamw decays the weight itself by lr·λ·w instead)",
    "gradient clipping": "when ‖g‖ is above the limit, g is scaled down to that length before the optimizer uses it",
    # --- splits and generalisation ------------------------------------------------------------
    "training split": "the samples the network learns from; the training loss is measured on them",
    "validation split": "samples held out of training, measured after every epoch (val_…) to see how it generalises",
    "test split": "samples never trained or tuned on, measured at the end (test_…): the honest final score",
    "validation vs test": "validation guides choices (early stopping, settings); test is kept for the final word",
    "overfitting": (f"the validation loss has stayed above its best by more than {RISE:.0%} for {WINDOW} epochs "
                    "while the training loss kept falling: the network learns the points, not the pattern"),
    "early stopping": "stops training when the validation loss has not improved for `patience` epochs, "
                      "and can bring back the best epoch's weights",
    "standardised": "an input shifted and scaled to mean 0 and spread 1 using the training split's numbers",
    # --- the network ---------------------------------------------------------------------------
    "weight": "w, how strongly one input or unit feeds the next unit: a number training adjusts",
    "bias": "b, the unit's own offset, added to its weighted sum whatever the inputs are",
    "weighted sum": "z = Σ w·a + b: each input times its weight, summed, plus the bias",
    "activation": "a = f(z), the unit's output: the activation function applied to its weighted sum",
    "unit": "one neuron: a weighted sum of the layer before, then an activation",
    "layer": "units side by side that all read the same inputs; the last layer's outputs are the answer",
    "parameter": "a number training learns: every weight and every bias (fan_in × units + units per layer)",
    "fan_in": "how many inputs each unit of a layer reads: the layer before's width",
    "frozen layer": "a layer the optimizer skips: its weights and biases stay bit for bit as they are",
    "dead unit": "a ReLU whose z ≤ 0 on every sample: it outputs 0, its slope is 0, so it can no longer learn",
    "saturated unit": (f"a sigmoid or tanh stuck within {1 - SATURATION:.0%} of a limit on every sample: "
                       "f′(z) is nearly 0 there, so almost no gradient passes"),
    "linear": f"f(z) = {F['linear']}: no bend at all (a network of linear layers is one linear map)",
    "sigmoid": f"{F['sigmoid']}, between 0 and 1: a probability for one class",
    "tanh": f"{F['tanh']}, between −1 and 1, steepest at 0",
    "relu": f"{F['relu']}: passes positive sums, outputs 0 for negative ones",
    "leaky_relu": f"{F['leaky_relu']}: a ReLU that keeps a small slope below 0, so it cannot die",
    "elu": f"{F['elu']}: smooth, and negative outputs down to −{num(ELU_ALPHA)}",
    "softplus": f"{F['softplus']}: a smooth ReLU",
    "swish": f"{F['swish']}: a smooth ReLU that dips a little below 0",
    "softmax": f"{F['softmax']}: turns a layer's sums into probabilities that add up to 1",
    # --- backprop -----------------------------------------------------------------------------
    "gradient": "∂L/∂w, how much the loss changes per unit change of a weight: the direction uphill",
    "δ": "δ = ∂L/∂z, a unit's share of the blame: how the loss changes with its weighted sum",
    "chain rule": "∂L/∂w = δ·a: the blame of the unit the weight feeds, times what flowed through the weight",
    "f′(z)": "the activation's slope at z: how much of the blame passes back through the unit",
    # --- optimizers ---------------------------------------------------------------------------
    "optimizer": "the rule that turns gradients into weight changes Δw",
    "gd": f"gradient descent on the whole training split at once: {RULES['sgd'].update()}, one step per epoch",
    "sgd": f"stochastic gradient descent: {RULES['sgd'].update()} on each minibatch",
    "momentum": (f"a velocity {RULES['momentum'].keeps} that remembers past gradients; {RULES['momentum'].update()} "
                 "rolls through small bumps"),
    "nesterov": f"momentum that looks ahead: {RULES['nesterov'].update()}",
    "rmsprop": f"{RULES['rmsprop'].update()}, with {RULES['rmsprop'].keeps} a running mean of g²: every weight moves at a similar pace",
    "adagrad": f"{RULES['adagrad'].update()}, with {RULES['adagrad'].keeps} the sum of every g² so far: steps shrink as a weight keeps being pushed",
    "adam": f"momentum m and RMSprop's v together, bias-corrected for the first steps: {RULES['adam'].update()}",
    "adamw": f"Adam with its weight decay applied to the weight directly, not through the gradient: {RULES['adamw'].update()}",
    "velocity": f"momentum's b: {RULES['momentum'].keeps}, the running sum of the gradients so far",
    "m and v": f"Adam's running means of g (m, weight β1) and of g² (v, weight β2): {RULES['adam'].keeps}",
    # --- metrics ------------------------------------------------------------------------------
    "accuracy": "right / total: the share of samples whose predicted class is the true one",
    "precision": "TP / (TP + FP): of the samples predicted as the class, the share that are it",
    "recall": "TP / (TP + FN): of the samples that are the class, the share found",
    "F1": "2·P·R / (P + R): one number that is high only when precision and recall both are",
    "ROC-AUC": "the chance a random positive scores above a random negative: 0.5 is guessing, 1 perfect",
    "confusion matrix": "counts of samples by true class (rows) and predicted class (columns)",
    "rmse": "√mse: the typical miss, in the target's own units",
    "r²": "1 − SS_res/SS_tot: the share of the targets' variance the network explains (1 is perfect)",
    "val_": "a figure measured on the validation split after the epoch (Keras's prefix)",
    # --- the machine --------------------------------------------------------------------------
    "epochs/s": "epochs trained ÷ seconds they took, measured over the latest stretch of training",
    "backend": "where the kernels run: cpu (compiled with Numba) or cuda (a GPU)",
}


def define(term: str) -> str:
    """The one-line definition of `term` (KeyError for a term the table does not have)."""
    return TERMS[term]


def lines(terms) -> list[tuple[str, str]]:
    """(term, definition) for each known term, in order, each once."""
    seen = []
    for term in terms:
        if term in TERMS and term not in seen:
            seen.append(term)
    return [(term, TERMS[term]) for term in seen]
