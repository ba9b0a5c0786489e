"""The playground's number controls — ONE table: each declared once, with the preset field it
sets, its label, its choices and how its values are written. The panels build their rows from it,
the screen dispatches a pick by it, and a test checks that every id names a control on screen and
every field a preset field (docs/design.md, "Where each concept lives").

A control of the "data" section rebuilds the trainer (new data and weights); one of "training"
retunes it (the weights stay; a running session goes on); the regularisation rate is set with
its kind (the Training panel's "regular." select), so it names no field of its own.
"""
from dataclasses import dataclass

from nnterm.runtime.language import N_
from nnterm.runtime.numbers import percent, short

DATA, TRAINING, REGULARIZATION = "data", "training", "regularization"


@dataclass(frozen=True)
class NumberControl:
    id: str               # the widget's id on the playground
    section: str          # DATA, TRAINING or REGULARIZATION: what a pick does (above)
    field: str            # the DataSpec or TrainingSpec field it sets ("" for the regularisation rate)
    # The three names are marked N_() here and translated where shown (a live switch reaches them).
    row: str              # the panel row's label, a few characters (at most 5 Hanzi: the label is 10 cells)
    words: str            # the value's name in the status line's sentence: "learning rate 0.03"
    prompt: str           # … and in the "other…" dialog and its errors
    choices: tuple        # offered first; any other value can be typed
    whole: bool = False   # whole numbers only
    fmt: object = short   # how a value is written (nnterm/runtime/numbers.py)


NUMBER_CONTROLS = (
    # 0 … 50 %, as TensorFlow Playground's slider
    NumberControl("noise", DATA, "noise", N_("noise"), N_("noise"), N_("noise (0 to 1)"), tuple(i / 20 for i in range(11)),
                  fmt=percent),
    NumberControl("train-fraction", DATA, "train_fraction", N_("train"), N_("training fraction"), N_("training fraction (0 to 1)"),
                  tuple(i / 10 for i in range(1, 10)), fmt=percent),
    # held out of training and of tuning; validation gets the rest
    NumberControl("test-fraction", DATA, "test_fraction", N_("test"), N_("test fraction"), N_("test fraction (0 to 1)"),
                  (0.0, 0.1, 0.2, 0.3), fmt=percent),
    NumberControl("batch-size", TRAINING, "batch_size", N_("batch"), N_("batch size"), N_("batch size"),
                  (1, 2, 4, 8, 10, 16, 32, 64, 128, 256), whole=True),
    # TensorFlow Playground's choices
    NumberControl("learning-rate", TRAINING, "learning_rate", N_("rate"), N_("learning rate"), N_("learning rate"),
                  (0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)),
    NumberControl("regularization-rate", REGULARIZATION, "", N_("reg. rate"), N_("regularisation rate"), N_("regularisation rate"),
                  (0.0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)),
    NumberControl("epochs", TRAINING, "epochs", N_("epochs"), N_("epoch budget"), N_("epoch budget"),
                  (10, 50, 100, 200, 300, 400, 500, 1000, 2000, 5000, 10000), whole=True),
    # epochs without a better validation loss before stopping
    NumberControl("patience", TRAINING, "patience", N_("patience"), N_("early-stopping patience"), N_("patience (epochs)"),
                  (5, 10, 20, 50, 100), whole=True),
    # what counts as better
    NumberControl("min-delta", TRAINING, "min_delta", N_("min Δ"), N_("early-stopping minimum improvement"), N_("minimum improvement"), (0.0, 0.0001, 0.001, 0.01)),
)
CONTROLS = {control.id: control for control in NUMBER_CONTROLS}
