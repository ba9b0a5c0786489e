"""A preset's description in each language, written beside the English in the preset file."""
import pytest

from nnterm.errors import PresetError
from nnterm.presets.loader import bundled_names, load_preset, preset_from_dict, preset_listing
from nnterm.presets.spec import DESCRIPTIONS, Preset
from nnterm.presets.writer import preset_to_toml
from nnterm.runtime.language import LANGUAGES, SOURCE, use


def test_every_language_has_a_description_field():
    assert set(DESCRIPTIONS) == {"description", *(f"description_{code}" for code in LANGUAGES if code != SOURCE)}
    assert all(hasattr(Preset(), key) for key in DESCRIPTIONS)


@pytest.mark.parametrize("name", bundled_names())
def test_every_bundled_preset_is_described_in_chinese(name):
    preset = load_preset(name)
    assert preset.description_zh and preset.description_zh != preset.description
    use("zh")
    assert preset.described() == preset.description_zh


def test_the_listing_follows_the_language_in_use():
    english = dict((name, text) for name, _, text, _ in preset_listing())
    use("zh")
    chinese = dict((name, text) for name, _, text, _ in preset_listing())
    assert english["xor"].startswith("Exclusive or") and chinese["xor"].startswith("异或")


def test_a_preset_without_a_chinese_description_shows_its_english_one_in_chinese():
    preset = preset_from_dict({"name": "mine", "description": "my own net"})
    use("zh")
    assert preset.described() == "my own net"


def test_a_chinese_description_survives_a_save():
    preset = preset_from_dict({"name": "mine", "description": "mine", "description_zh": "我的网络"})
    assert 'description_zh = "我的网络"' in preset_to_toml(preset)
    assert "description_zh" not in preset_to_toml(preset_from_dict({"name": "mine"}))


def test_a_chinese_description_that_is_not_a_string_is_refused_in_one_sentence():
    with pytest.raises(PresetError, match="description_zh = 3 must be a string"):
        preset_from_dict({"description_zh": 3}, label="mine.toml")
