"""A widget drawn by painting a Canvas once per change, then handing Textual one Strip a line.

Subclasses implement `paint(width, height) -> Canvas` and call `repaint()` when what they show
changes; painting happens lazily, at the next frame that needs a line, so several changes
between two frames cost one paint. A paint reads `theme_is_dark()` once into `self.dark`: the
app lookup is not free, and every colour depends on it.
"""
from textual.events import Resize
from textual.strip import Strip
from textual.widget import Widget

from nnterm.tui.widgets.canvas import Canvas


class PaintedView(Widget):
    def __init__(self, *, name=None, id=None, classes=None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._strips: list[Strip] | None = None
        self.dark = True

    def paint(self, width: int, height: int) -> Canvas:
        raise NotImplementedError

    def repaint(self) -> None:
        self._strips = None
        self.refresh()

    def retranslate(self) -> None:
        """After a switch of language: paint the words again."""
        self.repaint()

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.repaint())

    def on_resize(self, _event: Resize) -> None:
        self.repaint()

    def render_line(self, y: int) -> Strip:
        if self._strips is None or len(self._strips) != self.size.height:
            self._strips = self.paint(self.size.width, self.size.height).strips(self.rich_style)
        return self._strips[y] if 0 <= y < len(self._strips) else Strip.blank(self.size.width, self.rich_style)

    def theme_is_dark(self) -> bool:
        try:
            return bool(self.app.current_theme.dark)
        except Exception:           # no app yet (a bare paint in a test)
            return True
