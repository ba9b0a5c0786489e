"""Markers the suite sets itself (pyproject.toml names them): `snapshot` on every test that
compares an SVG of a screen (the snap_compare fixture), so that .ci/lowest-versions can leave
out reference images that only the newest Textual draws cell for cell."""
import pytest


def pytest_collection_modifyitems(items):
    for item in items:
        if "snap_compare" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.snapshot)


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A test that speaks Chinese (or switches the language live) leaves English behind: the
    other tests read the English words."""
    yield
    from nnterm.runtime.language import current, use
    if current() != "en":
        use("en")
