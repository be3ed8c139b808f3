"""The tuning values: one typed, frozen record read by the stages."""

from __future__ import annotations

import dataclasses

import pytest

from newsledger.crossdoc.stories import StoryRules
from newsledger.settings import DEFAULT_SETTINGS, Settings, StorySettings


def test_settings_are_frozen_and_the_defaults() -> None:
    assert Settings() == DEFAULT_SETTINGS
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_SETTINGS.claims.measure_similarity = 0.9  # type: ignore[misc]
    assert DEFAULT_SETTINGS.claims.measure_similarity == 0.55
    assert DEFAULT_SETTINGS.conflicts.denial_similarity == 0.4
    with pytest.raises(TypeError):
        DEFAULT_SETTINGS.stories.models["other"] = {}  # type: ignore[index]


def test_story_rules_take_a_model_s_own_thresholds() -> None:
    minilm = StoryRules.for_model("all-MiniLM-L6-v2")
    hashed = StoryRules.for_model("hashed-words-512")
    assert (minilm.similar, minilm.similar_alone, minilm.window_days) == (0.45, 0.8, 10)
    assert (hashed.similar, hashed.similar_alone, hashed.window_days) == (0.3, 0.7, 10)
    strict = StorySettings(similar=0.9, models={})
    assert StoryRules.for_model("hashed-words-512", strict).similar == 0.9
