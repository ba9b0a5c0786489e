"""The footer in the language in use: Textual's Footer, each key's description translated as it
is drawn. Binding descriptions are English msgids marked with N_() where the binding tables are
written; translated here, where shown, a live switch of the language reaches them on the next
binding refresh (docs/design.md, "Languages"). A key that would not fit whole is left out rather
than cut ("⏎▏^p palette"): a screen's keys come most important first, and every key is in help."""
from rich.cells import cell_len
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from nnterm.runtime.language import N_, _


# Textual's own descriptions that reach the footer and the help screen, marked so the catalog
# translates them too.
TEXTUAL_WORDS = (N_("palette"), N_("Focus Next"), N_("Focus Previous"))


class TranslatedFooter(Footer):
    def compose(self):
        widgets = list(super().compose())
        for widget in widgets:
            if isinstance(widget, FooterKey) and widget.description:
                widget.description = _(widget.description)
                if widget.tooltip:
                    widget.tooltip = _(str(widget.tooltip))
        room = self.app.size.width - sum(self.cells(w) for w in widgets if w.has_class("-command-palette"))
        for widget in widgets:
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                room -= self.cells(widget)
                if room < 0:        # past the edge (or under the palette): the rest would be cut
                    continue
            yield widget

    def cells(self, key) -> int:
        """A key's width as Textual's FooterKey draws it: wide, " key desc " (the palette adds its
        right padding and left border); compact, "key desc" and a margin."""
        text = cell_len(key.key_display) + cell_len(key.description)
        if key.has_class("-command-palette"):
            return text + 5
        return text + (2 if self.compact else 3)
