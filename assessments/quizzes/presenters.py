"""What the learner's pages show of a slot, built here so templates never see a payload.

`question_view` carries texts and ids only, in the attempt's pinned order: no fraction, no feedback,
no correct answer can reach the attempt page. `review_view` adds what the quiz's review options allow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from assessments.choices import QuestionType
from assessments.grading import response_is_blank
from assessments.models import AttemptSlot

from .selectors import ReviewRights


@dataclass
class QuestionView:
    number: int
    page: int
    qtype: str
    stem: str
    mark: Any
    options: list[dict] = field(default_factory=list)  # {"id", "text", "selected"}
    prompts: list[dict] = field(default_factory=list)  # matching {"id", "prompt", "chosen"}; ordering {"id", "text", "position"}
    answers: list[str] = field(default_factory=list)  # matching: the answer texts offered
    positions: list[int] = field(default_factory=list)  # ordering: 1..n
    text: str = ""
    value: Any = None
    saved: bool = False
    error: str = ""  # why the answer sent from the page was not saved
    # Review only:
    fraction: float | None = None
    slot_mark: Any = None
    feedback: list[str] = field(default_factory=list)
    correct: list[str] = field(default_factory=list)
    general_feedback: str = ""
    comment: str = ""  # the trainer's comment on a hand-graded answer


def question_view(slot: AttemptSlot, *, sent: Any = None, error: str = "") -> QuestionView:
    """The slot as the attempt page shows it: with its saved answer, or with the answer `sent` from the page
    that was not saved (`error` says why) so that the learner corrects it instead of typing it again."""
    version, response = slot.version, (sent if sent is not None else slot.response) or {}
    payload = version.payload
    view = QuestionView(
        number=slot.number, page=slot.page, qtype=version.qtype, stem=version.stem, mark=slot.max_mark,
        saved=slot.saved_at is not None and not error and not response_is_blank(slot.response), error=error,
    )
    qtype = version.qtype
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        texts = {option["id"]: option["text"] for option in payload["options"]}
        chosen = set(response.get("choices") or []) | {response.get("choice")}
        view.options = [{"id": oid, "text": texts[oid], "selected": oid in chosen} for oid in slot.option_order if oid in texts]
    elif qtype == QuestionType.TRUE_FALSE:
        view.value = response.get("value")
    elif qtype in (QuestionType.SHORT_ANSWER, QuestionType.ESSAY):
        view.text = response.get("text") or (payload.get("response_template", "") if not slot.saved_at else "")
    elif qtype == QuestionType.NUMERIC:
        view.text = "" if response.get("value") is None else str(response.get("value"))
    elif qtype == QuestionType.MATCHING:
        matches = response.get("matches") or {}
        view.answers = list(slot.option_order)
        view.prompts = [{"id": pair["id"], "prompt": pair["prompt"], "chosen": matches.get(pair["id"])} for pair in payload["pairs"]]
    elif qtype == QuestionType.ORDERING:
        texts = {item["id"]: item["text"] for item in payload["items"]}
        order = response.get("order") or slot.option_order
        view.prompts = [{"id": iid, "text": texts[iid], "position": index} for index, iid in enumerate(order, start=1) if iid in texts]
        view.positions = list(range(1, len(view.prompts) + 1))
    return view


def _correct_answers(version) -> list[str]:
    payload, qtype = version.payload, version.qtype
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        return [option["text"] for option in payload["options"] if option["fraction"] > 0]
    if qtype == QuestionType.TRUE_FALSE:
        return [_("True") if payload["correct"] else _("False")]
    if qtype == QuestionType.SHORT_ANSWER:
        return [answer["text"] for answer in payload["answers"] if answer["fraction"] >= 1]
    if qtype == QuestionType.NUMERIC:
        return [f"{answer['value']} ± {answer['tolerance']}" for answer in payload["answers"] if answer["fraction"] >= 1]
    if qtype == QuestionType.MATCHING:
        return [f"{pair['prompt']} → {pair['answer']}" for pair in payload["pairs"]]
    if qtype == QuestionType.ORDERING:
        return [item["text"] for item in payload["items"]]
    return []


def _feedback(version, feedback_ids: list[str]) -> list[str]:
    payload = version.payload
    if version.qtype == QuestionType.TRUE_FALSE:
        return [payload.get(f"feedback_{value}", "") for value in feedback_ids if payload.get(f"feedback_{value}")]
    rows = payload.get("options") or payload.get("answers") or []
    return [row["feedback"] for row in rows if row.get("id") in feedback_ids and row.get("feedback")]


def slot_grading(slot: AttemptSlot):
    """The slot's hand grading (mark author, time, comment), or None."""
    try:
        return slot.grading
    except AttemptSlot.grading.RelatedObjectDoesNotExist:
        return None


def review_view(slot: AttemptSlot, rights: ReviewRights) -> QuestionView:
    view = question_view(slot)
    key = slot.key_version or slot.version  # a regrade may have graded against a fixed version
    if rights.marks:
        view.fraction, view.slot_mark = slot.fraction, slot.mark
        view.feedback = _feedback(key, slot.feedback_ids)
        grading = slot_grading(slot)
        view.comment = grading.comment if grading is not None else ""
    if rights.correct_answers:
        view.correct = _correct_answers(key)
        view.general_feedback = slot.version.general_feedback
    return view


def response_text(slot: AttemptSlot) -> list[str]:
    """The learner's answer as plain lines, for the trainer's pages (templates escape them)."""
    version, response = slot.version, slot.response
    if response is None:
        return []
    payload, qtype = version.payload, version.qtype
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE):
        texts = {option["id"]: option["text"] for option in payload.get("options", [])}
        chosen = list(response.get("choices") or []) + ([response["choice"]] if response.get("choice") else [])
        return [texts.get(oid, oid) for oid in chosen]
    if qtype == QuestionType.TRUE_FALSE:
        value = response.get("value")
        return [] if value is None else [_("True") if value else _("False")]
    if qtype in (QuestionType.SHORT_ANSWER, QuestionType.ESSAY):
        return [response.get("text") or ""]
    if qtype == QuestionType.NUMERIC:
        return [] if response.get("value") is None else [str(response.get("value"))]
    if qtype == QuestionType.MATCHING:
        matches = response.get("matches") or {}
        return [f"{pair['prompt']} → {matches.get(pair['id']) or '—'}" for pair in payload.get("pairs", [])]
    if qtype == QuestionType.ORDERING:
        texts = {item["id"]: item["text"] for item in payload.get("items", [])}
        return [texts.get(iid, iid) for iid in response.get("order") or []]
    return []


def correct_answers(slot: AttemptSlot) -> list[str]:
    """The answer key that graded the slot (a regrade's fixed version, or the version shown)."""
    return _correct_answers(slot.key_version or slot.version)
