"""Grading of every question type: pure functions of a version's payload and a learner's response.

The contract the attempts part relies on:

- `grade(qtype, payload, response) -> Grade`: `fraction` in [0, 1] (None for an essay, which a
  trainer grades by hand), and `feedback_ids`, the ids of the options/answers whose feedback applies.
- Responses are the JSON the attempts part stores, one shape per type:
  single_choice {"choice": id}; multiple_response {"choices": [id, ...]}; true_false {"value": bool};
  short_answer {"text": str}; numeric {"value": number or "3,14"}; matching {"matches": {pair id:
  answer text}}; ordering {"order": [item id, ...]}; essay {"text": str}.
- A response that does not fit (wrong shape, an id of another question, a duplicate) raises
  MalformedResponse, which the attempts part answers with a 4xx; nothing here ever 500s on input.
- An empty response (nothing chosen, blank text) is valid and scores 0.

Partial credit: multiple response adds the fractions of the chosen options (wrong options carry
negative fractions) and clamps to [0, 1]; matching scores correct pairs / pairs; ordering scores
items in their correct position / items. Short answers take the first accepted answer that
matches (Moodle's rule), with `*` as a wildcard; numeric answers take the best-scoring answer
within its absolute tolerance.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .choices import QuestionType
from .errors import MalformedResponse
from .text import normalise_answer

MAX_TEXT_LENGTH = 20_000


@dataclass(frozen=True)
class Grade:
    fraction: float | None
    feedback_ids: tuple[str, ...] = ()

    @property
    def needs_manual_grading(self) -> bool:
        return self.fraction is None


def _clamp(value: float) -> float:
    """Into [0, 1], with stored rounding undone: three options at 33.33333% make exactly 1."""
    value = min(1.0, max(0.0, value))
    return 1.0 if value > 1 - 1e-6 else round(value, 7)


def _field(response: Any, key: str) -> Any:
    if not isinstance(response, dict) or set(response) - {key}:
        raise MalformedResponse()
    return response.get(key)


def response_is_blank(response: Any) -> bool:
    """Nothing chosen, typed or matched, whatever the type: a page saved without JavaScript stores such a
    response for every question on it, which is not an answer (a true/false "false" or a number is one)."""

    def blank(value: Any) -> bool:
        if value is None:
            return True
        if isinstance(value, str):
            return not value.strip()
        if isinstance(value, list | tuple):
            return not value
        if isinstance(value, dict):
            return all(blank(item) for item in value.values())
        return False

    return not response or blank(response)


def _text(response: Any) -> str:
    value = _field(response, "text")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > MAX_TEXT_LENGTH:
        raise MalformedResponse()
    if "\x00" in value:  # PostgreSQL stores no NUL character (jsonb or text)
        raise MalformedResponse(_("The answer contains a character that cannot be stored (NUL). Remove it and "
                                  "type the answer again."))
    return value


def grade_single_choice(payload: dict, response: Any) -> Grade:
    choice = _field(response, "choice")
    if choice is None or choice == "":
        return Grade(0.0)
    options = {option["id"]: option for option in payload["options"]}
    if not isinstance(choice, str) or choice not in options:
        raise MalformedResponse()
    return Grade(_clamp(options[choice]["fraction"]), (choice,))


def grade_multiple_response(payload: dict, response: Any) -> Grade:
    choices = _field(response, "choices") or []
    options = {option["id"]: option for option in payload["options"]}
    if not isinstance(choices, list) or len(set(map(str, choices))) != len(choices):
        raise MalformedResponse()
    if any(not isinstance(choice, str) or choice not in options for choice in choices):
        raise MalformedResponse()
    chosen = [option_id for option_id in options if option_id in choices]
    return Grade(_clamp(sum(options[option_id]["fraction"] for option_id in chosen)), tuple(chosen))


def grade_true_false(payload: dict, response: Any) -> Grade:
    value = _field(response, "value")
    if value is None:
        return Grade(0.0)
    if not isinstance(value, bool):
        raise MalformedResponse()
    return Grade(1.0 if value is payload["correct"] else 0.0, ("true" if value else "false",))


def _wildcard_pattern(answer: str) -> re.Pattern:
    """`*` matches any text, `\\*` a literal star; everything else literally, the whole response."""
    parts = re.split(r"(\\\*|\*)", answer)
    regex = "".join(".*" if part == "*" else re.escape("*" if part == "\\*" else part) for part in parts)
    return re.compile(rf"\A{regex}\Z", re.DOTALL)


def short_answer_matches(answer: str, text: str, *, ignore_case: bool, ignore_diacritics: bool) -> bool:
    options = {"ignore_case": ignore_case, "ignore_diacritics": ignore_diacritics}
    return bool(_wildcard_pattern(normalise_answer(answer, **options)).match(normalise_answer(text, **options)))


def grade_short_answer(payload: dict, response: Any) -> Grade:
    text = _text(response)
    if not text.strip():
        return Grade(0.0)
    for answer in payload["answers"]:
        if short_answer_matches(
            answer["text"], text, ignore_case=payload["ignore_case"], ignore_diacritics=payload["ignore_diacritics"]
        ):
            return Grade(_clamp(answer["fraction"]), (answer["id"],))
    return Grade(0.0)


def parse_number(value: Any) -> float | None:
    """A learner's number: an int/float, or a string with a dot or a Vietnamese decimal comma."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise MalformedResponse()
    if isinstance(value, str):
        cleaned = value.strip().replace(" ", "")
        if "," in cleaned and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
        if len(cleaned) > 64 or not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", cleaned):
            raise MalformedResponse(_("Give a number, such as 12.5 or 12,5 (no thousands separator, no unit)."))
        value = cleaned
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError) as error:  # OverflowError: an int of 400 digits
        raise MalformedResponse() from error
    if not math.isfinite(number):
        raise MalformedResponse()
    return number


def grade_numeric(payload: dict, response: Any) -> Grade:
    number = parse_number(_field(response, "value"))
    if number is None:
        return Grade(0.0)
    best = None
    for answer in payload["answers"]:
        # A hair of slack so 0.1 + 0.2 counts as 0.3 with zero tolerance.
        slack = answer["tolerance"] + 1e-9 * max(1.0, abs(answer["value"]))
        if abs(number - answer["value"]) <= slack and (best is None or answer["fraction"] > best["fraction"]):
            best = answer
    return Grade(_clamp(best["fraction"]), (best["id"],)) if best else Grade(0.0)


def grade_matching(payload: dict, response: Any) -> Grade:
    matches = _field(response, "matches") or {}
    pairs = {pair["id"]: pair for pair in payload["pairs"]}
    offered = {pair["answer"] for pair in payload["pairs"]} | set(payload.get("extra_answers", []))
    if not isinstance(matches, dict) or set(matches) - set(pairs):
        raise MalformedResponse()
    if any(value is not None and (not isinstance(value, str) or value not in offered) for value in matches.values()):
        raise MalformedResponse()
    right = tuple(pair_id for pair_id, pair in pairs.items() if matches.get(pair_id) == pair["answer"])
    return Grade(_clamp(len(right) / len(pairs)), right)


def grade_ordering(payload: dict, response: Any) -> Grade:
    order = _field(response, "order") or []
    correct = [item["id"] for item in payload["items"]]
    if not isinstance(order, list):
        raise MalformedResponse()
    if not order:
        return Grade(0.0)
    if sorted(map(str, order)) != sorted(correct) or not all(isinstance(item, str) for item in order):
        raise MalformedResponse()
    right = tuple(item for item, expected in zip(order, correct) if item == expected)
    return Grade(_clamp(len(right) / len(correct)), right)


def grade_essay(payload: dict, response: Any) -> Grade:
    _text(response)
    return Grade(None)


GRADERS = {
    QuestionType.SINGLE_CHOICE: grade_single_choice,
    QuestionType.MULTIPLE_RESPONSE: grade_multiple_response,
    QuestionType.TRUE_FALSE: grade_true_false,
    QuestionType.SHORT_ANSWER: grade_short_answer,
    QuestionType.NUMERIC: grade_numeric,
    QuestionType.MATCHING: grade_matching,
    QuestionType.ORDERING: grade_ordering,
    QuestionType.ESSAY: grade_essay,
}


def grade(qtype: str, payload: dict, response: Any) -> Grade:
    try:
        grader = GRADERS[QuestionType(qtype)]
    except ValueError as error:
        raise MalformedResponse() from error
    return grader(payload, response)
