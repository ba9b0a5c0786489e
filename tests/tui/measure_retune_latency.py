"""How long a learning-rate change takes to reach the kernel while the playground trains, and how
long the change holds the UI thread. Not collected by pytest; run it by hand:

    python tests/tui/measure_retune_latency.py xor digits

The real app runs headless (App.run_test); the backend's train_epoch is wrapped to stamp the
learning rate each epoch starts with. A retune reaches the trainer the moment its running epoch
ends (nnterm/engine/trainer.py), so the wait is at most about one epoch and the thread never stops.
"""
import asyncio
import statistics
import sys
import time

import nnterm
from nnterm.tui.app import NntermApp


async def measure(preset_name: str, rounds: int = 15) -> str:
    app = NntermApp(nnterm.load_preset(preset_name, ["training.epochs=100000000"]), seed=0)
    latencies, blocked, stalls = [], [], 0
    async with app.run_test(size=(120, 40)):
        session = app.session
        while not session.kernels_ready:
            await asyncio.sleep(0.05)
        stamps = []
        backend = session.trainer.backend
        train_epoch = backend.train_epoch

        def stamped(net, opt, state, step, hp, *rest):
            stamps.append((time.perf_counter(), float(hp[0])))
            return train_epoch(net, opt, state, step, hp, *rest)
        backend.train_epoch = stamped
        session.play()
        await asyncio.sleep(0.5)
        for i in range(rounds):
            lr = 0.001 * (i + 2)
            start = time.perf_counter()
            session.set_training(learning_rate=lr)
            blocked.append(time.perf_counter() - start)
            deadline = start + 3.0
            while not any(v == lr for _, v in stamps) and time.perf_counter() < deadline:
                await asyncio.sleep(0.001)
            reached = [t for t, v in stamps if v == lr]
            if not reached or not session.training:
                stalls += 1
                continue
            latencies.append(reached[0] - start)
            await asyncio.sleep(0.2)
        session.pause()
        app.exit()

    def ms(xs):
        return f"median {statistics.median(xs) * 1000:.2f} ms, max {max(xs) * 1000:.2f} ms" if xs else "never"
    return (f"{preset_name}: reaches the kernel {ms(latencies)}; holds the UI thread {ms(blocked)}; "
            f"training stopped instead in {stalls} of {rounds}")


if __name__ == "__main__":
    for name in sys.argv[1:] or ["xor", "digits"]:
        print(asyncio.run(measure(name)))
