"""Reads: the access log, data requests and who may see or handle them, and a person's own data export."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from accounts.models import ConsentRecord
from accounts.services import PRIVACY_NOTICE_VERSION
from accounts.roles import Role, user_roles
from organisations.selectors import can_manage_people, officer_unit, people_managed_by, person_of

from .models import OPEN_STATUSES, AccessLog, DataRequest, DataRequestStatus


def accesses_of(user, *, since: datetime.timedelta) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(user=user, at__gte=timezone.now() - since).order_by("at", "id")


# --- Data requests -------------------------------------------------------------------------------------

def can_view_data_requests(user) -> bool:
    """The queue: unit training officers (their subtree), site administrators, Home Affairs (reading)."""
    return can_manage_people(user) or Role.HOME_AFFAIRS in user_roles(user)


def can_handle_data_requests(user) -> bool:
    """Handling a request changes people's data: the same people as editing them (organisations)."""
    return can_manage_people(user)


def data_requests_visible_to(user) -> QuerySet[DataRequest]:
    """Requests the user may read: all for site administrators and Home Affairs; a unit officer's subtree."""
    requests = DataRequest.objects.select_related("user__person__unit", "user__person__commune", "handled_by")
    roles = user_roles(user)
    if roles & {Role.SITE_ADMIN, Role.HOME_AFFAIRS}:
        return requests
    unit = officer_unit(user)
    if unit is None:
        return requests.none()
    return requests.filter(user__person__unit__path__startswith=unit.path)


def data_requests_handled_by(user) -> QuerySet[DataRequest]:
    """Requests the user may act on: those of the people they manage (organisations.people_managed_by).
    Home Affairs reads every request but handles none (unless also the officer of a unit)."""
    requests = DataRequest.objects.select_related("user__person__unit", "handled_by")
    if Role.SITE_ADMIN in user_roles(user):
        return requests
    if officer_unit(user) is None:
        return requests.none()
    return requests.filter(user__person__in=people_managed_by(user).values("pk"))


def data_requests_queue(queryset: QuerySet[DataRequest], *, query: str = "", status: str = "") -> QuerySet[DataRequest]:
    """Open requests first, overdue ones at the very top, each by due date; then the closed, newest first."""
    now = timezone.now()
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif status in DataRequestStatus.values:
        queryset = queryset.filter(status=status)
    query = query.strip()
    if query:
        match = (Q(user__person__full_name__icontains=query) | Q(user__person__employee_code__iexact=query)
                 | Q(user__email__iexact=query))
        if query.lstrip("#").isdecimal():
            match |= Q(pk=int(query.lstrip("#")))
        queryset = queryset.filter(match)
    is_open = Q(status__in=OPEN_STATUSES)
    return queryset.annotate(
        open_first=Case(When(is_open, then=Value(True)), default=Value(False), output_field=BooleanField()),
        overdue_first=Case(When(is_open & Q(due_at__lt=now), then=Value(True)), default=Value(False),
                           output_field=BooleanField()),
    ).order_by("-open_first", "-overdue_first", "due_at", "-created_at", "-id")


def data_requests_of(user) -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(user=user).order_by("-created_at", "-id")


def data_requests_due_soon(queryset: QuerySet[DataRequest], *, now: datetime.datetime,
                           within: datetime.timedelta) -> QuerySet[DataRequest]:
    """Open requests due within `within` from `now`, or overdue."""
    return queryset.filter(status__in=OPEN_STATUSES, due_at__lte=now + within).order_by("due_at", "id")


def consents_of(user) -> QuerySet[ConsentRecord]:
    return ConsentRecord.objects.filter(user=user).order_by("-given_at", "-id")


def consent_standing(user, notice_version: str = PRIVACY_NOTICE_VERSION) -> bool:
    """Whether the user's consent to this version of the notice is on record and not withdrawn."""
    return ConsentRecord.objects.filter(user=user, notice_version=notice_version, withdrawn_at__isnull=True).exists()


# --- A person's own data, as a download ----------------------------------------------------------------

EXPORT_FORMAT_VERSION = 1


def _display(instance, field: str) -> str:
    return str(getattr(instance, f"get_{field}_display")())


def _account(user) -> dict:
    return {
        "username": user.username, "email": user.email, "first_name": user.first_name, "last_name": user.last_name,
        "date_joined": user.date_joined, "last_login": user.last_login, "is_active": user.is_active,
        "roles": sorted(role.value for role in user_roles(user)),
    }


def _person(person) -> dict | None:
    if person is None:
        return None
    return {
        "id": person.pk, "full_name": person.full_name, "employee_code": person.employee_code,
        "position": person.position, "staff_category": _display(person, "staff_category"),
        "audience": _display(person, "audience"), "is_leader": person.is_leader, "is_cio": person.is_cio,
        "it_qualification": _display(person, "it_qualification"), "gender": _display(person, "gender"),
        "birth_year": person.birth_year, "phone": person.phone, "invited_at": person.invited_at,
        "created_at": person.created_at, "updated_at": person.updated_at,
    }


def _unit(unit) -> dict | None:
    if unit is None:
        return None
    return {"name": unit.name, "code": unit.code, "kind": _display(unit, "kind"),
            "path": [ancestor.name for ancestor in unit.get_ancestors()] + [unit.name]}


def _enrolments(person) -> Iterator[dict]:
    from courses.models import Enrolment

    rows = Enrolment.objects.filter(person=person).select_related("course").prefetch_related("lesson_progress__lesson")
    for enrolment in rows.order_by("enrolled_at", "id").iterator(chunk_size=200):
        yield {
            "course": enrolment.course.title, "course_code": enrolment.course.code,
            "source": _display(enrolment, "source"), "status": _display(enrolment, "status"),
            "enrolled_at": enrolment.enrolled_at, "completed_at": enrolment.completed_at,
            "lessons": [{"lesson": p.lesson.title, "first_opened_at": p.first_opened_at,
                         "completed_at": p.completed_at} for p in enrolment.lesson_progress.all()],
        }


def _assignments(person) -> Iterator[dict]:
    from courses.models import Assignment

    for assignment in Assignment.objects.filter(person=person).select_related("course").order_by("created_at", "id"):
        yield {"course": assignment.course.title, "due_date": assignment.due_date, "assigned_at": assignment.created_at}


def _attempts(person) -> Iterator[dict]:
    from assessments.models import Attempt

    rows = Attempt.objects.filter(person=person).select_related("quiz").prefetch_related("slots")
    for attempt in rows.order_by("started_at", "id").iterator(chunk_size=100):
        yield {
            "quiz": attempt.quiz.title, "number": attempt.number, "state": _display(attempt, "state"),
            "started_at": attempt.started_at, "submitted_at": attempt.submitted_at, "score": attempt.score,
            "max_score": attempt.max_score,
            "answers": [{"question": slot.number, "response": slot.response, "saved_at": slot.saved_at,
                         "mark": slot.mark, "max_mark": slot.max_mark}
                        for slot in sorted(attempt.slots.all(), key=lambda s: s.number)],
        }


def _certificates(person) -> Iterator[dict]:
    from certification.models import Certificate, ExternalCertificate

    for certificate in Certificate.objects.filter(person=person).order_by("issued_at", "id"):
        yield {"kind": "issued", "serial": certificate.serial, "holder_name": certificate.holder_name,
               "course": certificate.course_title, "hours": certificate.hours, "grade": certificate.grade,
               "issued_at": certificate.issued_at, "state": _display(certificate, "state"),
               "revoked_at": certificate.revoked_at}
    for external in ExternalCertificate.objects.filter(person=person).order_by("submitted_at", "id"):
        yield {"kind": "external", "title": external.title, "number": external.number, "issuer": external.issuer,
               "issued_on": external.issued_on, "state": _display(external, "state"),
               "submitted_at": external.submitted_at, "competencies_claimed": external.competency_codes}


def _competencies(person) -> Iterator[dict]:
    from certification.models import CompetencyRecord

    rows = CompetencyRecord.objects.filter(person=person).select_related("competency")
    for record in rows.order_by("recorded_at", "id"):
        yield {"competency": record.competency.code, "achieved_on": record.achieved_on,
               "valid_until": record.valid_until, "source": _display(record, "source"),
               "state": _display(record, "state"), "recorded_at": record.recorded_at}


def _consents(user) -> Iterator[dict]:
    for consent in consents_of(user):
        yield {"notice_version": consent.notice_version, "given_at": consent.given_at,
               "withdrawn_at": consent.withdrawn_at}


def _requests(user) -> Iterator[dict]:
    for data_request in data_requests_of(user):
        yield {"id": data_request.pk, "kind": _display(data_request, "kind"), "field_names": data_request.field_names,
               "details": data_request.details, "correct_value": data_request.correct_value,
               "status": _display(data_request, "status"), "created_at": data_request.created_at,
               "due_at": data_request.due_at, "handled_at": data_request.handled_at,
               "response": data_request.response}


def personal_data_export(user) -> Iterator[str]:
    """Everything the LMS keeps about `user`, as one JSON document produced piece by piece (streamed), so a
    person with years of attempts does not build the whole file in memory."""
    encoder = DjangoJSONEncoder(ensure_ascii=False, indent=None)
    person = person_of(user)
    yield "{"
    yield f'"format_version": {EXPORT_FORMAT_VERSION}, "exported_at": {encoder.encode(timezone.now())}, '
    yield f'"account": {encoder.encode(_account(user))}, "person": {encoder.encode(_person(person))}, '
    yield f'"unit": {encoder.encode(_unit(person.unit if person else None))}, '
    yield f'"commune": {encoder.encode(_unit(person.commune if person else None))}'
    sections = [("consents", _consents(user)), ("data_requests", _requests(user))]
    if person is not None:
        sections = [
            ("enrolments", _enrolments(person)), ("assignments", _assignments(person)),
            ("quiz_attempts", _attempts(person)), ("certificates", _certificates(person)),
            ("competencies", _competencies(person)), *sections,
        ]
    for name, rows in sections:
        yield f", {json.dumps(name)}: ["
        for index, row in enumerate(rows):
            yield ("," if index else "") + encoder.encode(row)
        yield "]"
    yield "}\n"
