"""Enrolment (by the learner) and assignment (by a unit's training officer)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from lms.lookups import among
from organisations.models import OrganisationUnit, Person
from organisations.selectors import people_managed_by, units_managed_by

from ..choices import EnrolmentSource
from ..errors import CourseNotLive, DueDateInPast, OutOfScope, UnitOutOfScope
from ..models import Assignment, Course, Enrolment
from ..selectors import self_enrolment_refusal


@transaction.atomic
def enrolment_create(*, person: Person, course: Course) -> Enrolment:
    """The person enrols themselves; enrolling again returns the enrolment they have.

    Raises the refusal of courses.selectors.self_enrolment_refusal (not live, assignment only,
    another audience, prerequisites missing). Assigned people are enrolled by assignment_create.
    """
    existing = Enrolment.objects.filter(person=person, course=course).first()
    if existing is not None:
        return existing
    refusal = self_enrolment_refusal(person=person, course=course)
    if refusal is not None:
        raise refusal
    enrolment = Enrolment(person=person, course=course, source=EnrolmentSource.SELF)
    enrolment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError:
        # A second request of the same person won the race: theirs is the enrolment.
        return Enrolment.objects.get(person=person, course=course)
    return enrolment


@dataclass(frozen=True)
class AssignmentResult:
    created: int  # people newly assigned
    updated: int  # people already assigned, whose due date is now the new one


@transaction.atomic
def assignment_create(
    *, course: Course, people: Iterable[Person], due_date: datetime.date, assigned_by
) -> AssignmentResult:
    """Assign the course to these people and enrol them, in a constant number of queries (on SQLite
    the inserts are split in batches of its 999 parameters).

    Every person must be managed by `assigned_by` (organisations.selectors.people_managed_by) or
    nothing is assigned. Assigning again is harmless: nobody is assigned twice, and the due date of
    the latest assignment wins, so an officer can move a deadline by assigning again.
    """
    person_ids = {person.pk for person in people}
    # One query: who is in scope, and which of them already has the assignment.
    found = dict(
        people_managed_by(assigned_by)
        .filter(among("pk", sorted(person_ids)))
        .annotate(assigned=Exists(Assignment.objects.filter(course=course, person=OuterRef("pk"))))
        .values_list("pk", "assigned")
        .order_by()
    )
    if len(person_ids) != len(found):
        raise OutOfScope()
    already = {pk for pk, assigned in found.items() if assigned}
    return _assign(course=course, person_ids=person_ids, due_date=due_date, assigned_by=assigned_by, already=already)


@transaction.atomic
def assignment_create_for_audience(
    *, course: Course, audience: str, unit: OrganisationUnit, due_date: datetime.date, assigned_by
) -> AssignmentResult:
    """Assign the course to everyone of the audience in the unit's subtree, a unit the user manages."""
    if not units_managed_by(assigned_by).filter(pk=unit.pk).exists():
        raise UnitOutOfScope()
    people = people_managed_by(assigned_by).filter(unit__path__startswith=unit.path, audience=audience)
    person_ids = set(people.values_list("pk", flat=True))
    return _assign(course=course, person_ids=person_ids, due_date=due_date, assigned_by=assigned_by)


def _assign(
    *, course: Course, person_ids: set[int], due_date: datetime.date, assigned_by, already: set[int] | None = None
) -> AssignmentResult:
    """`already`: those of `person_ids` who have the assignment, when the caller has read it."""
    if not course.is_live:
        raise CourseNotLive()
    if due_date < timezone.localdate():
        raise DueDateInPast()
    if not person_ids:
        return AssignmentResult(created=0, updated=0)
    if already is None:
        already = set(
            Assignment.objects.filter(among("person_id", sorted(person_ids)), course=course)
            .values_list("person_id", flat=True)
        )
    if already:
        Assignment.objects.filter(among("person_id", sorted(already)), course=course).exclude(
            due_date=due_date
        ).update(due_date=due_date)
    new_ids = sorted(person_ids - already)
    Assignment.objects.bulk_create(
        [Assignment(course=course, person_id=pk, assigned_by=assigned_by, due_date=due_date) for pk in new_ids],
        ignore_conflicts=True,
    )
    # People already enrolled (by themselves, or by an earlier assignment) keep their enrolment.
    Enrolment.objects.bulk_create(
        [Enrolment(course=course, person_id=pk, source=EnrolmentSource.ASSIGNMENT) for pk in new_ids],
        ignore_conflicts=True,
    )
    return AssignmentResult(created=len(new_ids), updated=len(already))
