"""The playground's keys: the binding table, and what each key does in the help screen's words
(nnterm/tui/dialogs/help_screen.py reads KEY_HELP). The teaching screens' keys (i, l, g, d) are
bound by the screen from nnterm/tui/teaching/__init__.py's SCREENS."""
from textual.binding import Binding

BINDINGS = [
    Binding("space", "play_pause", "Play", key_display="space", priority=True),
    Binding("n", "step", "Step"),
    Binding("r", "reset", "Reset"),
    Binding("p", "presets", "Presets"),
    Binding("s", "save", "Save"),
    Binding("m", "summary", "Model", show=False),
    Binding("question_mark", "help", "Help", key_display="?"),
    Binding("L", "lessons", "Lessons", show=False),
    Binding("escape", "back_to_lesson", "Back to the lesson", show=False),
    Binding("y", "log_scale", "Log loss", show=False),
    Binding("k", "clear_runs", "Clear runs", show=False),
    Binding("v", "metrics", "Metrics", show=False),
    Binding("j", "digits", "Digits", show=False),
    Binding("u", "unit_images", "Unit images", show=False),
    Binding("w", "save_weights", "Save weights", show=False),
    Binding("W", "load_weights", "Load weights", show=False),
    Binding("c", "share", "Share", show=False),
    Binding("e", "save_screen", "Screenshot", show=False),
    Binding("h", "save_history", "History CSV", show=False),
    Binding("X", "explain", "Explain", show=False),
    Binding("q", "quit", "Quit"),
]


# What each key does, in the help screen's words.
KEY_HELP = {
    "play_pause": "play or pause training (up to the epoch budget; once it is spent, another as much)",
    "step": "train one epoch",
    "reset": "re-initialise the weights (same seed: the same start), back to epoch 0",
    "presets": "load a bundled or saved preset",
    "save": "save the current setup as a preset TOML",
    "summary": "model summary: layers, shapes, parameters, data and training",
    "help": "this help",
    "lessons": "the lesson track (nnterm learn): the open lesson where it was, else the list of lessons",
    "back_to_lesson": "back to the lesson step that opened the playground (o on a step); nothing otherwise",
    "log_scale": "loss chart: linear or log scale",
    "clear_runs": "loss chart: forget the earlier runs kept beside the current one",
    "metrics": "metrics on the validation split (t: test, training): accuracy, precision, recall, F1, "
               "confusion matrix, ROC curve; RMSE, MAE, R²",
    "digits": "image data (digits, MNIST, a CSV of pixels): each image with the probability of each class, the mistakes first",
    "unit_images": "image data: what each first-layer unit looks for, its incoming weights as an image "
                   "(blue +, orange −), live as it trains; enter: the images that excite it most",
    "save_weights": "save the trained weights (a safetensors file, as `nnterm train --save` writes)",
    "load_weights": "load a weight file: resume it, or start from its weights (refused when they do not fit)",
    "share": "share: the one command line that rebuilds this setup (copied to the clipboard where the terminal allows)",
    "save_screen": "save the screen as an SVG file in the working folder (else $NNTERM_HOME/screenshots)",
    "explain": "explain a number (the status line's, the selected unit's or weight's) or a term: its formula "
               "with the real numbers (or click a status field; double-click a unit or link)",
    "save_history": "save the loss history as CSV, a row per epoch, in the working folder (else $NNTERM_HOME/history)",
    "quit": "quit (training stops first)",
}
