"""The playground's visual widgets: the output heatmap, the network view, and their palette."""
