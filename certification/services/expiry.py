"""Expiry and recertification (daily Celery beat task, certification.tasks.competencies_expire): records
past their date get an EXPIRED record appended (the active one superseded, nothing overwritten), and people
whose competencies expire within COMPETENCY_EXPIRY_REMINDER_DAYS are reminded once, with their officers."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from organisations.invitations import site_url
from organisations.models import Person
from organisations.selectors import people_managed_by

from ..choices import RecordState
from ..models import CompetencyRecord, ExpiryReminder
from . import _append


@dataclass(frozen=True)
class ExpiryResult:
    expired: int  # records appended as expired
    people_reminded: int
    officers_reminded: int


def _email(template: str, context: dict, to: str) -> EmailMessage:
    with translation.override(settings.LANGUAGE_CODE):  # no request: the site's language
        subject = " ".join(render_to_string(f"certification/emails/{template}_subject.txt", context).split())
        body = render_to_string(f"certification/emails/{template}.txt", context)
    return EmailMessage(subject, body, None, [to])


@transaction.atomic
def _expire_one(record_id: int, today: datetime.date) -> bool:
    record = CompetencyRecord.objects.select_for_update().filter(
        pk=record_id, state=RecordState.ACTIVE, valid_until__lt=today
    ).first()
    if record is None:  # renewed or revoked meanwhile, or another run did it
        return False
    Person.objects.select_for_update().filter(pk=record.person_id).first()
    expired = CompetencyRecord(
        person_id=record.person_id,
        competency_id=record.competency_id,
        achieved_on=record.achieved_on,
        valid_until=record.valid_until,
        source=record.source,
        certificate_id=record.certificate_id,
        evidence_ref=record.evidence_ref,
        state=RecordState.EXPIRED,
        note=f"Hết hạn ngày {record.valid_until:%d/%m/%Y}",
    )
    _append(current=record, record=expired)
    return True


def competencies_expire(*, today: datetime.date | None = None) -> int:
    """Append an EXPIRED record for each active record whose valid_until has passed. Idempotent."""
    today = today or timezone.localdate()
    ids = CompetencyRecord.objects.filter(state=RecordState.ACTIVE, valid_until__lt=today).values_list("pk", flat=True)
    return sum(_expire_one(record_id, today) for record_id in list(ids))


def expiry_reminders_send(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Remind, once per record, the holders of competencies expiring within the reminder period, and the
    unit officers managing them (one e-mail each). Returns (people, officers) e-mailed."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.COMPETENCY_EXPIRY_REMINDER_DAYS)
    due = (
        CompetencyRecord.objects.filter(
            state=RecordState.ACTIVE, valid_until__gte=today, valid_until__lte=horizon, expiry_reminder__isnull=True
        )
        .select_related("competency", "person__user", "person__unit")
        .order_by("person_id", "valid_until", "competency__position")
    )
    by_person: dict[int, list[CompetencyRecord]] = defaultdict(list)
    for record in due:
        by_person[record.person_id].append(record)
    if not by_person:
        return 0, 0
    link = site_url(reverse("certification:my_competencies"))
    people = 0
    with get_connection() as connection:
        for records in by_person.values():
            person = records[0].person
            with transaction.atomic():
                # The reminder rows are the "sent once" mark; a failed send rolls them back for tomorrow.
                ExpiryReminder.objects.bulk_create([ExpiryReminder(record=record) for record in records])
                if person.user.is_active and person.user.email:
                    context = {"person": person, "records": records, "link": link, "site_name": settings.LMS_SITE_NAME}
                    connection.send_messages([_email("expiry_reminder", context, person.user.email)])
                    people += 1
        officers = _remind_officers(connection, by_person)
    return people, officers


def _remind_officers(connection, by_person: dict[int, list[CompetencyRecord]]) -> int:
    officers = (
        get_user_model()
        .objects.filter(groups__name=Role.UNIT_OFFICER.value, is_active=True, person__unit__isnull=False)
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    sent = 0
    for officer in officers:
        managed = set(people_managed_by(officer).filter(pk__in=list(by_person)).values_list("pk", flat=True))
        managed.discard(getattr(getattr(officer, "person", None), "pk", None))
        if not managed:
            continue
        rows = [record for person_id in sorted(managed) for record in by_person[person_id]]
        context = {"officer": officer, "records": rows, "site_name": settings.LMS_SITE_NAME}
        connection.send_messages([_email("expiry_officer", context, officer.email)])
        sent += 1
    return sent


def competencies_expiry_run(*, today: datetime.date | None = None) -> ExpiryResult:
    expired = competencies_expire(today=today)
    people, officers = expiry_reminders_send(today=today)
    return ExpiryResult(expired, people, officers)
