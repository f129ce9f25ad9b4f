"""Expiry: the daily task appends an EXPIRED record (append-only) for competencies past their date, and
reminds holders and their unit officers once, 30 days before."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.core import mail

from certification.choices import RecordSource, RecordState
from certification.models import Competency, CompetencyRecord, ExpiryReminder
from certification.selectors import competencies_of
from certification.services import competency_record
from certification.services.expiry import competencies_expiry_run
from certification.tasks import competencies_expire

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def two_year_security():
    Competency.objects.filter(code="IU14").update(validity_months=24)


def record(person, achieved_on, code="IU14"):
    return competency_record(
        person=person, competency_code=code, source=RecordSource.QUIZ, achieved_on=achieved_on,
        evidence_ref=f"quiz-attempt:{achieved_on:%Y%m%d}",
    )


def test_the_beat_schedule_runs_the_task_daily():
    entry = django_settings.CELERY_BEAT_SCHEDULE["competency-expiry"]
    assert entry["task"] == "certification.tasks.competencies_expire"
    assert competencies_expire.name == entry["task"]


def test_a_record_past_its_date_is_expired_by_a_new_record(learner):
    old = record(learner, datetime.date(2024, 11, 1))  # valid until 2026-11-01
    kept = record(learner, datetime.date(2024, 11, 1), code="IU01")  # IU01 never expires

    result = competencies_expiry_run(today=TODAY)

    assert result.expired == 1
    old.refresh_from_db()
    assert old.state == RecordState.SUPERSEDED
    expired = CompetencyRecord.objects.get(person=learner, competency__code="IU14", state=RecordState.EXPIRED)
    assert (expired.valid_until, expired.source, expired.evidence_ref) == (
        datetime.date(2026, 11, 1), RecordSource.QUIZ, old.evidence_ref,
    )
    kept.refresh_from_db()
    assert kept.state == RecordState.ACTIVE
    assert competencies_expiry_run(today=TODAY).expired == 0  # idempotent
    assert CompetencyRecord.objects.filter(person=learner).count() == 3
    assert {h.competency.code: h.state for h in competencies_of(learner, today=TODAY)} == {
        "IU01": RecordState.ACTIVE, "IU14": RecordState.EXPIRED,
    }


def test_people_and_their_officer_are_reminded_once_30_days_before(learner, officer_a, make_person, unit_b):
    learner.user.email = "nhung@example.gov.vn"
    learner.user.save()
    officer_a.user.email = "canbo@example.gov.vn"
    officer_a.user.save()
    other_officer = make_person(unit=unit_b, roles=["unit_officer"])
    other_officer.user.email = "other@example.gov.vn"
    other_officer.user.save()
    soon = record(learner, datetime.date(2024, 12, 20))  # valid until 2026-12-20: 27 days left
    later = record(make_person(unit=learner.unit), datetime.date(2025, 6, 1))  # 2027: not yet

    result = competencies_expiry_run(today=TODAY)

    assert (result.people_reminded, result.officers_reminded) == (1, 1)
    assert sorted(message.to[0] for message in mail.outbox) == ["canbo@example.gov.vn", "nhung@example.gov.vn"]
    holder_mail = next(m for m in mail.outbox if m.to == ["nhung@example.gov.vn"])
    assert "IU14" in holder_mail.body and "20/12/2026" in holder_mail.body
    officer_mail = next(m for m in mail.outbox if m.to == ["canbo@example.gov.vn"])
    assert "Nguyễn Thị Hồng Nhung" in officer_mail.body
    assert ExpiryReminder.objects.filter(record=soon).exists()
    assert not ExpiryReminder.objects.filter(record=later).exists()

    mail.outbox.clear()
    again = competencies_expiry_run(today=TODAY + datetime.timedelta(days=1))
    assert (again.people_reminded, again.officers_reminded) == (0, 0)
    assert mail.outbox == []


def test_a_renewed_competency_is_reminded_again_when_the_new_record_nears_its_date(learner):
    learner.user.email = "nhung@example.gov.vn"
    learner.user.save()
    record(learner, datetime.date(2024, 12, 20))
    competencies_expiry_run(today=TODAY)
    renewed = record(learner, datetime.date(2026, 12, 1))  # valid until 2028-12-01
    mail.outbox.clear()

    assert competencies_expiry_run(today=datetime.date(2028, 11, 10)).people_reminded == 1
    assert ExpiryReminder.objects.filter(record=renewed).exists()
