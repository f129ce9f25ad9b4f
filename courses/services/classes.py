"""Classes (lớp): a dated cohort of a course run by a unit, with optional in-person sessions and
their attendance. Officers manage the classes of the units they manage; a session's trainer may
record its attendance."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from organisations.models import OrganisationUnit, Person
from organisations.selectors import people_managed_by, units_managed_by

from ..choices import EnrolmentStatus
from ..errors import (
    AttendanceNotAllowed,
    ClassEnded,
    ClassNotManaged,
    CourseNotLive,
    NotAClassMember,
    OutOfScope,
    SessionHasAttendance,
    SessionNotStarted,
    SessionOutsideClass,
    UnitOutOfScope,
)
from ..models import Attendance, ClassSession, Cohort, Course, Enrolment
from ..selectors import can_manage_cohort
from .enrolment import _assign
from .progress import enrolment_complete_if_done


@transaction.atomic
def cohort_create(
    *,
    course: Course,
    unit: OrganisationUnit,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    min_attendance_percent: int = 0,
    created_by,
) -> Cohort:
    """Open a class of a live course in a unit the user manages."""
    if not units_managed_by(created_by).filter(pk=unit.pk).exists():
        raise UnitOutOfScope()
    if not course.is_live:
        raise CourseNotLive()
    cohort = Cohort(
        course=course,
        unit=unit,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        min_attendance_percent=min_attendance_percent,
        created_by=created_by,
    )
    cohort.full_clean()
    cohort.save()
    return cohort


@dataclass(frozen=True)
class MembersResult:
    added: int  # people now members of this class
    already: int  # people who were members already
    elsewhere: int  # people following the course in another class, left there


def _members_add(*, cohort: Cohort, person_ids: set[int], added_by) -> MembersResult:
    if not can_manage_cohort(added_by, cohort):
        raise ClassNotManaged()
    if cohort.ends_on < timezone.localdate():
        raise ClassEnded()
    # Members are assigned the course, due on the class's last day (idempotent, as any assignment).
    _assign(course=cohort.course, person_ids=person_ids, due_date=cohort.ends_on, assigned_by=added_by)
    enrolments = Enrolment.objects.filter(course=cohort.course, person_id__in=person_ids)
    already = enrolments.filter(cohort=cohort).count()
    elsewhere = enrolments.exclude(cohort=cohort).exclude(cohort__isnull=True).count()
    added = enrolments.filter(cohort__isnull=True).update(cohort=cohort)
    return MembersResult(added=added, already=already, elsewhere=elsewhere)


@transaction.atomic
def cohort_members_add(*, cohort: Cohort, people: Iterable[Person], added_by) -> MembersResult:
    """Add these people (all managed by the user, or nobody is added) to the class."""
    person_ids = {person.pk for person in people}
    in_scope = set(people_managed_by(added_by).filter(pk__in=person_ids).values_list("pk", flat=True))
    if in_scope != person_ids:
        raise OutOfScope()
    return _members_add(cohort=cohort, person_ids=person_ids, added_by=added_by)


@transaction.atomic
def cohort_members_add_by_audience(
    *, cohort: Cohort, audience: str, unit: OrganisationUnit, added_by
) -> MembersResult:
    """Add everyone of the audience in the subtree of a unit the user manages to the class."""
    if not units_managed_by(added_by).filter(pk=unit.pk).exists():
        raise UnitOutOfScope()
    people = people_managed_by(added_by).filter(unit__path__startswith=unit.path, audience=audience)
    return _members_add(cohort=cohort, person_ids=set(people.values_list("pk", flat=True)), added_by=added_by)


@transaction.atomic
def cohort_member_remove(*, cohort: Cohort, enrolment: Enrolment, removed_by) -> None:
    """Take a member out of the class. Their enrolment, assignment and attendance records stay."""
    if not can_manage_cohort(removed_by, cohort):
        raise ClassNotManaged()
    if enrolment.cohort_id != cohort.pk:
        raise NotAClassMember()
    Enrolment.objects.filter(pk=enrolment.pk).update(cohort=None)


@transaction.atomic
def session_create(
    *,
    cohort: Cohort,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    topic: str = "",
    trainer=None,
    created_by,
) -> ClassSession:
    """Schedule an in-person session of the class, within its dates."""
    if not can_manage_cohort(created_by, cohort):
        raise ClassNotManaged()
    day = timezone.localtime(starts_at).date()
    if not cohort.starts_on <= day <= cohort.ends_on:
        raise SessionOutsideClass()
    session = ClassSession(
        cohort=cohort, starts_at=starts_at, ends_at=ends_at, place=place.strip(), topic=topic.strip(), trainer=trainer
    )
    session.full_clean()
    session.save()
    return session


@transaction.atomic
def session_delete(*, session: ClassSession, deleted_by) -> None:
    """Cancel a session that has no attendance yet (attendance already recorded is a record to keep)."""
    if not can_manage_cohort(deleted_by, session.cohort):
        raise ClassNotManaged()
    if Attendance.objects.filter(session=session).exists():
        raise SessionHasAttendance()
    session.delete()


@transaction.atomic
def attendance_record(*, session: ClassSession, present_enrolment_ids: Iterable[int], recorded_by) -> int:
    """Record who was present at the session: the listed members present, every other member absent.

    Recording again overwrites the previous sheet (a correction). Members whose course completion
    was waiting only for attendance complete now. Returns how many members were present.
    """
    if not (can_manage_cohort(recorded_by, session.cohort) or session.trainer_id == recorded_by.pk):
        raise AttendanceNotAllowed()
    if session.starts_at > timezone.now():
        raise SessionNotStarted()
    members = {
        enrolment.pk: enrolment for enrolment in Enrolment.objects.filter(cohort_id=session.cohort_id)
    }
    present = set(present_enrolment_ids)
    if not present <= members.keys():
        raise NotAClassMember()
    existing = {row.enrolment_id: row for row in Attendance.objects.filter(session=session)}
    to_create, to_update = [], []
    for enrolment_id in members:
        row = existing.get(enrolment_id)
        if row is None:
            to_create.append(
                Attendance(session=session, enrolment_id=enrolment_id, present=enrolment_id in present, recorded_by=recorded_by)
            )
        elif row.present != (enrolment_id in present):
            row.present, row.recorded_by = enrolment_id in present, recorded_by
            to_update.append(row)
    Attendance.objects.bulk_create(to_create)
    for row in to_update:
        row.save(update_fields=["present", "recorded_by", "recorded_at"])
    for enrolment_id in present:
        if members[enrolment_id].status == EnrolmentStatus.ACTIVE:
            enrolment_complete_if_done(enrolment=members[enrolment_id])
    return len(present)
