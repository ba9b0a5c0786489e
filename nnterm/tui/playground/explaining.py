"""Explaining a number on the playground — key X, a click on the status line, a double-click in
the network: training pauses (the numbers are of one set of weights) and the explanation opens
once the kernels it calls are loaded. What can be explained is nnterm/tui/playground/explainables.py;
the screens that show it are nnterm/tui/dialogs/explain_screen.py. A mixin of PlaygroundScreen."""
from nnterm.runtime.language import N_, _


class Explaining:
    def action_explain(self) -> None:
        from nnterm.tui.dialogs.explain_screen import picker_of
        self.pause_to_explain()
        self.when_explainable(lambda: picker_of(self))

    def when_explainable(self, open_screen) -> None:
        """Pushes open_screen() once the kernels an explanation calls are loaded — behind the
        compiling screen until then, so none of them compiles on the UI thread."""
        from nnterm.tui.teaching import EXPLAIN_GROUP
        warm_up = self.session.warm_up
        if warm_up is not None and not warm_up.ready(EXPLAIN_GROUP):
            from nnterm.tui.teaching.compiling import CompilingScreen
            self.app.push_screen(CompilingScreen(N_("Explain"), EXPLAIN_GROUP, warm_up, open_screen))
            return
        screen = open_screen()
        if screen is not None:
            self.app.push_screen(screen)

    def explainables(self):
        from nnterm.tui.playground.explainables import playground_items
        return playground_items(self)

    def explained_terms(self):
        from nnterm.tui.playground.explainables import NETWORK_TERMS, STATUS_TERMS
        preset = self.session.preset
        return (*STATUS_TERMS, preset.loss, preset.training.optimizer, *NETWORK_TERMS, "overfitting", "early stopping")

    def pause_to_explain(self) -> None:
        """The numbers explained are of one set of weights: training pauses for them."""
        if self.session.training:
            self.session.pause()
            self.say(_("paused at epoch {epoch} to explain").format(epoch=self.trainer.epoch))

    def on_status_line_explain_field(self, message) -> None:
        from nnterm.teach.glossary import TERMS
        from nnterm.tui.dialogs.explain_screen import ExplainScreen, term_explanation
        from nnterm.tui.playground.explainables import status_items
        self.pause_to_explain()
        found = [item for item in status_items(self) if item.key == message.field]
        term = message.field.removeprefix("val_")
        if found:
            self.when_explainable(lambda: ExplainScreen(build=found[0].build))
        elif term in TERMS:                        # epoch, backend, r²: a term, not a formula
            self.app.push_screen(ExplainScreen(term_explanation(term)))

    def on_network_view_explain_asked(self, message) -> None:
        from nnterm.tui.dialogs.explain_screen import ExplainScreen
        from nnterm.tui.playground import explainables
        self.pause_to_explain()
        if message.source is None:
            build = lambda: explainables.unit_explanation(self, message.column, message.unit)
        else:
            build = lambda: explainables.weight_explanation(self, message.column - 1, message.source, message.unit)
        self.when_explainable(lambda: ExplainScreen(build=build))
