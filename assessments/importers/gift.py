"""A parser for Moodle's GIFT format.

Supported: `//` comment lines (with Moodle's `[tag:IU01]` tags), `::title::`, `[html]`/`[plain]`/
`[moodle]`/`[markdown]` formats, `$CATEGORY: path`, essay `{}`, true/false `{T}`/`{FALSE#wrong#right}`,
choices `{=a ~b ~c}` (single choice when an answer starts with `=`, multiple response otherwise,
`~%50%x` weights), per-answer feedback `#`, general feedback `####`, short answer `{=a =b}`,
numeric `{#3.14:0.01}`, `{#1..5}` and `{#=%100%3.14:0.01 =%50%3}`, matching `{=a -> b}`, text
after the answer block (a missing-word question), and the escapes `\\: \\= \\~ \\# \\{ \\} \\\\ \\n`.

Every problem names the line where its question starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.choices import QuestionType

from .base import ImportedQuestion, ImportProblem, ParseResult, clean_rich_text, plain_to_rich_text

ESCAPES = {":": ":", "=": "=", "~": "~", "#": "#", "{": "{", "}": "}", "\\": "\\", "n": "\n"}
TAG = re.compile(r"\[tag:([^\]]+)\]")
WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}
NAME_LENGTH = 60


class GiftError(ValueError):
    pass


@dataclass
class _Block:
    line: int
    text: str
    tags: list[str]


def _find(text: str, token: str, start: int = 0) -> int:
    """Index of the first unescaped `token` at or after `start`, or -1."""
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(token, index):
            return index
        index += 1
    return -1


def _split(text: str, markers: str) -> list[tuple[str, str]]:
    """Split at every unescaped marker character: [(marker, text after it), ...]."""
    parts, index, start, marker = [], 0, 0, ""
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char in markers:
            if text[start:index].strip() or marker:
                parts.append((marker, text[start:index]))
            marker, start = char, index + 1
        index += 1
    parts.append((marker, text[start:]))
    return [(marker, body) for marker, body in parts if marker or body.strip()]


def unescape(text: str) -> str:
    out, index = [], 0
    while index < len(text):
        if text[index] == "\\" and index + 1 < len(text) and text[index + 1] in ESCAPES:
            out.append(ESCAPES[text[index + 1]])
            index += 2
        else:
            out.append(text[index])
            index += 1
    return "".join(out).strip()


def _feedback(text: str) -> tuple[str, str]:
    index = _find(text, "#")
    if index < 0:
        return unescape(text), ""
    return unescape(text[:index]), unescape(text[index + 1 :])


def _weight(text: str, default: float) -> tuple[float, str]:
    text = text.strip()
    match = WEIGHT.match(text)
    if not match:
        return default, text
    return float(match.group(1)) / 100, text[match.end() :]


def _number(text: str) -> float:
    try:
        return float(unescape(text))
    except ValueError as error:
        raise GiftError(_("“%(value)s” is not a number.") % {"value": unescape(text)}) from error


def _numeric_answer(text: str, default: float) -> dict:
    fraction, text = _weight(text, default)
    value_text, feedback = _feedback(text)
    if ".." in value_text:
        low, high = (_number(part) for part in value_text.split("..", 1))
        if high < low:
            raise GiftError(_("The range %(range)s ends before it starts.") % {"range": value_text})
        value, tolerance = (low + high) / 2, (high - low) / 2
    elif ":" in value_text:
        value_part, tolerance_part = value_text.rsplit(":", 1)
        value, tolerance = _number(value_part), _number(tolerance_part)
    else:
        value, tolerance = _number(value_text), 0.0
    return {"value": value, "tolerance": tolerance, "fraction": fraction, "feedback": feedback}


def _answers(block: str) -> tuple[str, dict]:
    body = block.strip()
    if not body:
        return QuestionType.ESSAY, {}
    if body.startswith("#"):
        body = body[1:]
        if _find(body, "=") >= 0:
            return QuestionType.NUMERIC, {
                "answers": [_numeric_answer(text, 1.0) for marker, text in _split(body, "=") if marker == "="]
            }
        return QuestionType.NUMERIC, {"answers": [_numeric_answer(body, 1.0)]}
    head, *feedbacks = (part for part in _split_hashes(body))
    if head.strip() in TRUE_FALSE:
        correct = TRUE_FALSE[head.strip()]
        wrong, right = (feedbacks + ["", ""])[:2]
        return QuestionType.TRUE_FALSE, {
            "correct": correct,
            "feedback_true": right if correct else wrong,
            "feedback_false": wrong if correct else right,
        }
    entries = _split(body, "=~")
    if any(not marker for marker, _text in entries):
        raise GiftError(_("Every answer must start with = (right) or ~ (wrong)."))
    if _find(body, "->") >= 0:
        pairs, extra = [], []
        for marker, text in entries:
            arrow = _find(text, "->")
            if marker != "=" or arrow < 0:
                raise GiftError(_("Each matching pair is written =item -> match."))
            prompt, answer = unescape(text[:arrow]), unescape(text[arrow + 2 :])
            if prompt:
                pairs.append({"prompt": prompt, "answer": answer})
            else:
                extra.append(answer)
        return QuestionType.MATCHING, {"pairs": pairs, "extra_answers": extra}
    if any(marker == "~" for marker, _text in entries):
        single = any(marker == "=" for marker, _text in entries)
        options = []
        for marker, text in entries:
            fraction, text = _weight(text, 1.0 if marker == "=" else 0.0)
            option_text, feedback = _feedback(text)
            options.append({"text": option_text, "fraction": fraction, "feedback": feedback})
        return (QuestionType.SINGLE_CHOICE if single else QuestionType.MULTIPLE_RESPONSE), {"options": options}
    answers = []
    for _marker, text in entries:
        fraction, text = _weight(text, 1.0)
        answer_text, feedback = _feedback(text)
        answers.append({"text": answer_text, "fraction": fraction, "feedback": feedback})
    return QuestionType.SHORT_ANSWER, {"answers": answers, "ignore_case": True, "ignore_diacritics": False}


def _split_hashes(text: str) -> list[str]:
    parts, start = [], 0
    while True:
        index = _find(text, "#", start)
        if index < 0:
            parts.append(unescape(text[start:]))
            return parts
        parts.append(unescape(text[start:index]))
        start = index + 1


def _category(text: str) -> list[str]:
    path = text.split(":", 1)[1].strip()
    steps = [step.strip() for step in path.split("/") if step.strip()]
    if steps and re.fullmatch(r"\$\w+\$", steps[0]):
        steps = steps[1:]
    if steps and steps[0] == "top":
        steps = steps[1:]
    return steps


def _question(block: _Block, category: list[str]) -> ImportedQuestion:
    text = block.text
    name = ""
    if text.startswith("::"):
        end = _find(text, "::", 2)
        if end < 0:
            raise GiftError(_("The title is not closed with ::."))
        name, text = unescape(text[2:end]), text[end + 2 :].lstrip()
    text_format = "moodle"
    format_match = re.match(r"^\[(html|plain|moodle|markdown)\]", text)
    if format_match:
        text_format, text = format_match.group(1), text[format_match.end() :]
    opening = _find(text, "{")
    if opening < 0:
        raise GiftError(_("No answer block: write the answers between { and }."))
    closing = _find(text, "}", opening + 1)
    if closing < 0:
        raise GiftError(_("The answer block is not closed with }."))
    before, inside, after = text[:opening], text[opening + 1 : closing], text[closing + 1 :]
    if _find(after, "{") >= 0:
        raise GiftError(_("Only one answer block per question is supported."))
    general_feedback = ""
    feedback_start = _find(inside, "####")
    if feedback_start >= 0:
        inside, general_feedback = inside[:feedback_start], unescape(inside[feedback_start + 4 :])
    qtype, payload = _answers(inside)
    stem_text = unescape(before) + (" _____ " + unescape(after) if after.strip() else "")
    stem = clean_rich_text(stem_text) if text_format == "html" else plain_to_rich_text(stem_text)
    if not stem:
        raise GiftError(_("The question text is empty."))
    plain_stem = " ".join(re.sub(r"<[^>]+>", " ", stem).split())
    return ImportedQuestion(
        where=_("Line %(line)s") % {"line": block.line},
        name=name or plain_stem[:NAME_LENGTH],
        qtype=qtype,
        stem=stem,
        payload=payload,
        general_feedback=plain_to_rich_text(general_feedback) if general_feedback else "",
        competency_codes=block.tags,
        category_path=category,
    )


def _blocks(text: str) -> list[_Block]:
    blocks, current, start, tags = [], [], 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("//"):
            tags.extend(tag.strip() for tag in TAG.findall(stripped))
            continue
        if not stripped:
            if current:
                blocks.append(_Block(start, "\n".join(current).strip(), tags))
                current, tags = [], []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append(_Block(start, "\n".join(current).strip(), tags))
    return blocks


def parse_gift(text: str) -> ParseResult:
    result, category = ParseResult(), []
    for block in _blocks(text):
        if block.text.startswith("$CATEGORY:"):
            first_line, _newline, rest = block.text.partition("\n")
            category = _category(first_line)
            if not rest.strip():
                continue
            block = _Block(block.line + 1, rest.strip(), block.tags)
        try:
            result.questions.append(_question(block, category))
        except GiftError as error:
            result.problems.append(ImportProblem(_("Line %(line)s") % {"line": block.line}, str(error)))
    return result
