"""A served tab's kernel warm-up (docs/design.md, "Serving a class"): the parts the engine had
loaded before it forked this tab are loaded here too, by inheritance, and are ready at once; for
each other part the tab waits for the engine's word on its pipe (`ready PART` once the engine's
compiler has put it in the disk cache) and then loads it from the cache — so thirty tabs opened
on an empty cache compile nothing thirty times. Should the engine say `failed PART` or `gone`, or
the pipe close, the tab compiles what is left itself, as `nnterm tui` would."""
import os

from nnterm.warmup.kernel_warm_up import KernelWarmUp


class InheritedWarmUp(KernelWarmUp):
    def __init__(self, preset, loaded: set[str], notices: int) -> None:
        super().__init__(preset, helper=False)             # the engine's compiler is this tab's helper
        self.loaded, self.notices = loaded, notices
        self.heard: dict[str, str] = {}                    # part → "ready" or "failed"
        self.engine_gone = False
        self.pending = b""

    def run_part(self, part: str) -> str:
        if part in self.loaded:
            return ""
        while part not in self.heard and not self.engine_gone:
            self.hear()
        return super().run_part(part)                      # from the cache once "ready"; else compiled here

    def hear(self) -> None:
        try:
            data = os.read(self.notices, 4096)
        except OSError:
            data = b""
        if not data:
            self.engine_gone = True
            return
        self.pending += data
        while b"\n" in self.pending:
            line, self.pending = self.pending.split(b"\n", 1)
            word, _, part = line.decode(errors="replace").partition(" ")
            if word == "gone":
                self.engine_gone = True
            elif word in ("ready", "failed"):
                self.heard[part] = word
