"""The footer in the language in use: Textual's Footer, each key's description translated as it
is drawn. Binding descriptions are English msgids marked with N_() where the binding tables are
written; translated here, where shown, a live switch of the language reaches them on the next
binding refresh (docs/design.md, "Languages")."""
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from nnterm.runtime.language import N_, _


# Textual's own descriptions that reach the footer and the help screen, marked so the catalog
# translates them too.
TEXTUAL_WORDS = (N_("palette"), N_("Focus Next"), N_("Focus Previous"))


class TranslatedFooter(Footer):
    def compose(self):
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.description:
                widget.description = _(widget.description)
                if widget.tooltip:
                    widget.tooltip = _(str(widget.tooltip))
            yield widget
