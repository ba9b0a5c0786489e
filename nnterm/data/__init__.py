"""Data: the synthetic sets, CSV files, the bundled digits, feature transforms, and the Dataset
the engine trains on (split, standardised, encoded)."""
