"""Loading (or, the first time, compiling) every kernel a screen will call, in the background, from
launch, so that no kernel ever compiles on the UI thread.

Groups, in the order a person is likely to need them:

    playground   the leaves the stepped twins of training and evaluation call (nnterm/warmup/twins.py):
                 enough to train, evaluate and draw, more slowly per minibatch
    compiled     the fused kernels themselves: train_epoch, evaluate_loss, predict, forward
    inspector    the traced step, unit health, the float64 gradient check
    neuron_lab   the one-neuron forward pass, activations, its training step
    price        the price game's loss and descent
    descent      the optimizer race's update rule
    float64      the playground's kernels in float64
    optimizers   the fused epoch for the preset's loss with each other optimizer (it is compiled
                 per loss and optimizer: kernels.epoch.epoch_kernel), so that picking another in
                 the playground loads it instead of compiling it

In an interactive process (twins=True, lazy=True, the defaults) only the first two are compiled
at launch: the teaching screens' four (TWIN_GROUPS) run as Python twins and are ready at once,
and float64 and the other optimizers (LAZY_GROUPS) are compiled when a stepped twin first
stands in for one of their fused kernels (compile_when_needed). twins=False, lazy=False compile
every group, in this order.

Each group runs the engine's own code on throw-away objects (a scratch Trainer, Neuron, round,
race), so exactly the specialisations the screens will ask for get compiled — nothing else —
and no real trainer's weights or state are touched. `ready(group)`, `wait_for(group, timeout)`
and `when_ready(group, callback)` are what a screen asks before its first kernel call.

While the warm-up runs it allows stepping (nnterm/warmup/stepping.py): a fused kernel that
is not loaded yet runs as its stepped twin — the same source as Python over the compiled leaves,
the same numbers bit for bit — so the playground trains from the moment its group is loaded,
seconds before the fused epoch is, and switches to the fused kernel at the next call once the
"compiled" group has loaded it. The steps that load fused kernels run in
stepping.compiled_only(), so that they compile (or load) the kernels themselves.

With a warm cache, loading still costs about half a second of Python (Numba's import, its
registries, scipy's BLAS bindings, one cache lookup per kernel): `nnterm tui` starts this thread
before Textual is even imported, so that work overlaps Textual's import and first paint.

On an empty cache (or a stale one), compiling holds the process's compiler lock: Numba and
llvmlite each serialise compilation behind one lock per process, so a second thread cannot
compile in parallel. A second *process* can: at the first compile this thread starts a helper,
`python -m nnterm.warmup.kernel_warm_up`, which compiles into the same on-disk cache on the
other core; what it compiled is then loaded here from the cache in milliseconds. The two split
the playground's leaves (nnterm/warmup/leaves.py) rather than both compiling them: this process
compiles the list in order, the helper from the end, each loading from the cache what the
other has compiled by then, so the two meet in the middle and neither waits for the other;
this process, sharing its core with Textual's start, compiles fewer. That is
the playground group: the first epochs run as stepped twins. Then this process compiles the
evaluation kernels while the helper compiles the fused epoch, which loads every leaf from the
cache, and every later group. The helper says `ready PART` on stdout as it goes, and exits as
soon as its stdin closes — when this process ends, however it ends. Should it fail to start or
die, this thread compiles what is left itself.

Numba's compiler also runs in Python for most of a compile, holding the GIL the UI thread needs.
So on an empty cache, on a machine with a core to spare (cores_to_spare), this process compiles
nothing: a second helper (`near`) compiles this process's share — the leaves in order, then the
evaluation kernels — and this thread only loads each part once its helper has said so. Each
helper's first line on stdin is the data's stand-in (nnterm/warmup/stand_in.py), or nothing.
"""
import os
import queue
import subprocess
import sys
import threading
import time

GROUPS = ("playground", "compiled", "inspector", "neuron_lab", "price", "descent", "float64", "optimizers")
# Two groups in two halves. On an empty cache this process and the helper compile the leaves
# from opposite ends (this process sharing its core with Textual's import and first paint, so
# it compiles fewer); then this process compiles the evaluation kernels, beside the first
# epochs, while the helper compiles the fused epoch (the longest single compile) on the other
# core, and then every later group.
PARTS = {"playground": ("stepped_evaluation", "stepped_training"), "compiled": ("evaluation", "training")}
HERE = {"stepped_evaluation", "evaluation"}     # parts this process compiles even with a helper
# Each part's steps, in order; a step is one entry of WORK.
STEPS = {"stepped_evaluation": ("stepped_leaves", "stepped_evaluation"),
         "stepped_training": ("stepped_leaves_from_the_end", "stepped_training")}
# The steps that run the playground's twins (in stepping.stepped_only()); every other step runs
# in stepping.compiled_only().
STEPPED_STEPS = {"stepped_training", "stepped_evaluation"}
# The teaching screens' groups: their computations are tiny (one neuron, a 2-D race, one traced
# minibatch), so in a process that runs a warm-up they run as the kernels' Python twins
# (nnterm/warmup/twins.py, run_small) until the kernels are compiled, bit for bit the same numbers:
# such a group is usable at once and compiles nothing at launch (twins=True, the default).
TWIN_GROUPS = ("inspector", "neuron_lab", "price", "descent")
# The playground's alternatives — its network in float64, the epoch with another optimizer — are
# compiled when first needed, not at launch (lazy=True, the default): until then the playground
# runs their stepped twins (stepping stays allowed for the process's life), and the warm-up's
# thread compiles each fused kernel a twin stood in for, in the background; the next call runs it.
LAZY_GROUPS = ("float64", "optimizers")
# Two helpers (and an app process that compiles nothing) only where the machine has a core to
# spare for the second: the 1-minute load average per core below this. On a machine already
# this busy the second helper's start-up (its imports, then loading every kernel here from the
# cache) lay on the way to the first epoch, which came 2–14 s later in four paired runs at load
# 8–41 on two cores, while the keys answered no sooner (seven pairs at load 19–22): there the
# scheduler, not the GIL, kept the UI thread waiting. Below it, the UI thread never waits for
# the GIL behind a compile.
SPARE_LOAD_PER_CORE = 1.0
HELPER_WAIT = 300.0        # seconds without a word from the helper before compiling here instead
HELPER_NICE = 5            # after the fused epoch, the helper yields to the UI and training


def cores_to_spare() -> bool:
    try:
        return os.getloadavg()[0] / (os.cpu_count() or 1) < SPARE_LOAD_PER_CORE
    except OSError:                                  # no load average (not a Unix): as if quiet
        return True


def run_step(step: str, preset, data=None) -> None:
    from nnterm.warmup.stepping import compiled_only, stepped_only
    with stepped_only() if step in STEPPED_STEPS else compiled_only():
        WORK[step](preset, data)


def parts_of(group: str) -> tuple[str, ...]:
    return PARTS.get(group, (group,))


def steps_of(part: str) -> tuple[str, ...]:
    return STEPS.get(part, (part,))


# --- the work of each part, on throw-away objects ----------------------------------------------
def scratch_trainer(preset, data=None, dtype: str | None = None):
    """`data`: the stand-in (nnterm/warmup/stand_in.py), or None to build the preset's own."""
    import dataclasses

    from nnterm.engine.trainer import Trainer
    if dtype is not None and preset.network.dtype != dtype:
        preset = dataclasses.replace(preset, network=dataclasses.replace(preset.network, dtype=dtype))
        if data is not None:                          # the data follows the network's dtype
            from nnterm.warmup.stand_in import stand_in
            data = stand_in(data, dtype)
    return Trainer(preset, data=data)


def stepped_kinds(preset, data=None, dtype=None) -> tuple:
    """(dtype, activation codes, loss code, optimizer code) of the trainer the preset builds."""
    trainer = scratch_trainer(preset, data, dtype)
    net = trainer.network
    return net.params.dtype, list(net.acts), net.loss_code, trainer.opt_code


def leaf_kinds(preset, data=None, dtype=None) -> tuple:
    """stepped_kinds, and whether some product may run in register blocks (kernels.passes.blocks_for)
    in an epoch (over a minibatch) and in the other passes (over the most rows one takes at once, a
    chunk of a set): what leaves.compile_stepped_leaves compiles for."""
    from nnterm.kernels.codes import ROW_CHUNK
    from nnterm.kernels.passes import blocks_for
    trainer = scratch_trainer(preset, data, dtype)
    net = trainer.network
    batch = min(trainer.batch_size, trainer.data.x_train.shape[0])
    in_epochs = blocks_for(net.sizes, batch, net.params.itemsize)
    in_passes = blocks_for(net.sizes, max(ROW_CHUNK, batch), net.params.itemsize)
    return net.params.dtype, list(net.acts), net.loss_code, trainer.opt_code, in_epochs, in_passes


def warm_stepped_leaves(preset, data=None, dtype=None) -> None:
    from nnterm.warmup.leaves import compile_stepped_leaves
    compile_stepped_leaves(*leaf_kinds(preset, data, dtype))


def warm_stepped_leaves_from_the_end(preset, data=None, dtype=None) -> None:
    from nnterm.warmup.leaves import compile_stepped_leaves
    compile_stepped_leaves(*leaf_kinds(preset, data, dtype), from_the_end=True)


def warm_training(preset, data=None, dtype=None) -> None:
    """One kernels.train_epoch call at learning rate 0 on a scratch trainer (as Trainer.train_epoch() makes it)."""
    import numpy as np

    from nnterm.engine.trainer import hyper_parameters
    t = scratch_trainer(preset, data, dtype)
    d = t.data
    order = np.arange(d.x_train.shape[0], dtype=np.int64)
    t.backend.train_epoch(t.network, t.opt_code, t.state, t.step_count, hyper_parameters(t.preset, 0.0),
                          d.x_train, d.y_train, order, t.batch_size)


def warm_evaluation(preset, data=None, dtype=None) -> None:
    """What follows each epoch: validation loss, predictions for the metrics, the snapshot."""
    from nnterm.engine.snapshot import take_snapshot
    t = scratch_trainer(preset, data, dtype)
    t.evaluate(0.0, 0.0, 0.0)
    take_snapshot(t)


def warm_inspector(preset, data=None, dtype=None) -> None:
    from nnterm.kernels.regularizers import weight_penalty
    from nnterm.teach import trace
    t = scratch_trainer(preset, data, dtype)
    step = trace.trace_step(t, [0])
    trace.gradient_check(step, 0, 0, 0)
    trace.unit_health(t.network, t.data.x_train, t.data.y_train)
    weight_penalty(t.network.sizes, t.network.offsets, t.network.params, 0.0, 0.0)    # the explained loss's L1/L2


def warm_neuron_lab(preset=None, data=None, dtype=None) -> None:
    from nnterm.teach.neuron_lab import SETUPS, Neuron
    for setup in SETUPS.values():
        neuron = Neuron(setup)
        neuron.outputs_by_activation()
        neuron.activation_shape()
        neuron.softmax_shape()
        neuron.example_outputs()
        neuron.is_dead()
        neuron.train_step()


def warm_price(preset=None, data=None, dtype=None) -> None:
    from nnterm.teach.price import FeatureRound, PriceRound
    PriceRound().step_machines()
    round_ = FeatureRound()
    round_.step()
    round_.predictions()


def warm_descent(preset=None, data=None, dtype=None) -> None:
    from nnterm.teach.descent import Race
    from nnterm.teach.surfaces import SURFACES
    Race(next(iter(SURFACES.values()))).step()


def warm_float64(preset, data=None, dtype=None) -> None:
    warm_training(preset, data, "float64")
    warm_evaluation(preset, data, "float64")


def warm_optimizers(preset, data=None, dtype=None) -> None:
    import dataclasses

    from nnterm.kernels.codes import OPTIMIZERS
    for name in OPTIMIZERS:
        if name != preset.training.optimizer:
            training = dataclasses.replace(preset.training, optimizer=name)
            warm_training(dataclasses.replace(preset, training=training), data, dtype)


WORK = {"stepped_leaves": warm_stepped_leaves, "stepped_leaves_from_the_end": warm_stepped_leaves_from_the_end,
        "stepped_training": warm_training, "stepped_evaluation": warm_evaluation,
        "training": warm_training, "evaluation": warm_evaluation, "inspector": warm_inspector,
        "neuron_lab": warm_neuron_lab, "price": warm_price, "descent": warm_descent, "float64": warm_float64,
        "optimizers": warm_optimizers}


# --- the helper process ------------------------------------------------------------------------
class Helper:
    """The child compiling `parts` into the shared cache; `reached(part)` waits for its word.
    It gets the preset as TOML text: the fused epoch is compiled for the preset's loss and
    optimizer (kernels.epoch.epoch_kernel), and the dtype is the network's."""

    def __init__(self, parts: list[str], preset_text: str, stand_in_line: str = "") -> None:
        self.parts, self.stand_in_line = parts, stand_in_line
        self.said: dict[str, str] = {}             # part → "ready" or the failure sentence
        self.changed = threading.Condition()
        self.finished = False
        self.process = subprocess.Popen([sys.executable, "-m", "nnterm.warmup.kernel_warm_up", preset_text, *parts],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True, env=dict(os.environ))
        threading.Thread(target=self.listen, name="nnterm-compile-helper", daemon=True).start()

    def listen(self) -> None:
        try:                                        # its first line: the data's stand-in, or nothing
            self.process.stdin.write(self.stand_in_line + "\n")
            self.process.stdin.flush()
        except OSError:                             # it is gone already: its stdout says so
            pass
        for line in self.process.stdout:
            word, _space, rest = line.strip().partition(" ")
            part, _space, why = rest.partition(" ")
            if word in ("ready", "failed"):
                with self.changed:
                    self.said[part] = "ready" if word == "ready" else why
                    self.changed.notify_all()
        self.process.wait()
        with self.changed:
            self.finished = True
            self.changed.notify_all()

    def reached(self, part: str, timeout: float = HELPER_WAIT) -> bool:
        """True once the helper compiled `part`; False if it failed, died or fell silent."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while part not in self.said and not self.finished:
                left = deadline - time.monotonic()
                if left <= 0 or not self.changed.wait(left):
                    break
            return self.said.get(part) == "ready"

    def stop(self) -> None:
        try:
            self.process.stdin.close()             # the helper exits when its stdin closes
        except OSError:
            pass


_helper_lock = threading.Lock()
_helper_started = False


def start_helper(parts: list[str], preset_text: str, stand_in_line: str = "") -> Helper | None:
    """At most one helper per process (a test run builds many apps; one helper fills the
    cache for all of them); None when it cannot start, or one already did."""
    helpers = start_helpers([parts], preset_text, stand_in_line)
    return helpers[0] if helpers else None


def start_helpers(part_lists: list[list[str]], preset_text: str, stand_in_line: str = "") -> list[Helper]:
    """One helper per list of parts, once per process (start_helper's rule); [] when they cannot
    start, or helpers already did. Those that started are returned, the others' parts left out."""
    global _helper_started
    with _helper_lock:
        if _helper_started:
            return []
        _helper_started = True
    helpers = []
    for parts in part_lists:
        try:
            helpers.append(Helper(parts, preset_text, stand_in_line))
        except OSError:                             # no interpreter to start: compile here
            break
    return helpers


class FirstCompile:
    """Calls `then()` once, at the first kernel compile this process starts (not a cache load)."""

    def __init__(self, then) -> None:
        from numba.core import event
        self.then, self.fired = then, False

        class Listener(event.Listener):
            def on_start(listener, _event) -> None:
                if not self.fired:
                    self.fired = True
                    self.then()

            def on_end(listener, _event) -> None:
                pass
        self.listener = Listener()
        event.register("numba:compile", self.listener)

    def close(self) -> None:
        from numba.core import event
        event.unregister("numba:compile", self.listener)


# --- the warm-up thread ------------------------------------------------------------------------
class KernelWarmUp:
    """`KernelWarmUp(preset).start()`; later `wait()` → (seconds the playground's kernels took,
    error sentence or ""), and `ready` / `wait_for` / `when_ready` per group."""

    def __init__(self, preset, data=None, helper: bool = True, twins: bool = True, lazy: bool = True,
                 after: threading.Event | None = None) -> None:
        from nnterm.warmup.stand_in import stand_in
        self.preset = preset
        self.after = after                          # set when this process may compile: see hold_until_after
        self.data = stand_in(data) if data is not None else None    # a few rows: the same kernels
        self.use_helper = helper
        self.twins = twins                          # the teaching groups run as Python twins: nothing to compile
        self.lazy = lazy                            # the playground's alternatives compile when first needed
        self.missing: queue.Queue = queue.Queue()   # (dispatcher, signature) a stepped twin stood in for
        self.stopping = threading.Event()
        self.helper: Helper | None = None           # the helper compiling the parts after this process's
        self.near: Helper | None = None             # on an empty cache, the one compiling this process's (HERE)
        self.events = {group: threading.Event() for group in GROUPS}
        self.errors: dict[str, str] = {}
        self.callbacks: dict[str, list] = {group: [] for group in GROUPS}
        self.lock = threading.Lock()
        self.seconds = 0.0
        self.error = ""
        self.done = self.events["playground"]
        self.thread = threading.Thread(target=self.run, name="nnterm-kernel-warm-up", daemon=True)

    def start(self) -> "KernelWarmUp":
        if self.twins:
            from nnterm.warmup.stepping import keep_python_twins
            keep_python_twins()
            for group in TWIN_GROUPS:
                self.finish(group, "")
        if self.lazy:
            for group in LAZY_GROUPS:
                self.finish(group, "")
        self.thread.start()
        return self

    def stop(self, timeout: float | None = None) -> bool:
        """Starts no further step, closes the helper, and waits up to `timeout` seconds for the step
        in flight (a compile cannot be interrupted): True once the thread has ended. Quitting
        calls it, so that no compile runs while Python shuts down (Numba's LLVM then aborts
        the process)."""
        self.stopping.set()
        for helper in self.helpers():
            helper.stop()
        if self.thread.is_alive() and self.thread is not threading.current_thread():
            self.thread.join(timeout)
        return not self.thread.is_alive()

    # --- what screens ask ---
    def ready(self, group: str) -> bool:
        return self.events[group].is_set()

    def wait_for(self, group: str, timeout: float | None = None) -> bool:
        return self.events[group].wait(timeout)

    def error_of(self, group: str) -> str:
        return self.errors.get(group, "")

    def when_ready(self, group: str, callback) -> None:
        """callback(error sentence or "") once `group` is loaded: at once if it is, else from the
        warm-up thread (a screen hands it to its UI thread: nnterm/tui/teaching/compiling.py
        posts a message)."""
        with self.lock:
            if not self.events[group].is_set():
                self.callbacks[group].append(callback)
                return
        callback(self.error_of(group))

    def wait(self) -> tuple[float, str]:
        self.done.wait()
        return self.seconds, self.error

    # --- the thread ---
    def groups_to_compile(self) -> tuple[str, ...]:
        return tuple(group for group in GROUPS
                     if not (self.twins and group in TWIN_GROUPS) and not (self.lazy and group in LAZY_GROUPS))

    def parts_left(self, after: str) -> list[str]:
        """What the helper is given: the parts after `after`, but those this process compiles."""
        order = [part for group in self.groups_to_compile() for part in parts_of(group)]
        return [part for part in order[order.index(after) + 1:] if part not in HERE]

    def run(self) -> None:
        from nnterm.warmup.stepping import allow_stepping, on_missing_kernel
        with allow_stepping():
            if self.lazy:
                on_missing_kernel(lambda dispatcher, signature: self.missing.put((dispatcher, signature)))
            self.run_groups()
            if self.lazy:
                self.compile_when_needed()

    def compile_when_needed(self) -> None:
        """For the process's life (until stop): each fused kernel a stepped twin stood in for,
        compiled here (or loaded from the cache), one at a time, off every screen's thread."""
        from nnterm.warmup.stepping import compiled_only
        while not self.stopping.is_set():
            try:
                dispatcher, signature = self.missing.get(timeout=0.25)
            except queue.Empty:
                continue
            try:
                with compiled_only():
                    dispatcher.compile(signature)
            except Exception:                      # the caller's next call compiles it, and says why
                pass

    def helpers(self) -> list[Helper]:
        return [helper for helper in (self.near, self.helper) if helper is not None]

    def run_groups(self) -> None:
        start = time.perf_counter()
        current = [parts_of(GROUPS[0])[0]]
        watch = None
        if self.use_helper and cores_to_spare() and self.cache_is_empty():
            self.spawn_helpers()
        if self.after is not None:
            self.hold_until_after()
        if self.use_helper and not self.helpers():
            try:
                watch = FirstCompile(lambda: self.spawn_helper(current[0]))
            except Exception:                        # no numba event API: compile everything here
                watch = None
        try:
            for group in self.groups_to_compile():
                errors = []
                for part in parts_of(group):
                    if self.stopping.is_set():
                        return
                    current[0] = part
                    errors.append(self.run_part(part))
                if group == "playground":
                    self.seconds = time.perf_counter() - start
                    self.error = next((e for e in errors if e), "")
                self.finish(group, next((e for e in errors if e), ""))
        finally:
            if watch is not None:
                watch.close()
            for helper in self.helpers():
                helper.stop()

    def hold_until_after(self) -> None:
        """A big CSV is being read (nnterm/commands/early_warm_up.py): this thread compiles nothing
        until the read ends. Numba's compiler lock is not fair: a reading thread that must compile
        the CSV parser waited behind this thread's kernels, one after another, for 15–20 s (load 5
        on two cores). On an empty cache the helper that compiles the parts after the first is
        started now, as at a first compile, so the training kernels still compile during the read."""
        if self.use_helper and not self.helpers() and self.cache_is_empty():
            self.spawn_helper(parts_of(GROUPS[0])[0])
        self.after.wait()

    def cache_is_empty(self) -> bool:
        """No cache entry for the fused epoch this preset trains with: a first start (or a new
        cache folder). A stale entry (another Numba, another CPU) is found at its first compile.
        A cache with no epoch kernel at all is told by its file names, before Numba is imported,
        so that the helpers start a second sooner."""
        from nnterm import kernels
        from nnterm.warmup.cache_contents import holds_no_epoch_kernels
        if holds_no_epoch_kernels(os.path.dirname(kernels.__file__)):
            return True
        from nnterm.kernels import epoch
        from nnterm.kernels.jit import has_cache_entry
        try:
            _, _, loss, opt_code = stepped_kinds(self.preset, self.data)
        except Exception:                            # the preset fails here too: the parts say how
            return False
        return not has_cache_entry(epoch.epoch_kernel(loss, opt_code))

    def spawn_helpers(self) -> None:
        """On an empty cache: this process compiles nothing. One helper compiles what this process
        would (HERE, and the leaves from the start), the other the rest (the leaves from the end,
        then every later part), each on a core of its own; this thread loads each part from the
        cache once its helper has said so. The UI thread then never waits for the GIL behind
        Numba's compiler, which runs in Python for most of a compile."""
        from nnterm.presets.writer import preset_to_toml
        from nnterm.warmup.stand_in import to_line
        first = parts_of(GROUPS[0])[0]
        near = [part for group in self.groups_to_compile() for part in parts_of(group) if part in HERE]
        line = to_line(self.data) if self.data is not None else ""
        started = start_helpers([near, self.parts_left(first)], preset_to_toml(self.preset), line)
        self.near, self.helper = (started + [None, None])[:2]

    def spawn_helper(self, compiling: str) -> None:
        """At the first compile: the parts after the one this thread compiles go to the helper."""
        parts = self.parts_left(compiling)
        if parts:
            from nnterm.presets.writer import preset_to_toml
            from nnterm.warmup.stand_in import to_line
            line = to_line(self.data) if self.data is not None else ""
            self.helper = start_helper(parts, preset_to_toml(self.preset), line)

    def run_part(self, part: str) -> str:
        """Loads `part` here — from the cache once the helper has compiled it — and returns ""
        or the error in one sentence (training says it again, in its own words)."""
        for helper in self.helpers():
            if part in helper.parts:
                helper.reached(part)
        try:
            for step in steps_of(part):
                run_step(step, self.preset, self.data)
        except Exception as err:
            return f"{err.__class__.__name__}: {err}"
        return ""

    def finish(self, group: str, error: str) -> None:
        with self.lock:
            if error:
                self.errors[group] = error
            self.events[group].set()
            callbacks, self.callbacks[group] = self.callbacks[group], []
        for callback in callbacks:
            try:
                callback(error)
            except Exception:                          # a closed screen's callback: nothing to tell
                pass


def start_warm_up(preset, data=None, helper: bool = True, twins: bool = True, lazy: bool = True,
                  after: threading.Event | None = None) -> KernelWarmUp:
    return KernelWarmUp(preset, data, helper, twins, lazy, after).start()


# --- python -m nnterm.warmup.kernel_warm_up PRESET_TOML PART... (the helper) ----------------------
def helper_main(argv: list[str]) -> int:
    """Compiles each part for the preset given as TOML text and says `ready PART` or
    `failed PART why` (a preset that does not load fails every part: the app compiles them)."""
    text, parts = argv[0], argv[1:]
    from nnterm.warmup.stand_in import from_line
    data = from_line(sys.stdin.readline())            # the app's data, a few rows of it, or None

    def orphaned() -> None:                           # the app is gone: so is the reason to compile
        sys.stdin.read()
        os._exit(0)
    threading.Thread(target=orphaned, daemon=True).start()
    from nnterm.data.csv_table import keep_last_table
    keep_last_table()                                 # a CSV is read once here, not once per scratch trainer
    from nnterm.presets.loader import parse_toml, preset_from_dict
    for part in parts:
        try:
            preset = preset_from_dict(parse_toml(text, "the warm-up's preset"), "the warm-up's preset")
            for step in steps_of(part):
                run_step(step, preset, data)
            print(f"ready {part}", flush=True)
        except Exception as err:
            print(f"failed {part} {err.__class__.__name__}: {err}".replace("\n", " "), flush=True)
        if part == parts_of("compiled")[-1]:          # the fused epoch: the rest can wait
            try:
                os.nice(HELPER_NICE)
            except OSError:
                pass
    return 0


if __name__ == "__main__":
    sys.exit(helper_main(sys.argv[1:]))
