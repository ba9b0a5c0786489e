"""The lesson track: lesson files (TOML), the numbers a question asks for, the checks a task
passes, a headless runner and the learner's progress (docs/design.md, "Lessons"). No textual."""
