"""The descent race's surfaces and the price feature round say their stories in Chinese."""
import re

import pytest

from nnterm.runtime.language import use
from nnterm.teach.price import FeatureRound
from nnterm.teach.surfaces import SURFACES
from nnterm.tui.teaching.descent import surface_story

HANZI = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("name", list(SURFACES))
def test_every_surface_tells_its_story_in_chinese_with_its_formula(name):
    surface = SURFACES[name]
    english = surface_story(surface)
    use("zh")
    chinese = surface_story(surface)
    assert english.startswith(surface.formula) and chinese.startswith(surface.formula)
    assert HANZI.search(chinese) and not HANZI.search(english)


def test_the_feature_rounds_summary_is_a_chinese_sentence():
    round_ = FeatureRound()
    round_.step()
    use("zh")
    summary = round_.summary()
    assert summary.startswith("第 1 步：损失") and "功率" in summary and "重量" in summary
