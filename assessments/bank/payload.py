"""The content of a question version, per type, as one JSON payload: its shape and its rules.

`clean_payload(qtype, payload)` returns the payload normalised (ids given to options that lack one,
fractions rounded, unknown keys refused) or raises ValidationError with every problem, localised.

Shapes (option text and feedback are plain text; the stem and general feedback are rich text):

- single_choice, multiple_response: {"options": [{"id", "text", "fraction", "feedback"}], "shuffle"}
  fractions in [-1, 1]; single choice has exactly one option at 1; multiple response has positive
  fractions adding up to 1.
- true_false: {"correct": bool, "feedback_true", "feedback_false"}
- short_answer: {"answers": [{"id", "text", "fraction", "feedback"}], "ignore_case", "ignore_diacritics"}
  `*` in an answer matches any text (`\\*` is a literal star); one answer at fraction 1.
- numeric: {"answers": [{"id", "value", "tolerance", "fraction", "feedback"}]}, absolute tolerance >= 0.
- matching: {"pairs": [{"id", "prompt", "answer"}], "extra_answers": [text], "shuffle"}, two pairs or more.
- ordering: {"items": [{"id", "text"}]} in the correct order, two items or more.
- essay: {"response_template", "grader_info"}
"""

from __future__ import annotations

import math
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from assessments.choices import QuestionType

FRACTION_PLACES = 7
_FULL = 1.0


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _fraction(value: Any, errors: list[str], label: str, *, low: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors.append(_("%(item)s: the credit must be a number.") % {"item": label})
        return 0.0
    if not math.isfinite(number) or not low <= number <= 1:
        if low < 0:
            errors.append(_("%(item)s: the credit must be between -100%% and 100%%.") % {"item": label})
        else:
            errors.append(_("%(item)s: the credit must be between 0%% and 100%%.") % {"item": label})
    return round(number, FRACTION_PLACES)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).replace(",", ".")) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _rows(payload: dict, key: str, errors: list[str]) -> list[dict]:
    rows = payload.get(key, [])
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        errors.append(_("The question's content is malformed."))
        return []
    return rows


def _ids(rows: list[dict], prefix: str, errors: list[str]) -> list[str]:
    ids = [str(row.get("id") or f"{prefix}{number}") for number, row in enumerate(rows, start=1)]
    if len(set(ids)) != len(ids):
        errors.append(_("Two options have the same identifier."))
    return ids


def _is_full(fraction: float) -> bool:
    return abs(fraction - _FULL) < 1e-6


def _choices(payload, errors, *, single: bool) -> dict:
    rows = _rows(payload, "options", errors)
    options = []
    for number, (row, option_id) in enumerate(zip(rows, _ids(rows, "o", errors)), start=1):
        label = _("Option %(number)s") % {"number": number}
        text = _text(row.get("text"))
        if not text:
            errors.append(_("%(item)s: the text is empty.") % {"item": label})
        fraction = _fraction(row.get("fraction", 0), errors, label, low=-1)
        options.append({"id": option_id, "text": text, "fraction": fraction, "feedback": _text(row.get("feedback"))})
    if len(options) < 2:
        errors.append(_("Give at least two options."))
    elif single and sum(1 for option in options if _is_full(option["fraction"])) != 1:
        errors.append(_("A single-choice question needs exactly one option worth 100%."))
    elif not single and abs(sum(o["fraction"] for o in options if o["fraction"] > 0) - _FULL) > 0.01:
        errors.append(_("The credits of the correct options must add up to 100%."))
    return {"options": options, "shuffle": bool(payload.get("shuffle", True))}


def _true_false(payload, errors) -> dict:
    if not isinstance(payload.get("correct"), bool):
        errors.append(_("Say whether the statement is true or false."))
    return {
        "correct": bool(payload.get("correct")),
        "feedback_true": _text(payload.get("feedback_true")),
        "feedback_false": _text(payload.get("feedback_false")),
    }


def _short_answer(payload, errors) -> dict:
    rows = _rows(payload, "answers", errors)
    answers = []
    for number, (row, answer_id) in enumerate(zip(rows, _ids(rows, "a", errors)), start=1):
        label = _("Answer %(number)s") % {"number": number}
        text = _text(row.get("text"))
        if not text:
            errors.append(_("%(item)s: the text is empty.") % {"item": label})
        fraction = _fraction(row.get("fraction", 1), errors, label, low=0)
        answers.append({"id": answer_id, "text": text, "fraction": fraction, "feedback": _text(row.get("feedback"))})
    if not any(_is_full(answer["fraction"]) for answer in answers):
        errors.append(_("Give at least one answer worth 100%."))
    return {
        "answers": answers,
        "ignore_case": bool(payload.get("ignore_case", True)),
        "ignore_diacritics": bool(payload.get("ignore_diacritics", False)),
    }


def _numeric(payload, errors) -> dict:
    rows = _rows(payload, "answers", errors)
    answers = []
    for number, (row, answer_id) in enumerate(zip(rows, _ids(rows, "a", errors)), start=1):
        label = _("Answer %(number)s") % {"number": number}
        value = _number(row.get("value"))
        tolerance = _number(row.get("tolerance", 0) or 0)
        if value is None:
            errors.append(_("%(item)s: the value must be a number.") % {"item": label})
        if tolerance is None or tolerance < 0:
            errors.append(_("%(item)s: the tolerance must be a number, zero or more.") % {"item": label})
        fraction = _fraction(row.get("fraction", 1), errors, label, low=0)
        answers.append(
            {
                "id": answer_id,
                "value": value if value is not None else 0.0,
                "tolerance": tolerance if tolerance is not None and tolerance >= 0 else 0.0,
                "fraction": fraction,
                "feedback": _text(row.get("feedback")),
            }
        )
    if not any(_is_full(answer["fraction"]) for answer in answers):
        errors.append(_("Give at least one answer worth 100%."))
    return {"answers": answers}


def _matching(payload, errors) -> dict:
    rows = _rows(payload, "pairs", errors)
    pairs = []
    for number, (row, pair_id) in enumerate(zip(rows, _ids(rows, "p", errors)), start=1):
        prompt, answer = _text(row.get("prompt")), _text(row.get("answer"))
        if not prompt or not answer:
            errors.append(_("Pair %(number)s: give both the item and its match.") % {"number": number})
        pairs.append({"id": pair_id, "prompt": prompt, "answer": answer})
    if len(pairs) < 2:
        errors.append(_("Give at least two pairs."))
    extra = payload.get("extra_answers", [])
    if not isinstance(extra, list) or not all(_text(item) for item in extra):
        errors.append(_("Extra (wrong) matches must be non-empty texts."))
        extra = []
    return {
        "pairs": pairs,
        "extra_answers": [_text(item) for item in extra],
        "shuffle": bool(payload.get("shuffle", True)),
    }


def _ordering(payload, errors) -> dict:
    rows = _rows(payload, "items", errors)
    items = []
    for number, (row, item_id) in enumerate(zip(rows, _ids(rows, "i", errors)), start=1):
        text = _text(row.get("text"))
        if not text:
            errors.append(_("Item %(number)s: the text is empty.") % {"number": number})
        items.append({"id": item_id, "text": text})
    if len(items) < 2:
        errors.append(_("Give at least two items to put in order."))
    return {"items": items}


def _essay(payload, errors) -> dict:
    return {
        "response_template": _text(payload.get("response_template")),
        "grader_info": _text(payload.get("grader_info")),
    }


_CLEANERS = {
    QuestionType.SINGLE_CHOICE: lambda payload, errors: _choices(payload, errors, single=True),
    QuestionType.MULTIPLE_RESPONSE: lambda payload, errors: _choices(payload, errors, single=False),
    QuestionType.TRUE_FALSE: _true_false,
    QuestionType.SHORT_ANSWER: _short_answer,
    QuestionType.NUMERIC: _numeric,
    QuestionType.MATCHING: _matching,
    QuestionType.ORDERING: _ordering,
    QuestionType.ESSAY: _essay,
}


def clean_payload(qtype: str, payload: Any) -> dict:
    if qtype not in _CLEANERS:
        raise ValidationError(_("Unknown question type “%(type)s”.") % {"type": qtype})
    if not isinstance(payload, dict):
        raise ValidationError(_("The question's content is malformed."))
    errors: list[str] = []
    cleaned = _CLEANERS[QuestionType(qtype)](payload, errors)
    unknown = set(payload) - set(cleaned)
    if unknown:
        errors.append(_("Unexpected fields for this type: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    return cleaned
