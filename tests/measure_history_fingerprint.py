"""Prints a hash of the loss history and weights per bundled preset and per lesson, so a change
that must keep histories bit for bit (docs/design.md, "The kernel ABI") can be checked: run it
before and after, and compare the outputs line by line.

    python tests/measure_history_fingerprint.py [EPOCHS] [--lessons]

Each bundled preset trains EPOCHS epochs (default 5) through Trainer.run; each bundled lesson
has every step's setup played through a headless Session and LessonRun, a check step's "show
me" done too, and the trainer's history, weights and optimizer state hashed after each.
"""
import hashlib
import sys

import numpy as np


def digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(np.ascontiguousarray(part).tobytes() if isinstance(part, np.ndarray) else repr(part).encode())
    return h.hexdigest()[:16]


def trainer_digest(trainer) -> str:
    losses = np.array([(r.epoch, r.train_loss, r.val_loss, r.test_loss) for r in trainer.history], dtype=np.float64)
    return digest(trainer.epoch, losses, trainer.network.params, trainer.state)


def presets(epochs: int) -> None:
    from nnterm.engine.trainer import Trainer
    from nnterm.errors import NntermError
    from nnterm.presets.loader import bundled_names, load_preset
    for name in bundled_names():
        try:
            trainer = Trainer(load_preset(name))
        except NntermError as err:             # a preset that needs a weight file made first
            print(f"preset {name:<18} skipped: {str(err)[:60]}")
            continue
        trainer.run(epochs)
        print(f"preset {name:<18} {trainer_digest(trainer)}")


def lessons() -> None:
    from nnterm.lessons.runner import LessonRun
    from nnterm.lessons.track import bundled_lessons
    from nnterm.presets.loader import load_preset
    from nnterm.session.session import Session
    for lesson in bundled_lessons():
        session = Session(load_preset("xor"))
        run = LessonRun(lesson, session)
        run.start(0)
        marks = []
        while True:
            session.pause()
            marks.append(trainer_digest(session.trainer))
            if run.step.check is not None:
                run.show_me()
                session.pause()
                marks.append(trainer_digest(session.trainer))
            run.skip()
            if not run.next():
                break
        print(f"lesson {lesson.key:<18} {digest(*marks)}")


if __name__ == "__main__":
    if "--lessons" not in sys.argv:
        presets(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
    lessons()
