"""The lesson track in the TUI: the track screen (every lesson, a key each) and the lesson screen
(a step's words, its live numbers, the question or task, hints, skip, next), over the session
the playground drives. `nnterm learn` opens the track; L on the playground too."""
