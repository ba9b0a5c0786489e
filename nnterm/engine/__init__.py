"""The engine: the network's flat buffer, the Trainer, backends, metrics, weight files, snapshots."""
