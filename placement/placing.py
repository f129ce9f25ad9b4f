"""The placing rule: from a module's self-assessment and diagnostic result to a level. Pure functions.

For each module:
- the self-assessment fraction is the mean of the person's ratings of that module's items (0–3) over 3;
- the diagnostic fraction is the marks earned over the marks available on the diagnostic quiz's
  questions tagged with the module's code (see `selectors.diagnostic_fractions`), or None when the
  quiz had no such question (or the survey has no quiz);
- combined = 35% self-assessment + 65% diagnostic: the diagnostic weighs more because it is
  measured, not claimed. Without diagnostic evidence, combined is the self-assessment alone and the
  level stops at "proficient": "advanced" must be shown, not only claimed. A module the survey has
  no statement for is placed on the diagnostic alone; with neither, it is not placed;
- the level is the highest whose threshold the combined fraction reaches: 0.35 basic,
  0.60 proficient, 0.85 advanced; below 0.35 "not yet".

Example: rating yourself 3 everywhere but scoring 0 on the module's questions gives 0.35 → basic;
rating yourself 0 but answering everything right gives 0.65 → proficient.
"""

from __future__ import annotations

from collections.abc import Iterable

from .modules import Level, SelfRating

SELF_WEIGHT = 0.35
DIAGNOSTIC_WEIGHT = 0.65
THRESHOLDS = ((0.85, Level.ADVANCED), (0.60, Level.PROFICIENT), (0.35, Level.BASIC))
CAP_WITHOUT_DIAGNOSTIC = Level.PROFICIENT


def self_fraction(ratings: Iterable[int]) -> float | None:
    """The mean rating over the top of the scale, in [0, 1]; None for no ratings."""
    ratings = list(ratings)
    if not ratings:
        return None
    return sum(ratings) / (len(ratings) * max(SelfRating.values))


def combined_fraction(self_part: float | None, diagnostic: float | None) -> float:
    if self_part is None and diagnostic is None:
        raise ValueError("A module needs a self-assessment or a diagnostic result to be placed.")
    if diagnostic is None:
        return round(self_part, 6)
    if self_part is None:
        return round(diagnostic, 6)
    return round(SELF_WEIGHT * self_part + DIAGNOSTIC_WEIGHT * diagnostic, 6)


def level_for(self_part: float | None, diagnostic: float | None) -> Level:
    combined = combined_fraction(self_part, diagnostic)
    level = next((level for threshold, level in THRESHOLDS if combined >= threshold), Level.NOT_YET)
    if diagnostic is None and level > CAP_WITHOUT_DIAGNOSTIC:
        return CAP_WITHOUT_DIAGNOSTIC
    return level
