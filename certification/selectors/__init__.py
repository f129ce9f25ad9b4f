"""Reads of certification and who may see or change what. People are scoped only through
organisations.selectors; an out-of-scope certificate answers as if it did not exist."""

from __future__ import annotations

import datetime
import hmac
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils import timezone

from accounts.roles import Role, user_roles
from courses.choices import EnrolmentStatus
from courses.models import Course, Enrolment
from organisations.models import Person
from organisations.selectors import people_in_scope, people_managed_by

from ..choices import RecordState
from ..models import Certificate, Competency, CompetencyRecord, Standard

# --- Competencies -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeldCompetency:
    """A person's current record of a competency, with its state as of today (an active record past its
    date counts as expired even before the daily expiry task has appended the expired record)."""

    competency: Competency
    record: CompetencyRecord
    state: str

    @property
    def is_active(self) -> bool:
        return self.state == RecordState.ACTIVE


def _effective_state(record: CompetencyRecord, today: datetime.date) -> str:
    if record.state == RecordState.ACTIVE and record.valid_until is not None and record.valid_until < today:
        return RecordState.EXPIRED
    return record.state


def competencies_of(person: Person, *, today: datetime.date | None = None) -> list[HeldCompetency]:
    """Every competency the person has a current record of (active, expired or revoked), in framework order."""
    today = today or timezone.localdate()
    records = (
        CompetencyRecord.objects.filter(person=person)
        .exclude(state=RecordState.SUPERSEDED)
        .select_related("competency", "certificate")
        .order_by("competency__position", "competency__code")
    )
    return [HeldCompetency(record.competency, record, _effective_state(record, today)) for record in records]


def _active_competency_ids(person: Person, today: datetime.date | None = None) -> set[int]:
    return {held.competency.pk for held in competencies_of(person, today=today) if held.is_active}


def _standards() -> list[Standard]:
    return list(Standard.objects.filter(is_active=True).prefetch_related("required", "optional"))


def _met(standard: Standard, active: set[int], by_id: dict[int, Standard], seen: frozenset = frozenset()) -> bool:
    if standard.builds_on_id is not None:
        base = by_id.get(standard.builds_on_id)
        if base is None or base.pk in seen or not _met(base, active, by_id, seen | {standard.pk}):
            return False
    required = {competency.pk for competency in standard.required.all()}
    optional = {competency.pk for competency in standard.optional.all()}
    return required <= active and len(optional & active) >= standard.optional_minimum


def standards_met(person: Person, *, today: datetime.date | None = None) -> list[Standard]:
    """The composite standards the person meets now, derived from their active records."""
    active = _active_competency_ids(person, today)
    standards = _standards()
    by_id = {standard.pk: standard for standard in standards}
    return [standard for standard in standards if _met(standard, active, by_id)]


@dataclass(frozen=True)
class MissingCompetency:
    competency: Competency
    courses: list[Course]  # live courses that develop it


@dataclass(frozen=True)
class NextStandard:
    standard: Standard
    missing_required: list[MissingCompetency]
    optional_needed: int  # how many more of the optional competencies are needed
    optional_choices: list[MissingCompetency] = field(default_factory=list)


def missing_for_next_standard(person: Person, *, today: datetime.date | None = None) -> NextStandard | None:
    """The first standard (in order) the person does not meet yet but could work toward (the one it
    builds on is met), what is missing for it and the live courses that give each missing competency.
    None when every standard is met."""
    active = _active_competency_ids(person, today)
    standards = _standards()
    by_id = {standard.pk: standard for standard in standards}
    met = {standard.pk for standard in standards if _met(standard, active, by_id)}
    for standard in standards:
        if standard.pk in met or (standard.builds_on_id is not None and standard.builds_on_id not in met):
            continue
        courses_by_code = _live_courses_by_competency()
        required = [c for c in standard.required.all() if c.pk not in active]
        optional = [c for c in standard.optional.all() if c.pk not in active]
        optional_held = len(standard.optional.all()) - len(optional)
        return NextStandard(
            standard=standard,
            missing_required=[MissingCompetency(c, courses_by_code.get(c.code, [])) for c in required],
            optional_needed=max(standard.optional_minimum - optional_held, 0),
            optional_choices=[MissingCompetency(c, courses_by_code.get(c.code, [])) for c in optional]
            if standard.optional_minimum > optional_held
            else [],
        )
    return None


def _live_courses_by_competency() -> dict[str, list[Course]]:
    # Course.competency_codes is JSON, which SQLite cannot search: the live catalogue is small, read it once.
    by_code: dict[str, list[Course]] = {}
    for course in Course.objects.filter(is_live=True).select_related("page").order_by("title"):
        for code in course.competency_codes:
            by_code.setdefault(code, []).append(course)
    return by_code


# --- Certificates -----------------------------------------------------------------------------------


def certificates_of(person: Person) -> QuerySet[Certificate]:
    return Certificate.objects.filter(person=person).select_related("course").order_by("-issued_at", "-id")


def certificates_visible_to(user) -> QuerySet[Certificate]:
    """Certificates a user may open and download: their own and those of the people they may see."""
    return Certificate.objects.filter(person__in=people_in_scope(user).values("pk")).select_related("course")


def certificates_revocable_by(user) -> QuerySet[Certificate]:
    return Certificate.objects.filter(person__in=people_managed_by(user).values("pk")).select_related(
        "course", "person__unit"
    )


def can_revoke(user, certificate: Certificate) -> bool:
    """Site administrators, and unit officers managing the holder (organisations.selectors)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if Role.SITE_ADMIN in user_roles(user):
        return True
    return people_managed_by(user).filter(pk=certificate.person_id).exists()


def can_revoke_any(user) -> bool:
    return bool(user_roles(user) & {Role.SITE_ADMIN, Role.UNIT_OFFICER}) and people_managed_by(user).exists()


def certificate_by_token(token: str) -> Certificate | None:
    if not token or len(token) > 64:
        return None
    return Certificate.objects.filter(token=token).first()


def certificate_by_serial(serial: str, check_code: str) -> Certificate | None:
    """The certificate with this serial, only if the check code matches (compared in constant time)."""
    serial = "".join(serial.split()).upper()
    check_code = "".join(check_code.split()).upper().replace("-", "")
    certificate = Certificate.objects.filter(serial=serial).first() if serial else None
    if certificate is None or not hmac.compare_digest(certificate.check_code, check_code):
        return None
    return certificate


def enrolments_without_certificate(*, course: Course | None = None) -> QuerySet:
    """Ids of the completed enrolments that have no certificate yet (oldest completion first): what mass
    issuing (`manage.py certificates_issue_missing`) issues. A completion issues its certificate by itself;
    these are those whose issuing failed for good or was never asked for (completions written by a data
    migration or an import)."""
    enrolments = Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED, certificates__isnull=True)
    if course is not None:
        enrolments = enrolments.filter(course=course)
    return enrolments.order_by("completed_at", "pk").values_list("pk", flat=True)


def courses_missing_certificates() -> QuerySet:
    """The courses that have completed enrolments without a certificate, by title, each annotated with how
    many (`missing`): what the "issue a course's missing certificates" job offers."""
    # filter() before annotate(): the count is of the joined rows the WHERE keeps, not a FILTER over every enrolment.
    return (
        Course.objects.filter(enrolments__status=EnrolmentStatus.COMPLETED, enrolments__certificates__isnull=True)
        .annotate(missing=Count("enrolments"))
        .order_by("title")
    )
