"""Presets: what a setup says (spec), the data kinds, reading and writing TOML, the playground's edits.

The bundled preset files live at the top of the repository, in presets/, and install as
nnterm.presets.bundled (docs/design.md, "Presets")."""
