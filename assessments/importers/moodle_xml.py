"""A reader of Moodle XML question files, through defusedxml (entity expansion and external
entities are refused, so "billion laughs" and file-disclosure tricks never reach the parser).

Supported: the `<category>` pseudo-question, multichoice (single and multiple), truefalse,
shortanswer (`usecase`), numerical (tolerance, several answers), matching, essay, and the
`ordering` plugin (answers in their correct order). Other types are reported, by index and name.
An `<lms_ignorediacritics>` element (written by our exporter) carries the short-answer option
Moodle lacks. Tags that look like competency codes become competency tags.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from assessments.choices import QuestionType
from assessments.models import COMPETENCY_CODE

from .base import (
    ImportedQuestion,
    ImportProblem,
    ParseResult,
    clean_rich_text,
    file_problem,
    html_to_text,
    plain_to_rich_text,
)

SUPPORTED = {"multichoice", "truefalse", "shortanswer", "numerical", "matching", "essay", "ordering"}


class MoodleError(ValueError):
    pass


def _text(element: Element | None, path: str = "text") -> str:
    if element is None:
        return ""
    found = element.find(path) if path else element
    return (found.text or "") if found is not None else ""


def _rich(element: Element | None) -> str:
    """A Moodle text element: HTML when format="html" (or unset), escaped plain text otherwise."""
    if element is None:
        return ""
    raw = _text(element)
    if element.get("format", "html") in {"html", "moodle_auto_format", "markdown"}:
        return clean_rich_text(raw)
    return plain_to_rich_text(raw)


def _plain(element: Element | None) -> str:
    if element is None:
        return ""
    raw = _text(element)
    return html_to_text(raw) if element.get("format", "html") == "html" else " ".join(raw.split())


def _fraction(answer: Element) -> float:
    try:
        return float(answer.get("fraction", "0")) / 100
    except ValueError as error:
        raise MoodleError(_("An answer's fraction is not a number.")) from error


def _flag(question: Element, tag: str, default: bool) -> bool:
    value = (question.findtext(tag) or "").strip().lower()
    return default if not value else value in {"1", "true"}


def _choices(question: Element) -> tuple[str, dict]:
    single = _flag(question, "single", True)
    options = [
        {"text": _plain(answer), "fraction": _fraction(answer), "feedback": _plain(answer.find("feedback"))}
        for answer in question.findall("answer")
    ]
    qtype = QuestionType.SINGLE_CHOICE if single else QuestionType.MULTIPLE_RESPONSE
    return qtype, {"options": options, "shuffle": _flag(question, "shuffleanswers", True)}


def _true_false(question: Element) -> tuple[str, dict]:
    feedback = {}
    correct = None
    for answer in question.findall("answer"):
        value = _plain(answer).lower()
        if value not in {"true", "false"}:
            raise MoodleError(_("A true/false answer must be “true” or “false”."))
        feedback[value] = _plain(answer.find("feedback"))
        if _fraction(answer) >= 1:
            correct = value == "true"
    if correct is None:
        raise MoodleError(_("Neither “true” nor “false” is marked correct."))
    return QuestionType.TRUE_FALSE, {
        "correct": correct, "feedback_true": feedback.get("true", ""), "feedback_false": feedback.get("false", "")
    }


def _short_answer(question: Element) -> tuple[str, dict]:
    answers = [
        {"text": _plain(answer), "fraction": _fraction(answer), "feedback": _plain(answer.find("feedback"))}
        for answer in question.findall("answer")
    ]
    return QuestionType.SHORT_ANSWER, {
        "answers": answers,
        "ignore_case": not _flag(question, "usecase", False),
        "ignore_diacritics": _flag(question, "lms_ignorediacritics", False),
    }


def _numeric(question: Element) -> tuple[str, dict]:
    answers = []
    for answer in question.findall("answer"):
        answers.append(
            {
                "value": _plain(answer),
                "tolerance": (answer.findtext("tolerance") or "0").strip(),
                "fraction": _fraction(answer),
                "feedback": _plain(answer.find("feedback")),
            }
        )
    return QuestionType.NUMERIC, {"answers": answers}


def _matching(question: Element) -> tuple[str, dict]:
    pairs, extra = [], []
    for sub in question.findall("subquestion"):
        prompt, answer = _plain(sub), html_to_text(_text(sub, "answer/text"))
        if prompt:
            pairs.append({"prompt": prompt, "answer": answer})
        elif answer:
            extra.append(answer)
    shuffle = _flag(question, "shuffleanswers", True)
    return QuestionType.MATCHING, {"pairs": pairs, "extra_answers": extra, "shuffle": shuffle}


def _ordering(question: Element) -> tuple[str, dict]:
    return QuestionType.ORDERING, {"items": [{"text": _plain(answer)} for answer in question.findall("answer")]}


def _essay(question: Element) -> tuple[str, dict]:
    return QuestionType.ESSAY, {
        "response_template": _plain(question.find("responsetemplate")),
        "grader_info": _plain(question.find("graderinfo")),
    }


READERS = {
    "multichoice": _choices, "truefalse": _true_false, "shortanswer": _short_answer, "numerical": _numeric,
    "matching": _matching, "ordering": _ordering, "essay": _essay,
}


def _category_path(question: Element) -> list[str]:
    steps = [step.strip() for step in _text(question.find("category")).split("/") if step.strip()]
    if steps and re.fullmatch(r"\$\w+\$", steps[0]):
        steps = steps[1:]
    if steps and steps[0] == "top":
        steps = steps[1:]
    return steps


def _mark(question: Element) -> Decimal:
    try:
        return Decimal((question.findtext("defaultgrade") or "1").strip()).quantize(Decimal("0.01"))
    except InvalidOperation as error:
        raise MoodleError(_("The default mark is not a number.")) from error


def parse_moodle_xml(data: bytes) -> ParseResult:
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException as error:
        raise file_problem(_("The file declares XML entities or a DTD, which are refused for safety.")) from error
    except (ParseError, ValueError) as error:
        raise file_problem(_("The file is not well-formed XML: %(error)s") % {"error": error}) from error
    except LookupError as error:  # an encoding declaration Python does not know
        raise file_problem(_("The file declares an unknown text encoding; save it as UTF-8.")) from error
    if root.tag != "quiz":
        raise file_problem(_("This is not a Moodle XML question file (its root element is not <quiz>)."))
    result, category = ParseResult(), []
    number = 0
    for question in root.findall("question"):
        kind = question.get("type", "")
        if kind == "category":
            category = _category_path(question)
            continue
        number += 1
        name = " ".join(_text(question.find("name")).split())
        where = _("Question %(number)s “%(name)s”") % {"number": number, "name": name}
        try:
            if kind not in SUPPORTED:
                raise MoodleError(_("The question type “%(type)s” is not supported.") % {"type": kind})
            qtype, payload = READERS[kind](question)
            tags = [_text(tag).strip() for tag in question.findall("tags/tag")]
            result.questions.append(
                ImportedQuestion(
                    where=where,
                    name=name,
                    qtype=qtype,
                    stem=_rich(question.find("questiontext")),
                    payload=payload,
                    general_feedback=_rich(question.find("generalfeedback")),
                    default_mark=_mark(question),
                    competency_codes=[tag for tag in tags if COMPETENCY_CODE.match(tag)],
                    category_path=category,
                )
            )
        except MoodleError as error:
            result.problems.append(ImportProblem(where, str(error)))
    return result
