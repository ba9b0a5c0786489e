"""Modal screens over the playground: preset picker, save, model summary, help."""
