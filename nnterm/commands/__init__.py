"""Subcommands of the `nnterm` CLI, one module each (see nnterm/cli.py)."""
