"""Command palette (ctrl+p): load any preset, change the network, toggle views — by typing."""
from textual.command import DiscoveryHit, Hit, Provider

from nnterm.presets.edits import AddLayer, AddNeuron, RemoveLayer, RemoveNeuron
from nnterm.presets.loader import bundled_names, user_names, user_preset_dir


class PresetCommands(Provider):
    """"load spiral", "add a hidden layer", … (the same actions as the keys and controls)."""

    def commands(self) -> list[tuple[str, object, str]]:
        playground, session = self.app.playground, self.app.session

        def run(verb, *args):
            return lambda: playground.show_change(verb(*args))
        out = []
        for name in bundled_names():
            out.append((f"Load preset: {name}", lambda name=name: playground.load_preset(name), "new data, network and settings"))
        for name in user_names():                      # by path: a saved preset may share a bundled name
            path = str(user_preset_dir() / f"{name}.toml")
            out.append((f"Load preset: {name} (yours)", lambda path=path: playground.load_preset(path), path))
        out += [
            ("Network: add a hidden layer", run(session.edit_network, AddLayer()), "before the output layer"),
            ("Network: remove the last hidden layer", run(session.edit_network, RemoveLayer()), ""),
            ("Training: play / pause", playground.action_play_pause, "space"),
            ("Training: step one epoch", playground.action_step, "n"),
            ("Training: reset the weights", playground.action_reset, "r"),
            ("Save the setup as a preset", playground.action_save, "s"),
            ("Model summary", playground.action_summary, "m"),
            ("Loss chart: linear / log scale", playground.action_log_scale, "y"),
            ("Share: the command line that rebuilds this setup", playground.action_share, "c"),
            ("Save the screen as SVG", playground.action_save_screen, "e"),
            ("Save the loss history as CSV", playground.action_save_history, "h"),
        ]
        hidden = len(session.preset.network.layers) - 1
        for layer in range(hidden):
            out.append((f"Network: add a neuron to hidden layer {layer + 1}", run(session.edit_network, AddNeuron(layer)), ""))
            out.append((f"Network: remove a neuron from hidden layer {layer + 1}",
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
