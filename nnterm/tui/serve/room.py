"""What the teacher sees in the server's terminal: tabs open and the memory they hold, as PSS
(each shared page divided among the processes that map it), summed over the engine and every
process it forked — the one figure that adds up across a class (docs/design.md, "Serving a class")."""
import os


def pss_mb(pid: int) -> float:
    """A process's proportional set size in MB (Linux); 0 when it is gone or unreadable."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("Pss:")) / 1024
    except (OSError, StopIteration, ValueError):
        return 0.0


def children_of(pid: int) -> list[int]:
    """Live child processes of pid, from /proc."""
    found = []
    try:
        entries = os.listdir("/proc")
    except OSError:
        return found
    for entry in entries:
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return found


def engine_mb(engine_pid: int) -> float:
    """The engine and everything it forked (the tabs, the compiler), in MB of PSS."""
    return pss_mb(engine_pid) + sum(pss_mb(child) for child in children_of(engine_pid))


class Room:
    """Prints a line when the number of tabs changes, or the memory by a tenth since the last line."""

    def __init__(self, engine_pid: int, max_tabs: int, say=print) -> None:
        self.engine_pid, self.max_tabs, self.say = engine_pid, max_tabs, say
        self.last: tuple[int, float] | None = None

    def line(self, tabs: int) -> tuple[int, float, str]:
        memory = engine_mb(self.engine_pid) + pss_mb(os.getpid())
        return tabs, memory, (f"nnterm: {tabs} tab{'s' if tabs != 1 else ''} open (at most {self.max_tabs}) · "
                              f"{memory:.0f} MB in use by the server, its engine and the tabs")

    def update(self, tabs: int) -> None:
        tabs, memory, text = self.line(tabs)
        if self.last is None or self.last[0] != tabs or abs(memory - self.last[1]) > 0.1 * self.last[1]:
            self.last = (tabs, memory)
            self.say(text)
