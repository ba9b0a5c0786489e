"""The lowest version of every dependency pyproject.toml declares — the runtime ones, the test
extra's and those of the extras it pulls in (nnterm[onnx,serve,completion]) — as `name==version`
pins, one line, for .ci/lowest-versions."""
import re
import sys
import tomllib
from pathlib import Path


def lowest_pins(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]

    def wanted(requirements):
        for requirement in requirements:
            own = re.fullmatch(r"nnterm\[(.*)\]", requirement)
            if own:
                for extra in own.group(1).split(","):
                    yield from wanted(extras[extra.strip()])
            else:
                yield requirement

    return list(dict.fromkeys(re.sub(r">=", "==", r.split(";")[0].strip())
                              for r in wanted(project["dependencies"] + extras["test"])))


if __name__ == "__main__":
    print(" ".join(lowest_pins(Path(sys.argv[1] if len(sys.argv) > 1 else "pyproject.toml"))))
