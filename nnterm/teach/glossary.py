"""Every term the screens show, in one line each: the one table of definitions (no textual).

An explanation (nnterm/teach/explain/) names the terms it uses and the explain screen shows
their lines beside it; a screen lists the terms it shows so a person can look each one up where
it appears. Where a definition rests on a number the engine uses — what counts as saturated,
when overfitting is said — the number is read from the code that uses it, never retyped.

Each definition is a msgid marked N_(), with its formulas and numbers as named placeholders
filled in after translation (`define` speaks the language in use; TERMS holds the English).
"""
from nnterm.engine.generalisation import RISE, WINDOW
from nnterm.kernels.codes import ELU_ALPHA, HUBER_DELTA
from nnterm.presets.kinds import ACTIVATION_FORMULAS as F, LOSS_FORMULAS
from nnterm.runtime.language import N_, _
from nnterm.runtime.numbers import num
from nnterm.teach.rules import RULES
from nnterm.teach.trace import SATURATION

DEFINITIONS = {
    # --- training -------------------------------------------------------------------------------
    "epoch": N_("one pass over every minibatch of the training split; the status line counts them"),
    "step": N_("one minibatch update: a forward pass, the loss, the backward pass and the optimizer's move"),
    "minibatch": N_("the few training samples one step learns from; a new shuffle deals them each epoch"),
    "batch size": N_("how many samples a minibatch holds (gd always uses the whole training split)"),
    "full batch": N_("every training sample in one minibatch: one step per epoch (what gd does)"),
    "learning rate": N_("lr, how far one step moves the weights along −gradient: too small crawls, too large diverges"),
    "loss": N_("one number that says how wrong the network is on some samples; training makes it smaller"),
    "mse": (N_("mean squared error, {formula} over every output of every sample: the loss for values"), {"formula": LOSS_FORMULAS["mse"]}),
    "mae": (N_("mean absolute error, {formula}: like mse but a large miss counts only linearly"), {"formula": LOSS_FORMULAS["mae"]}),
    "huber": (N_("½(a − y)² for misses up to δ = {delta} and δ·(|a − y| − ½δ) beyond: mse near the answer, mae far from it"),
              {"delta": num(HUBER_DELTA)}),
    "bce": (N_("binary cross-entropy, {formula}: the loss for one sigmoid output"), {"formula": LOSS_FORMULAS["bce"]}),
    "cce": (N_("categorical cross-entropy, {formula}: the loss for a softmax over several classes"), {"formula": LOSS_FORMULAS["cce"]}),
    "penalty": N_("l1·Σ|w| + (l2/2)·Σw² over the weights (not the biases), added to the loss the optimizer sees"),
    "L1": N_("a penalty l1·Σ|w|: its gradient l1·sign(w) pushes every weight toward 0 by the same amount"),
    "L2": N_("a penalty (l2/2)·Σw²: its gradient l2·w shrinks each weight in proportion to its size"),
    "weight decay": N_("PyTorch's L2 in the gradient, g + λw (adamw decays the weight itself by lr·λ·w instead)"),
    "gradient clipping": N_("when ‖g‖ is above the limit, g is scaled down to that length before the optimizer uses it"),
    # --- splits and generalisation ------------------------------------------------------------
    "training split": N_("the samples the network learns from; the training loss is measured on them"),
    "validation split": N_("samples held out of training, measured after every epoch (val_…) to see how it generalises"),
    "test split": N_("samples never trained or tuned on, measured at the end (test_…): the honest final score"),
    "validation vs test": N_("validation guides choices (early stopping, settings); test is kept for the final word"),
    "overfitting": (N_("the validation loss has stayed above its best by more than {rise} for {window} epochs "
                       "while the training loss kept falling: the network learns the points, not the pattern"),
                    {"rise": f"{RISE:.0%}", "window": WINDOW}),
    "early stopping": N_("stops training when the validation loss has not improved for `patience` epochs, "
                         "and can bring back the best epoch's weights"),
    "standardised": N_("an input shifted and scaled to mean 0 and spread 1 using the training split's numbers"),
    # --- the network ---------------------------------------------------------------------------
    "weight": N_("w, how strongly one input or unit feeds the next unit: a number training adjusts"),
    "bias": N_("b, the unit's own offset, added to its weighted sum whatever the inputs are"),
    "weighted sum": N_("z = Σ w·a + b: each input times its weight, summed, plus the bias"),
    "activation": N_("a = f(z), the unit's output: the activation function applied to its weighted sum"),
    "unit": N_("one neuron: a weighted sum of the layer before, then an activation"),
    "layer": N_("units side by side that all read the same inputs; the last layer's outputs are the answer"),
    "parameter": N_("a number training learns: every weight and every bias (fan_in × units + units per layer)"),
    "fan_in": N_("how many inputs each unit of a layer reads: the layer before's width"),
    "frozen layer": N_("a layer the optimizer skips: its weights and biases stay bit for bit as they are"),
    "dead unit": N_("a ReLU whose z ≤ 0 on every sample: it outputs 0, its slope is 0, so it can no longer learn"),
    "saturated unit": (N_("a sigmoid or tanh stuck within {margin} of a limit on every sample: "
                          "f′(z) is nearly 0 there, so almost no gradient passes"), {"margin": f"{1 - SATURATION:.0%}"}),
    "linear": (N_("f(z) = {formula}: no bend at all (a network of linear layers is one linear map)"), {"formula": F["linear"]}),
    "sigmoid": (N_("{formula}, between 0 and 1: a probability for one class"), {"formula": F["sigmoid"]}),
    "tanh": (N_("{formula}, between −1 and 1, steepest at 0"), {"formula": F["tanh"]}),
    "relu": (N_("{formula}: passes positive sums, outputs 0 for negative ones"), {"formula": F["relu"]}),
    "leaky_relu": (N_("{formula}: a ReLU that keeps a small slope below 0, so it cannot die"), {"formula": F["leaky_relu"]}),
    "elu": (N_("{formula}: smooth, and negative outputs down to −{alpha}"), {"formula": F["elu"], "alpha": num(ELU_ALPHA)}),
    "softplus": (N_("{formula}: a smooth ReLU"), {"formula": F["softplus"]}),
    "swish": (N_("{formula}: a smooth ReLU that dips a little below 0"), {"formula": F["swish"]}),
    "softmax": (N_("{formula}: turns a layer's sums into probabilities that add up to 1"), {"formula": F["softmax"]}),
    # --- backprop -----------------------------------------------------------------------------
    "gradient": N_("∂L/∂w, how much the loss changes per unit change of a weight: the direction uphill"),
    "δ": N_("δ = ∂L/∂z, a unit's share of the blame: how the loss changes with its weighted sum"),
    "chain rule": N_("∂L/∂w = δ·a: the blame of the unit the weight feeds, times what flowed through the weight"),
    "f′(z)": N_("the activation's slope at z: how much of the blame passes back through the unit"),
    # --- optimizers ---------------------------------------------------------------------------
    "optimizer": N_("the rule that turns gradients into weight changes Δw"),
    "gd": (N_("gradient descent on the whole training split at once: {rule}, one step per epoch"), {"rule": RULES["sgd"].update()}),
    "sgd": (N_("stochastic gradient descent: {rule} on each minibatch"), {"rule": RULES["sgd"].update()}),
    "momentum": (N_("a velocity {keeps} that remembers past gradients; {rule} rolls through small bumps"),
                 {"keeps": RULES["momentum"].keeps, "rule": RULES["momentum"].update()}),
    "nesterov": (N_("momentum that looks ahead: {rule}"), {"rule": RULES["nesterov"].update()}),
    "rmsprop": (N_("{rule}, with {keeps} a running mean of g²: every weight moves at a similar pace"),
                {"rule": RULES["rmsprop"].update(), "keeps": RULES["rmsprop"].keeps}),
    "adagrad": (N_("{rule}, with {keeps} the sum of every g² so far: steps shrink as a weight keeps being pushed"),
                {"rule": RULES["adagrad"].update(), "keeps": RULES["adagrad"].keeps}),
    "adam": (N_("momentum m and RMSprop's v together, bias-corrected for the first steps: {rule}"), {"rule": RULES["adam"].update()}),
    "adamw": (N_("Adam with its weight decay applied to the weight directly, not through the gradient: {rule}"),
              {"rule": RULES["adamw"].update()}),
    "velocity": (N_("momentum's b: {keeps}, the running sum of the gradients so far"), {"keeps": RULES["momentum"].keeps}),
    "m and v": (N_("Adam's running means of g (m, weight β1) and of g² (v, weight β2): {keeps}"), {"keeps": RULES["adam"].keeps}),
    # --- metrics ------------------------------------------------------------------------------
    "accuracy": N_("right / total: the share of samples whose predicted class is the true one"),
    "precision": N_("TP / (TP + FP): of the samples predicted as the class, the share that are it"),
    "recall": N_("TP / (TP + FN): of the samples that are the class, the share found"),
    "F1": N_("2·P·R / (P + R): one number that is high only when precision and recall both are"),
    "ROC-AUC": N_("the chance a random positive scores above a random negative: 0.5 is guessing, 1 perfect"),
    "confusion matrix": N_("counts of samples by true class (rows) and predicted class (columns)"),
    "rmse": N_("√mse: the typical miss, in the target's own units"),
    "r²": N_("1 − SS_res/SS_tot: the share of the targets' variance the network explains (1 is perfect)"),
    "val_": N_("a figure measured on the validation split after the epoch (Keras's prefix)"),
    # --- the machine --------------------------------------------------------------------------
    "epochs/s": N_("epochs trained ÷ seconds they took, measured over the latest stretch of training"),
    "backend": N_("where the kernels run: cpu (compiled with Numba) or cuda (a GPU)"),
}


def template(term: str) -> tuple[str, dict]:
    """A definition's msgid and the numbers and formulas it is filled with."""
    entry = DEFINITIONS[term]
    return entry if isinstance(entry, tuple) else (entry, {})


def english(term: str) -> str:
    words, fills = template(term)
    return words.format(**fills)


# Each definition in English, filled in: what the lessons quote and the tests read.
TERMS = {term: english(term) for term in DEFINITIONS}


def define(term: str) -> str:
    """The one-line definition of `term` in the language in use (KeyError for a term the table
    does not have). The formulas and numbers are filled in after translation, as they are."""
    words, fills = template(term)
    return _(words).format(**fills)


def lines(terms) -> list[tuple[str, str]]:
    """(term, definition) for each known term, in order, each once."""
    seen = []
    for term in terms:
        if term in TERMS and term not in seen:
            seen.append(term)
    return [(term, define(term)) for term in seen]
