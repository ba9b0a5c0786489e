"""The playground in Chinese, as a learner who reads Chinese sees it: the words are Chinese, the
status line's fields still answer a click by cells, and ctrl+l switches every open screen live."""
import pytest
from textual.widgets import Label

from nnterm.presets.loader import load_preset
from nnterm.runtime.cells import width
from nnterm.runtime.language import current, use
from nnterm.tui.app import NntermApp
from nnterm.tui.dialogs.help_screen import HelpScreen
from nnterm.tui.playground.data_panel import DataPanel
from nnterm.tui.playground.status_line import StatusLine
from nnterm.tui.playground.training_panel import TrainingPanel
from nnterm.tui.widgets.footer import TranslatedFooter

from .playground_pilot import settle


@pytest.fixture(autouse=True)
def nnterm_home(tmp_path, monkeypatch):
    monkeypatch.setenv("NNTERM_HOME", str(tmp_path))


def footer_words(app) -> str:
    from textual.widgets._footer import FooterKey
    return " ".join(key.description for key in app.screen.query_one(TranslatedFooter).query(FooterKey))


def row_labels(app) -> list[str]:
    return [str(label.render()) for label in app.screen.query(".row-label").results(Label)]


async def test_the_playground_opens_in_chinese_with_the_primers_words():
    use("zh")
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(DataPanel).border_title == "数据"
        assert app.screen.query_one(TrainingPanel).border_title == "训练"
        labels = row_labels(app)
        assert "学习率" in labels and "批量" in labels and "优化器" in labels
        status = app.screen.query_one(StatusLine).render().plain
        assert status.startswith(" 训练轮次") and "已暂停" in status
        assert "播放" in footer_words(app) and "退出" in footer_words(app)


async def test_ctrl_l_switches_every_word_live_and_back():
    use("zh")
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.screen.query_one(DataPanel).border_title == "Data"
        assert "learning rate" not in row_labels(app) and "rate" in row_labels(app)
        assert app.screen.query_one(StatusLine).render().plain.startswith(" epoch")
        assert "Play" in footer_words(app)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.screen.query_one(DataPanel).border_title == "数据"
        assert "学习率" in row_labels(app)
        assert "播放" in footer_words(app)
        assert "语言：中文" in app.screen.query_one(StatusLine).render().plain


async def test_the_help_screen_follows_a_switch_while_it_is_open():
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert any(what.startswith("switch the language") for _key, what in app.screen.rows)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert current() == "zh"                  # ctrl+l reaches the app through a modal screen
        assert app.screen.query_one("#help").border_title == "按键"
        assert any(what == "训练一个训练轮次" for _key, what in app.screen.rows)


async def test_a_click_on_a_chinese_status_field_finds_that_field():
    """The fields are placed by cells: 训练轮次 takes eight, so val_loss starts three cells later
    than in English, and a click there still asks for val_loss."""
    use("zh")
    app = NntermApp(load_preset("xor"), seed=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        status = app.screen.query_one(StatusLine)
        plain = status.render().plain
        at = width(plain[:plain.index("val_loss")])
        assert [name for start, end, name in status.field_spans if start <= at < end] == ["val_loss"]
        first = plain.split("\n")[0]
        assert width(first) <= 80
