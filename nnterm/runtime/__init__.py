"""Runtime plumbing every layer may use: atomic file writes, BLAS thread counts, the compile notice,
numbers as text.

Imports nothing of nnterm but nnterm.errors (docs/design.md, "The layers")."""
