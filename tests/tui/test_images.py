"""Image data in the playground at 80×24 and 160×48: j shows a 28×28 image in half blocks beside
each class's probability; u shows what each unit looks for, follows training, and finds the
images that excite a unit most."""
import numpy as np
import pytest

from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp

from idx_files import write_set
from .playground_pilot import settle, status_text, until


@pytest.fixture
def mnist_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    write_set(tmp_path / "data" / "mnist", 120, 30)
    return tmp_path


def lines_of(screen, selector: str) -> list[str]:
    return screen.query_one(selector).render().plain.splitlines()


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_a_28_by_28_image_fits_beside_its_probabilities(mnist_home, size):
    app = NntermApp(load_preset("mnist", ["training.epochs=1"]), seed=0)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("j")
        await until(pilot, lambda: getattr(app.screen, "result", None) is not None)
        await settle(pilot)
        text = lines_of(app.screen, "#digits-view")
        picture = [line for line in text if line.startswith("▀" * 28)]
        assert len(picture) == 14                                   # 28 rows, two a cell
        assert any("← true" in line for line in text) and "p(class)" in text[2]
        assert max(len(line) for line in text) <= size[0] - 8       # inside the dialog, nothing cut


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_each_unit_is_drawn_and_the_view_follows_training(mnist_home, size):
    app = NntermApp(load_preset("mnist", ["training.epochs=2"]), seed=0)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        screen = app.screen
        header = lines_of(screen, "#units-header")
        pool, scale, across, down = screen.layout_for()
        if pool == 1:
            assert header[0].startswith("128 hidden units (layer 1, relu): each one's 784 weights as a 28 × 28 image")
        else:                                                       # 80 × 24: the header says the drawing is pooled
            assert header[0].startswith("14×14 means of 2×2 weights · 128 hidden units (layer 1, relu)")
        assert header[2].startswith("w − w₀ = 0: nothing trained yet")     # the view opens on the change, none yet
        view = lines_of(screen, "#units-view")
        assert view[-1].split()[0] == "1" or any(line.startswith("1 ±") for line in view)
        assert across >= 3 and down >= 2 and max(len(line) for line in view) <= size[0] - 4
        await pilot.press("right")
        assert "unit 2:" in lines_of(screen, "#units-header")[1]
        await pilot.press("space")                                  # trains from here
        await until(pilot, lambda: app.session.trainer.epoch >= 1 and not app.session.training, 120)
        await pilot.pause(0.7)                                      # the view's next look at the trainer
        header = lines_of(screen, "#units-header")
        assert header[1].startswith(f"epoch {app.session.trainer.epoch} · paused")
        assert header[2].startswith("w − w₀ (what training changed)")
        await pilot.press("c")                                      # w itself, the random start in it
        assert lines_of(screen, "#units-header")[2].startswith("w (the random start w₀ in it)")
        await pilot.press("c")
        await pilot.press("enter")
        await until(pilot, lambda: screen.found is not None, 60)
        await settle(pilot)
        view = lines_of(screen, "#units-view")
        assert view[len(view) // down - 1].startswith("unit 2")
        assert sum(line.count("a=") for line in view) == across * down - 1
        await pilot.press("escape")                                 # back to the grid
        assert not screen.showing
        await pilot.press("s")                                      # the unit training changed most comes first
        trainer = app.session.trainer
        first = trainer.network.layers[0]
        start = trainer.start_params[first.weight_slice].reshape(first.fan_in, first.units)
        most = int(np.argmax(np.linalg.norm(first.weight - start, axis=0))) + 1
        view = lines_of(screen, "#units-view")
        assert [line for line in view if "±" in line][0].split()[0] == str(most)
        assert f"by change · unit {most}:" in lines_of(screen, "#units-header")[1]
        await pilot.press("escape")
        assert app.screen is app.playground


async def test_u_on_data_that_is_not_images_says_what_it_needs():
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        assert app.screen is app.playground and "u shows what each unit looks for in image data" in status_text(app)


async def test_the_lesson_opens_the_view_and_its_answer_is_the_first_strongest_image(tmp_path, monkeypatch):
    """The lesson's step: o opens the unit-image view on the 8×8 digits; enter on unit 1 shows,
    first, an image of the class the lesson's answer says."""
    from nnterm.lessons.quantities import QUANTITIES
    from nnterm.tui.lessons.lesson_screen import LessonScreen
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))
    app = NntermApp(load_preset("xor"), seed=0, learn="unit-images")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LessonScreen), 60)
        await settle(pilot)
        lesson = app.screen
        answer = int(QUANTITIES["strongest_class"].compute(lesson.run, unit=1))
        await pilot.press("o")
        await until(pilot, lambda: type(app.screen).__name__ == "UnitImagesScreen", 60)
        await settle(pilot)
        assert app.session.trainer.data.image_shape == (8, 8)
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.found is not None, 60)
        await settle(pilot)
        labels = [line for line in lines_of(app.screen, "#units-view") if "a=" in line][0]
        assert labels.split()[2] == str(answer)          # "unit 1", then the strongest image's class
        await pilot.press("escape", "escape")
        await until(pilot, lambda: app.screen is lesson)
