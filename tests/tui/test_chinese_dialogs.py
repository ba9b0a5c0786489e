"""The preset picker and the prompts with a text field follow a live language switch (ctrl+l)
while they are open, and what was typed stays."""
import pytest
from textual.widgets import Button, Input, Label, OptionList

from nnterm.presets.loader import load_preset
from nnterm.tui.app import NntermApp
from nnterm.tui.dialogs.path_prompt import PathPrompt
from nnterm.tui.dialogs.preset_picker import PresetPicker
from nnterm.tui.dialogs.save_dialog import SaveDialog
from nnterm.tui.widgets.fields import NumberPrompt

from .playground_pilot import settle


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))


async def opened(pilot, app, screen):
    await settle(pilot)
    app.push_screen(screen)
    await pilot.pause()
    return app.screen


async def switched(pilot):
    await pilot.press("ctrl+l")
    await settle(pilot)


def option_text(picker, name: str) -> str:
    options = picker.query_one(OptionList)
    return str(next(o.prompt for o in options.options if o.id == f"bundled:{name}"))


async def test_the_open_preset_picker_shows_chinese_descriptions_after_a_switch():
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        picker = await opened(pilot, app, PresetPicker("moons"))
        highlighted = picker.query_one(OptionList).highlighted
        assert "Exclusive or" in option_text(picker, "xor")
        await switched(pilot)
        assert "异或" in option_text(picker, "xor") and picker.query_one("#picker").border_title == "加载预设"
        assert picker.query_one(OptionList).highlighted == highlighted


async def test_an_open_save_dialog_switches_its_words_and_keeps_what_was_typed():
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await opened(pilot, app, SaveDialog(load_preset("xor")))
        dialog.query_one("#save-name", Input).value = "typed-here"
        await switched(pilot)
        assert str(dialog.query_one("#save-name-label", Label).render()) != "Name:"
        assert str(dialog.query_one("#save-cancel", Button).label) != "Cancel"
        assert dialog.query_one("#save-name", Input).value == "typed-here"


@pytest.mark.parametrize("make", [
    lambda: PathPrompt("Load a weight file", "File:", "xor.safetensors"),
    lambda: NumberPrompt("learning rate", 0.03),
], ids=["path", "number"])
async def test_an_open_prompt_switches_its_title_and_buttons(make):
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        prompt = await opened(pilot, app, make())
        box = prompt.query_one(".dialog")
        english = box.border_title
        await switched(pilot)
        assert box.border_title != english and str(prompt.query(Button).last().label) == "取消"


@pytest.mark.parametrize("typed", [None, "两个对角象限是一类：我自己的说明"])
async def test_the_save_dialog_in_chinese_edits_the_chinese_description_and_keeps_the_english(typed):
    from nnterm.runtime.language import use
    xor = load_preset("xor")
    use("zh")
    try:
        app = NntermApp(xor, seed=0)
        async with app.run_test(size=(80, 24)) as pilot:
            dialog = await opened(pilot, app, SaveDialog(xor))
            field = dialog.query_one("#save-description", Input)
            assert field.value == xor.description_zh                  # what the picker shows in Chinese
            if typed:
                field.value = typed
            dialog.query_one("#save-name", Input).value = "mine"
            await pilot.click("#save-ok")
            await settle(pilot)
    finally:
        use("en")
    saved = load_preset("mine")
    assert saved.description == xor.description                        # the English one is kept
    assert saved.description_zh == (typed or xor.description_zh)
