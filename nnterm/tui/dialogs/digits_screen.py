"""The images themselves (key j, on any data whose inputs are images: the 8×8 digits, MNIST's
28×28, a CSV of 784 or 64 pixel columns): each validation image as the network sees it, its true
class, and the probability the network gives each class — the mistakes first, the most confident
ones first among them, so what the network gets wrong is one key away.

The image is the network's input put back in the file's units (x·std + mean, the scaler the data
was standardised with), drawn by widgets/pixels.py (half blocks for 28×28, so it fits 80×24)
beside the probabilities; those are one forward pass, made in a worker thread.
"""
import numpy as np
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from nnterm.engine.metrics import predicted_classes
from nnterm.runtime.cells import pad, width as cells_of
from nnterm.runtime.language import N_, _
from nnterm.tui.widgets.palette import BLUE, ORANGE, hex_colour
from nnterm.tui.widgets.pixels import greyscale, image_lines, image_width

BAR = 30                          # the widest a probability of 1 is drawn
MARK = len("  ← predicted")


class DigitsScreen(ModalScreen):
    BINDINGS = [("escape", "dismiss", N_("Back")), ("j", "dismiss", N_("Back")),
                ("right", "browse(1)", N_("Next")), ("left", "browse(-1)", N_("Previous"))]

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
            box.border_title = _("Images: what the network sees, and what it says")
            box.border_subtitle = _("←/→ browse · escape closes")
            yield Static(Text(_("predicting …"), style="dim"), id="digits-view")

    def on_mount(self) -> None:
        self.predict()

    @work(thread=True, exclusive=True, exit_on_error=False, group="digits")
    def predict(self) -> None:
        data, trainer = self.trainer.data, self.trainer
        x, y = (data.x_val, data.y_val) if data.x_val.shape[0] else (data.x_train, data.y_train)
        probabilities = trainer.backend.predict(trainer.network, x).astype(np.float64)
        images = (x.astype(np.float64) * data.scaler_std + data.scaler_mean).reshape(-1, *data.image_shape)
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
        names = self.trainer.data.class_names or tuple(str(k) for k in range(len(probabilities)))
        out = Text(no_wrap=True)
        out.append(_("image {number} of {count} · true {true} · predicted {predicted} (p = {p})").format(
            number=f"{self.at + 1:,}", count=f"{len(r.order):,}", true=names[label], predicted=names[guess],
            p=f"{probabilities[guess]:.3f}") + "\n", style="bold")
        out.append((_("misclassified: {number} of {count} mistakes").format(number=f"{self.at + 1:,}", count=f"{r.wrong:,}")
                    if self.at < r.wrong else
                    _("right: {number} of {count}").format(number=f"{self.at - r.wrong + 1:,}",
                                                           count=f"{len(r.order) - r.wrong:,}")) + "\n")
        picture = image_lines(greyscale(image))
        width = max(cells_of(n) for n in names)
        room = int(self.app.size.width * 0.95) - 6 - image_width(image.shape) - 2 - width - 8 - MARK
        bar = max(5, min(BAR, room))
        side = [Text(_("p(class), one softmax (they sum to 1):"))]
        for k, p in enumerate(probabilities):
            colour = hex_colour(BLUE if k == label else ORANGE if k == guess else (130, 136, 145))
            line = Text(pad(names[k], width, ">") + " ")
            line.append("█" * int(round(p * bar)) or "▏", style=colour)
            line.append(f" {p:.3f}" + ("  " + _("← true") if k == label else "  " + _("← predicted") if k == guess else ""))
            side.append(line)
        blank = Text(" " * image_width(image.shape))
        for row in range(max(len(picture), len(side))):
            out.append_text(picture[row] if row < len(picture) else blank)
            if row < len(side):
                out.append("  ")
                out.append_text(side[row])
            out.append("\n")
        self.query_one("#digits-view", Static).update(out)
