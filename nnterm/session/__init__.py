"""One owner of a playground session: the trainer, its generation, the training thread, the verbs
a person uses. The TUI, lessons and tests all drive it; it never imports textual."""
