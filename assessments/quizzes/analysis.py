"""Item analysis of a quiz, computed by the database: three queries whatever the number of attempts.

Per question version shown (a fixed quiz shows one version per question; a random draw, or an edit
between attempts, gives several rows):

- responses: how many finished attempts showed it; answered: how many gave an answer;
- facility index: the mean fraction of the mark scored (0..1; ungraded essays are left out);
- discrimination index (classic upper–lower groups): the attempts are ranked by their fraction of
  the marks; the upper group is the top 27 % (rounded, at least one attempt), the lower group the
  bottom 27 %; D = facility in the upper group − facility in the lower group (−1..1). Ties at the
  boundary are broken by attempt id, so the groups always have the same size;
- option frequencies (single choice, multiple response, true/false): how many responses picked each
  option. A multiple-response answer is stored as {"choices": [ids]}: it is matched on the JSON text
  of that list (`"id"` with its quotes), the same on SQLite and PostgreSQL.

Only submitted attempts count (in progress ones never do); `first_only` keeps each person's first
attempt.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count, Min, OuterRef, Q, Subquery
from django.db.models.fields.json import KT
from django.utils.translation import gettext as _

from assessments.choices import QuestionType
from assessments.models import Attempt, AttemptSlot, QuestionVersion, Quiz

from .choices import FINISHED_STATES

GROUP_SHARE = 0.27
CHOICE_TYPES = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_RESPONSE)


@dataclass
class OptionFrequency:
    label: str
    count: int
    is_correct: bool


@dataclass
class ItemRow:
    version: QuestionVersion
    position: int
    responses: int
    answered: int
    facility: float | None
    discrimination: float | None
    options: list[OptionFrequency] = field(default_factory=list)


@dataclass
class ItemAnalysis:
    attempts: int
    group_size: int
    rows: list[ItemRow]


def _attempts(quiz: Quiz, first_only: bool):
    attempts = Attempt.objects.filter(quiz=quiz, state__in=FINISHED_STATES, fraction__isnull=False)
    if first_only:
        first = (
            Attempt.objects.filter(quiz=quiz, person=OuterRef("person"), state__in=FINISHED_STATES)
            .order_by("number").values("number")[:1]
        )
        attempts = attempts.filter(number=Subquery(first))
    return attempts


def item_analysis(quiz: Quiz, *, first_only: bool = False) -> ItemAnalysis:
    attempts = _attempts(quiz, first_only)
    count = attempts.count()  # query 1
    if not count:
        return ItemAnalysis(0, 0, [])
    group = max(1, round(count * GROUP_SHARE))
    upper = attempts.order_by("-fraction", "-pk").values("pk")[:group]
    lower = attempts.order_by("fraction", "pk").values("pk")[:group]
    slots = AttemptSlot.objects.filter(attempt__in=attempts.values("pk"))
    # Every option id any version of the quiz offers: known from the payloads, so one column each.
    versions = {
        version.pk: version
        for version in QuestionVersion.objects.filter(pk__in=slots.values("version_id")).select_related("question")
    }  # query 2
    option_ids = sorted({
        str(option["id"]) for version in versions.values() if version.qtype in CHOICE_TYPES
        for option in version.payload.get("options", [])
    })
    choices_text = KT("response__choices")
    columns = {
        f"opt_{index}": Count("pk", filter=Q(version__qtype=QuestionType.SINGLE_CHOICE, response__choice=oid)
                              | Q(version__qtype=QuestionType.MULTIPLE_RESPONSE, choices_text__contains=f'"{oid}"'))
        for index, oid in enumerate(option_ids)
    }
    rows = (
        slots.annotate(choices_text=choices_text)
        .values("version_id")
        .annotate(
            position=Min("number"),
            responses=Count("pk"),
            answered=Count("pk", filter=Q(response__isnull=False)),
            facility=Avg("fraction"),
            facility_upper=Avg("fraction", filter=Q(attempt_id__in=upper)),
            facility_lower=Avg("fraction", filter=Q(attempt_id__in=lower)),
            said_true=Count("pk", filter=Q(version__qtype=QuestionType.TRUE_FALSE, response__value=True)),
            said_false=Count("pk", filter=Q(version__qtype=QuestionType.TRUE_FALSE, response__value=False)),
            **columns,
        )
        .order_by("position", "version_id")
    )  # query 3
    result = []
    for row in rows:
        version = versions[row["version_id"]]
        upper_f, lower_f = row["facility_upper"], row["facility_lower"]
        item = ItemRow(
            version=version, position=row["position"], responses=row["responses"], answered=row["answered"],
            facility=row["facility"],
            discrimination=None if upper_f is None or lower_f is None else upper_f - lower_f,
        )
        if version.qtype in CHOICE_TYPES:
            item.options = [
                OptionFrequency(option["text"], row[f"opt_{option_ids.index(str(option['id']))}"], option["fraction"] > 0)
                for option in version.payload.get("options", [])
            ]
        elif version.qtype == QuestionType.TRUE_FALSE:
            correct = bool(version.payload.get("correct"))
            item.options = [
                OptionFrequency(_("True"), row["said_true"], correct),
                OptionFrequency(_("False"), row["said_false"], not correct),
            ]
        result.append(item)
    return ItemAnalysis(count, group, result)
