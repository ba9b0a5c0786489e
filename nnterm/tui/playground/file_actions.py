"""The playground's file actions: save the setup as a preset, save and load weights, share the
command line, save the screen and the loss history. Each asks for a name where it needs one and
says what it wrote, or why it could not, in one sentence. A mixin of PlaygroundScreen."""
from nnterm.runtime.language import N_, _, ngettext


class FileActions:
    def action_save(self) -> None:
        from nnterm.tui.dialogs.save_dialog import SaveDialog
        self.app.push_screen(SaveDialog(self.session.preset), self.saved)

    def saved(self, path) -> None:
        if path:
            self.say(_("saved the setup to {path} — p loads it back").format(path=path))

    def action_save_weights(self) -> None:
        from nnterm.tui.dialogs.path_prompt import PathPrompt
        name = f"{self.session.preset.name}.safetensors"
        self.app.push_screen(PathPrompt(N_("Save the trained weights"), N_("File (in the folder nnterm runs in, or a path):"),
                                        name, N_("weights, optimizer state and the setup; `nnterm eval --load FILE` reads it")),
                             lambda path: path and self.show_change(self.session.save_weights(path)))

    def action_load_weights(self) -> None:
        from nnterm.tui.dialogs.path_prompt import PathPrompt
        self.app.push_screen(PathPrompt(N_("Load a weight file"), N_("File:"), f"{self.session.preset.name}.safetensors",
                                        N_("saved by this setup: training goes on where it stopped")),
                             lambda path: path and self.show_change(self.session.load_weights(path)))

    def action_share(self) -> None:
        from nnterm.errors import NntermError
        from nnterm.presets.share import share_line
        from nnterm.tui.dialogs.share_dialog import ShareDialog
        try:
            line = share_line(self.session.preset)
        except NntermError as err:
            self.say(str(err), error=True)
            return
        self.app.copy_to_clipboard(line)
        self.app.push_screen(ShareDialog(line))
        self.say(_("share: {line}").format(line=line))

    def action_save_screen(self) -> None:
        """e (and Textual's "Screenshot" command): in a browser (nnterm serve) the browser downloads
        it; in a terminal it is written to a file (nnterm/tui/playground/saving.py)."""
        if self.app.is_web:
            self.app.deliver_screenshot(filename=f"nnterm-{self.session.preset.name}.svg")
            self.say(_("screenshot sent to the browser as a download"))
            return
        from nnterm.tui.playground.saving import save_screen_svg
        try:
            path = save_screen_svg(self.app, self.session.preset.name)
        except OSError as err:
            self.say(_("could not save the screen: {error}").format(error=err.strerror or err), error=True)
            return
        self.say(_("saved the screen to {path}").format(path=path))

    def action_save_history(self) -> None:
        if not self.trainer.history:
            self.say(_("no epochs yet: train first (space), then h saves the loss history"))
            return
        from nnterm.tui.playground.saving import save_history_csv
        try:
            path = save_history_csv(self.trainer)
        except OSError as err:
            self.say(_("could not save the loss history: {error}").format(error=err.strerror or err), error=True)
            return
        epochs = self.trainer.history[-1].epoch
        self.say(ngettext("saved the loss history ({count} epoch) to {path}", "saved the loss history ({count} epochs) to {path}",
                          epochs).format(count=epochs, path=path))
