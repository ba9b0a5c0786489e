"""The digits themselves (key j, on the digits data): each 8×8 validation image as the network
sees it, its true class, and the probability the network gives each of the ten — the mistakes
first, the most confident ones first among them, so what the network gets wrong is one key away.

The image is the network's input put back in the file's units (x·std + mean, the scaler the data
was standardised with); the probabilities are one forward pass, made in a worker thread.
"""
import numpy as np
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from nnterm.data.digits import SIDE
from nnterm.engine.metrics import predicted_classes
from nnterm.tui.widgets.palette import BLUE, ORANGE, hex_colour

BAR = 30                          # the width of a probability of 1


class DigitsScreen(ModalScreen):
    BINDINGS = [("escape", "dismiss", "Back"), ("j", "dismiss", "Back"),
                ("right", "browse(1)", "Next"), ("left", "browse(-1)", "Previous")]

    class Predicted(Message):
        def __init__(self, images, labels, probabilities, order, wrong: int) -> None:
            super().__init__()
            self.images, self.labels, self.probabilities, self.order, self.wrong = images, labels, probabilities, order, wrong

    def __init__(self, trainer) -> None:
        super().__init__()
        self.trainer = trainer
        self.result = None
        self.at = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="digits", classes="dialog") as box:
            box.border_title = "Digits: what the network sees, and what it says"
            box.border_subtitle = "←/→ browse · escape closes"
            yield Static(Text("predicting …", style="dim"), id="digits-view")

    def on_mount(self) -> None:
        self.predict()

    @work(thread=True, exclusive=True, exit_on_error=False, group="digits")
    def predict(self) -> None:
        data, trainer = self.trainer.data, self.trainer
        x, y = (data.x_val, data.y_val) if data.x_val.shape[0] else (data.x_train, data.y_train)
        probabilities = trainer.backend.predict(trainer.network, x).astype(np.float64)
        images = (x.astype(np.float64) * data.scaler_std + data.scaler_mean).reshape(-1, SIDE, SIDE)
        labels, guesses = predicted_classes(y), predicted_classes(probabilities)
        confidence = probabilities.max(axis=1)
        wrong = guesses != labels
        # mistakes first, the surest mistakes first; then the rest, the least sure first
        order = np.lexsort((np.where(wrong, -confidence, confidence), ~wrong))
        self.post_message(self.Predicted(images, labels, probabilities, order, int(wrong.sum())))

    def on_digits_screen_predicted(self, message: Predicted) -> None:
        self.result, self.at = message, 0
        self.redraw()

    def action_browse(self, step: int) -> None:
        if self.result is not None:
            self.at = (self.at + step) % len(self.result.order)
            self.redraw()

    def redraw(self) -> None:
        r = self.result
        i = int(r.order[self.at])
        image, probabilities, label = r.images[i], r.probabilities[i], int(r.labels[i])
        guess = int(np.argmax(probabilities))
        out = Text(no_wrap=True)
        verdict = (f"misclassified ({self.at + 1} of {r.wrong} mistakes)" if self.at < r.wrong
                   else f"right ({self.at - r.wrong + 1} of {len(r.order) - r.wrong})")
        out.append(f"image {self.at + 1} of {len(r.order)} · true {label} · predicted {guess} "
                   f"(p = {probabilities[guess]:.3f}) — {verdict}\n\n", style="bold")
        top = max(float(image.max()), 1.0)
        for row in image:
            for value in row:
                grey = int(round(255 * min(max(value, 0.0), top) / top))
                out.append("██", style=f"rgb({grey},{grey},{grey})")
            out.append("\n")
        out.append("\np(class), one softmax over the ten (they sum to 1):\n")
        for digit, p in enumerate(probabilities):
            colour = hex_colour(BLUE if digit == label else ORANGE if digit == guess else (130, 136, 145))
            mark = "  ← true" if digit == label else ("  ← predicted" if digit == guess else "")
            out.append(f" {digit} ")
            out.append("█" * int(round(p * BAR)) or "▏", style=colour)
            out.append(f" {p:.3f}{mark}\n")
        self.query_one("#digits-view", Static).update(out)
