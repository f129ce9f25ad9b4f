"""Export to Moodle XML, in the shape assessments.importers.moodle_xml reads back identically.

Each question is written from its current version. A `<category>` pseudo-question precedes the
questions of each category, with the path from the exported category down
(`$course$/top/Bảo mật/Mật khẩu`). Option texts are plain text; stems stay HTML (images as this
site's references). Short answers carry `<lms_ignorediacritics>`, which Moodle ignores.
"""

from __future__ import annotations

from collections.abc import Iterable
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from assessments.choices import QuestionType
from assessments.models import Question, QuestionCategory

MOODLE_TYPES = {
    QuestionType.SINGLE_CHOICE: "multichoice",
    QuestionType.MULTIPLE_RESPONSE: "multichoice",
    QuestionType.TRUE_FALSE: "truefalse",
    QuestionType.SHORT_ANSWER: "shortanswer",
    QuestionType.NUMERIC: "numerical",
    QuestionType.MATCHING: "matching",
    QuestionType.ORDERING: "ordering",
    QuestionType.ESSAY: "essay",
}


def _percent(fraction: float) -> str:
    return f"{fraction * 100:.5f}".rstrip("0").rstrip(".") or "0"


def _text(parent: Element, tag: str, text: str, text_format: str | None = None) -> Element:
    element = SubElement(parent, tag, {"format": text_format} if text_format else {})
    SubElement(element, "text").text = text
    return element


def _value(parent: Element, tag: str, text: str) -> None:
    SubElement(parent, tag).text = text


def _answer(parent: Element, fraction: float, text: str, feedback: str = "") -> Element:
    answer = _text(parent, "answer", text, "plain_text")
    answer.set("fraction", _percent(fraction))
    _text(answer, "feedback", feedback, "plain_text")
    return answer


def _write_payload(element: Element, qtype: str, payload: dict) -> None:
    if qtype in {QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE}:
        _value(element, "single", "true" if qtype == QuestionType.SINGLE_CHOICE else "false")
        _value(element, "shuffleanswers", "1" if payload["shuffle"] else "0")
        _value(element, "answernumbering", "abc")
        for option in payload["options"]:
            _answer(element, option["fraction"], option["text"], option["feedback"])
    elif qtype == QuestionType.TRUE_FALSE:
        _answer(element, 1.0 if payload["correct"] else 0.0, "true", payload["feedback_true"])
        _answer(element, 0.0 if payload["correct"] else 1.0, "false", payload["feedback_false"])
    elif qtype == QuestionType.SHORT_ANSWER:
        _value(element, "usecase", "0" if payload["ignore_case"] else "1")
        _value(element, "lms_ignorediacritics", "1" if payload["ignore_diacritics"] else "0")
        for answer in payload["answers"]:
            _answer(element, answer["fraction"], answer["text"], answer["feedback"])
    elif qtype == QuestionType.NUMERIC:
        for answer in payload["answers"]:
            written = _answer(element, answer["fraction"], repr(float(answer["value"])), answer["feedback"])
            _value(written, "tolerance", repr(float(answer["tolerance"])))
    elif qtype == QuestionType.MATCHING:
        _value(element, "shuffleanswers", "1" if payload["shuffle"] else "0")
        for pair in payload["pairs"]:
            sub = _text(element, "subquestion", pair["prompt"], "plain_text")
            _text(sub, "answer", pair["answer"])
        for extra in payload["extra_answers"]:
            sub = _text(element, "subquestion", "", "plain_text")
            _text(sub, "answer", extra)
    elif qtype == QuestionType.ORDERING:
        for position, item in enumerate(payload["items"], start=1):
            answer = _text(element, "answer", item["text"], "plain_text")
            answer.set("fraction", str(position))
    elif qtype == QuestionType.ESSAY:
        _value(element, "responseformat", "editor")
        _value(element, "responserequired", "1")
        _text(element, "responsetemplate", payload["response_template"], "plain_text")
        _text(element, "graderinfo", payload["grader_info"], "plain_text")


def _question(root: Element, question: Question) -> None:
    version = question.current_version
    element = SubElement(root, "question", {"type": MOODLE_TYPES[version.qtype]})
    _text(element, "name", question.name)
    _text(element, "questiontext", version.stem, "html")
    _text(element, "generalfeedback", version.general_feedback, "html")
    _value(element, "defaultgrade", f"{version.default_mark:.2f}")
    _value(element, "penalty", "0")
    _value(element, "hidden", "0")
    _write_payload(element, version.qtype, version.payload)
    codes = [tag.code for tag in question.competencies.all()]
    if codes:
        tags = SubElement(element, "tags")
        for code in codes:
            _text(tags, "tag", code)


def _path(category: QuestionCategory, root: QuestionCategory | None, names: dict[int, tuple]) -> list[str]:
    steps, node = [], category
    while node is not None:
        steps.append(node.name)
        if root is not None and node.pk == root.pk:
            break
        node = names.get(node.parent_id)
    return steps[::-1]


def export_moodle_xml(questions: Iterable[Question], *, root: QuestionCategory | None = None) -> bytes:
    """`questions` with their category, current version and competencies loaded (see selectors)."""
    categories = {category.pk: category for category in QuestionCategory.objects.all()}
    quiz = Element("quiz")
    current = None
    for question in questions:
        if question.category_id != current:
            current = question.category_id
            header = SubElement(quiz, "question", {"type": "category"})
            path = "/".join(_path(categories[current], root, categories))
            _text(header, "category", f"$course$/top/{path}")
        _question(quiz, question)
    indent(quiz)
    return tostring(quiz, encoding="utf-8", xml_declaration=True)
