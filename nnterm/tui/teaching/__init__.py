"""The teaching screens: backprop inspector, neuron lab, price game, descent race.

SCREENS is the one list of them: key → (title, "module:Class"), each imported when first
opened. The playground binds each key, pauses training, pushes Class(trainer) and, when the
screen is gone, catches up with the trainer. Every screen is a TeachingScreen (base.py), which
owns the frame they share: header, inline editor, keys line, play timer, `escape` to go back,
[ / ] on a learning rate, and typed numbers.

KERNEL_GROUPS names the kernel warm-up group (nnterm/warmup/kernel_warm_up.py) each screen
calls: opened before that group is loaded, the screen waits behind a "compiling…" screen
(compiling.py) that answers keys, so no kernel ever compiles on the UI thread. EXPLAIN_GROUP is
the group the playground's explanations (X) call: a traced step and the L1/L2 penalty.
"""
from nnterm.runtime.language import N_

# The titles are msgids, translated where shown (the footer, the help, the screens' headers).
SCREENS: dict[str, tuple[str, str]] = {
    "i": (N_("Inspector"), "nnterm.tui.teaching.inspector:InspectorScreen"),
    "l": (N_("Neuron lab"), "nnterm.tui.teaching.neuron_lab:NeuronLabScreen"),
    "g": (N_("Price game"), "nnterm.tui.teaching.price:PriceScreen"),
    "d": (N_("Descent race"), "nnterm.tui.teaching.descent:DescentScreen"),
}
KERNEL_GROUPS: dict[str, str] = {"i": "inspector", "l": "neuron_lab", "g": "price", "d": "descent"}
EXPLAIN_GROUP = "inspector"
