"""The build compiles the translation catalogs: each nnterm/locale/<lang>/LC_MESSAGES/nnterm.po
(the source, in git) becomes the nnterm.mo beside it in the wheel (docs/design.md, "Languages").
Everything else about the package is in pyproject.toml."""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALE = Path("nnterm") / "locale"


class BuildWithCatalogs(build_py):
    """build_py, then each .po compiled to .mo: into the build folder for a wheel, beside the .po
    for an editable install (where the package is the source folder itself)."""

    def run(self):
        super().run()
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po
        for source in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
            target_root = Path(".") if self.editable_mode else Path(self.build_lib)
            target = target_root / source.with_suffix(".mo")
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as stream:
                catalog = read_po(stream)
            with target.open("wb") as stream:
                write_mo(stream, catalog)


setup(cmdclass={"build_py": BuildWithCatalogs})
