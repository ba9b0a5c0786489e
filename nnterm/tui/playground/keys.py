"""The playground's keys: the binding table, and what each key does in the help screen's words
(nnterm/tui/dialogs/help_screen.py reads KEY_HELP). The teaching screens' keys (i, l, g, d) are
bound by the screen from nnterm/tui/teaching/__init__.py's SCREENS. The words are English msgids
marked N_(): the footer and the help screen translate them where they are shown."""
from textual.binding import Binding

from nnterm.runtime.language import N_

BINDINGS = [
    Binding("space", "play_pause", N_("Play"), key_display="space", priority=True),
    Binding("n", "step", N_("Step")),
    Binding("r", "reset", N_("Reset")),
    Binding("p", "presets", N_("Presets")),
    Binding("s", "save", N_("Save")),
    Binding("m", "summary", N_("Model"), show=False),
    Binding("question_mark", "help", N_("Help"), key_display="?"),
    Binding("L", "lessons", N_("Lessons"), show=False),
    Binding("escape", "back_to_lesson", N_("Back to the lesson"), show=False),
    Binding("y", "log_scale", N_("Log loss"), show=False),
    Binding("k", "clear_runs", N_("Clear runs"), show=False),
    Binding("v", "metrics", N_("Metrics"), show=False),
    Binding("j", "digits", N_("Digits"), show=False),
    Binding("u", "unit_images", N_("Unit images"), show=False),
    Binding("w", "save_weights", N_("Save weights"), show=False),
    Binding("W", "load_weights", N_("Load weights"), show=False),
    Binding("c", "share", N_("Share"), show=False),
    Binding("e", "save_screen", N_("Screenshot"), show=False),
    Binding("h", "save_history", N_("History CSV"), show=False),
    Binding("X", "explain", N_("Explain"), show=False),
    Binding("q", "quit", N_("Quit")),
]


# What each key does, in the help screen's words.
KEY_HELP = {
    "play_pause": N_("play or pause training (up to the epoch budget; once it is spent, another as much)"),
    "step": N_("train one epoch"),
    "reset": N_("re-initialise the weights (same seed: the same start), back to epoch 0"),
    "presets": N_("load a bundled or saved preset"),
    "save": N_("save the current setup as a preset TOML"),
    "summary": N_("model summary: layers, shapes, parameters, data and training"),
    "help": N_("this help"),
    "lessons": N_("the lesson track (nnterm learn): the open lesson where it was, else the list of lessons"),
    "back_to_lesson": N_("back to the lesson step that opened the playground (o on a step); nothing otherwise"),
    "log_scale": N_("loss chart: linear or log scale"),
    "clear_runs": N_("loss chart: forget the earlier runs kept beside the current one"),
    "metrics": N_("metrics on the validation split (t: test, training): accuracy, precision, recall, F1, "
                  "confusion matrix, ROC curve; RMSE, MAE, R²"),
    "digits": N_("image data (digits, MNIST, a CSV of pixels): each image with the probability of each class, the mistakes first"),
    "unit_images": N_("image data: what each first-layer unit looks for, its incoming weights as an image "
                   "(blue +, orange −), live as it trains; enter: the images that excite it most"),
    "save_weights": N_("save the trained weights (a safetensors file, as `nnterm train --save` writes)"),
    "load_weights": N_("load a weight file: resume it, or start from its weights (refused when they do not fit)"),
    "share": N_("share: the one command line that rebuilds this setup (copied to the clipboard where the terminal allows)"),
    "save_screen": N_("save the screen as an SVG file in the working folder (else $NNTERM_HOME/screenshots)"),
    "explain": N_("explain a number (the status line's, the selected unit's or weight's) or a term: its formula "
                  "with the real numbers (or click a status field; double-click a unit or link)"),
    "save_history": N_("save the loss history as CSV, a row per epoch, in the working folder (else $NNTERM_HOME/history)"),
    "quit": N_("quit (training stops first)"),
}
