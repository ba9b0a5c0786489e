"""Command palette (ctrl+p): load any preset, change the network, toggle views — by typing."""
from textual.command import DiscoveryHit, Hit, Provider

from nnterm.presets.edits import AddLayer, AddNeuron, RemoveLayer, RemoveNeuron
from nnterm.presets.loader import bundled_names, user_names, user_preset_dir
from nnterm.runtime.language import LANGUAGES, N_, _, current

# Textual's own palette commands (App.get_system_commands), marked so the catalog has them: the
# palette shows them translated (translated_system_commands).
TEXTUAL_COMMANDS = (
    N_("Theme"), N_("Change the current theme"), N_("Quit"), N_("Quit the application as soon as possible"),
    N_("Keys"), N_("Hide the keys and widget help panel"), N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"), N_("Minimize the widget and restore to normal size"), N_("Maximize"), N_("Maximize the focused widget"),
    N_("Screenshot"), N_("Save an SVG 'screenshot' of the current screen"),
    # the same commands under Textual 3.2's titles (the lowest version nnterm runs on)
    N_("Change theme"), N_("Quit the application"), N_("Show keys and help panel"), N_("Hide keys and help panel"),
    N_("Save screenshot"), N_("Bell"), N_("Ring the bell"),
)


def translated_system_commands(commands):
    """Textual's system commands with their title and help in the language in use."""
    for command in commands:
        yield command._replace(title=_(command.title), help=_(command.help))


class PresetCommands(Provider):
    """"load spiral", "add a hidden layer", … (the same actions as the keys and controls)."""

    def commands(self) -> list[tuple[str, object, str]]:
        playground, session = self.app.playground, self.app.session

        def run(verb, *args):
            return lambda: playground.show_change(verb(*args))
        out = []
        for name in bundled_names():
            out.append((_("Load preset: {name}").format(name=name), lambda name=name: playground.load_preset(name),
                        _("new data, network and settings")))
        for name in user_names():                      # by path: a saved preset may share a bundled name
            path = str(user_preset_dir() / f"{name}.toml")
            out.append((_("Load preset: {name} (yours)").format(name=name), lambda path=path: playground.load_preset(path),
                        path))
        out += [
            (_("Network: add a hidden layer"), run(session.edit_network, AddLayer()), _("before the output layer")),
            (_("Network: remove the last hidden layer"), run(session.edit_network, RemoveLayer()), ""),
            (_("Training: play / pause"), playground.action_play_pause, "space"),
            (_("Training: step one epoch"), playground.action_step, "n"),
            (_("Training: reset the weights"), playground.action_reset, "r"),
            (_("Save the setup as a preset"), playground.action_save, "s"),
            (_("Model summary"), playground.action_summary, "m"),
            (_("Loss chart: linear / log scale"), playground.action_log_scale, "y"),
            (_("Share: the command line that rebuilds this setup"), playground.action_share, "c"),
            (_("Save the screen as SVG"), playground.action_save_screen, "e"),
            (_("Save the loss history as CSV"), playground.action_save_history, "h"),
            # Named in both languages, so a learner who cannot read the one in use still finds it.
            ("Language: 中文 / English", self.app.action_switch_language,
             _("now: {name}; ctrl+l").format(name=LANGUAGES[current()])),
        ]
        hidden = len(session.preset.network.layers) - 1
        for layer in range(hidden):
            out.append((_("Network: add a neuron to hidden layer {number}").format(number=layer + 1), run(session.edit_network, AddNeuron(layer)), ""))
            out.append((_("Network: remove a neuron from hidden layer {number}").format(number=layer + 1),
                        run(session.edit_network, RemoveNeuron(layer)), ""))
        return out

    async def discover(self):
        for text, command, help_text in self.commands():
            yield DiscoveryHit(text, command, help=help_text or None)

    async def search(self, query: str):
        matcher = self.matcher(query)
        for text, command, help_text in self.commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, help=help_text or None)
