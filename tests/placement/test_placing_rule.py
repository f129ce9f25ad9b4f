"""The placing rule: self-assessment and diagnostic combined, the diagnostic weighing more."""

import pytest

from placement.modules import Level
from placement.placing import combined_fraction, level_for, self_fraction


def test_self_fraction_is_the_mean_rating_over_three():
    assert self_fraction([3, 3]) == 1.0
    assert self_fraction([0, 3]) == 0.5
    assert self_fraction([1, 2, 3]) == pytest.approx(2 / 3)
    assert self_fraction([]) is None


@pytest.mark.parametrize(
    ("self_part", "diagnostic", "level"),
    [
        (0.0, 0.0, Level.NOT_YET),
        (1.0, 0.0, Level.BASIC),  # 0.35: a confident claim with no right answer is only basic
        (0.0, 1.0, Level.PROFICIENT),  # 0.65: the measured result weighs more than the claim
        (1.0, 1.0, Level.ADVANCED),
        (0.0, 0.5, Level.NOT_YET),  # 0.325
        (1.0, 0.4, Level.PROFICIENT),  # 0.61
        (2 / 3, 0.5, Level.BASIC),  # 0.5583
    ],
)
def test_levels_from_both_parts(self_part, diagnostic, level):
    assert level_for(self_part, diagnostic) == level


def test_thresholds_are_inclusive():
    # 0.35·s + 0.65·d exactly on each threshold
    assert combined_fraction(1.0, 0.0) == 0.35 and level_for(1.0, 0.0) == Level.BASIC
    assert combined_fraction(0.0, 0.6 / 0.65) == 0.6 and level_for(0.0, 0.6 / 0.65) == Level.PROFICIENT
    assert level_for(1.0, (0.85 - 0.35) / 0.65) == Level.ADVANCED
    assert level_for(1.0, 0.7) == Level.PROFICIENT  # 0.805


def test_diagnostic_weighs_more_than_the_self_assessment():
    assert combined_fraction(0.0, 1.0) > combined_fraction(1.0, 0.0)
    assert level_for(0.0, 1.0) > level_for(1.0, 0.0)


def test_without_a_diagnostic_the_self_assessment_alone_stops_at_proficient():
    assert level_for(1.0, None) == Level.PROFICIENT
    assert level_for(0.7, None) == Level.PROFICIENT
    assert level_for(0.5, None) == Level.BASIC
    assert level_for(0.2, None) == Level.NOT_YET


def test_without_statements_the_diagnostic_alone_places():
    assert level_for(None, 0.9) == Level.ADVANCED
    assert level_for(None, 0.3) == Level.NOT_YET
    with pytest.raises(ValueError):
        level_for(None, None)
