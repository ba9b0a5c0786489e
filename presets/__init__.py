"""Bundled presets (TOML files beside this module)."""
