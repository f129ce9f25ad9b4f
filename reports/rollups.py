"""Writes of the summary tables: a full rebuild, and an incremental refresh of what changed.

Each figure comes from one source table, grouped by day and by every dimension of `DailyFigures`;
the groups are merged and written in bulk. A refresh recomputes only the (day, course) buckets that
records touched since the last run (an enrolment made or completed, a lesson first opened, an
assignment, a certificate issued or revoked, attendance taken, a person edited or moved, a course
re-synced, a quiz attempt submitted), so the Celery task stays cheap at province scale; the nightly
rebuild is the safety net (it also catches an essay graded by hand after submission, which leaves no
timestamp a refresh could see).

Quiz results count finished attempts with a score. An attempt belongs to the course whose lesson
places its quiz (`courses.LessonActivity`); when several courses place the same quiz, the one the
person is enrolled in (the lowest id if more than one); attempts of a quiz placed in no course are
left out (there is no course to file them under).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.utils import timezone

from assessments.models import Attempt
from assessments.quizzes.choices import FINISHED_STATES
from certification.choices import CertificateState
from certification.models import Certificate
from courses.choices import ActivityKind, EnrolmentStatus
from courses.models import Assignment, Attendance, Course, Enrolment, LessonActivity, LessonProgress
from organisations.models import Person

from .choices import AGE_BANDS, AgeBand, TrainingForm
from .models import DailyFigures, RollupState

COUNTERS = ("assigned", "enrolled", "enrolled_completed", "started", "completed", "hours", "certificates",
            "participant_times", "quiz_attempts", "quiz_passed", "quiz_score_sum")
DECIMAL_COUNTERS = {"hours": Decimal("0.1"), "quiz_score_sum": Decimal("0.01")}
BATCH = 2000
# Records are stamped when written but committed a little later: each refresh looks back this far.
REFRESH_OVERLAP = datetime.timedelta(minutes=10)


def age_band(birth_year: int | None, year: int) -> str:
    if not birth_year:
        return AgeBand.UNKNOWN
    age = year - birth_year
    for band, low, high in AGE_BANDS:
        if low <= age <= high:
            return band
    return AgeBand.UNKNOWN


def _day_range(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    return start, start + datetime.timedelta(days=1)


def _person_dims(person: str) -> dict:
    return {
        "unit_id": Coalesce(F(f"{person}__unit_id"), F(f"{person}__commune_id")),
        "audience": F(f"{person}__audience"),
        "staff_category": F(f"{person}__staff_category"),
        "is_leader": F(f"{person}__is_leader"),
        "gender": F(f"{person}__gender"),
        "birth_year": F(f"{person}__birth_year"),
    }


def _form_of(cohort_field: str):
    return Case(
        When(**{f"{cohort_field}__isnull": False}, then=Value(TrainingForm.CLASS)),
        default=Value(TrainingForm.ONLINE),
        output_field=CharField(),
    )


def _grouped(queryset, *, day, person: str, course: str, form, counters: dict, track=None):
    """Group a source queryset by day and every dimension, with the given counters. `course` names a
    foreign key to the course, or (with `track` given) an annotation holding the course's id."""
    return (
        queryset.annotate(
            r_day=TruncDate(day),
            r_course_id=F(f"{course}_id") if track is None else F(course),
            r_track=F(f"{course}__track") if track is None else track,
            r_form=form,
            **{f"r_{name}": expression for name, expression in _person_dims(person).items()},
        )
        .values("r_day", "r_course_id", "r_track", "r_form", *(f"r_{name}" for name in _person_dims(person)))
        .annotate(**counters)
        .order_by()
    )


def _sources(*, day: datetime.date | None = None, course_ids=None):
    """The grouped queries of every figure, limited to one day and some courses when given."""

    def where(field: str) -> Q:
        condition = Q()
        if day is not None:
            start, end = _day_range(day)
            condition &= Q(**{f"{field}__gte": start, f"{field}__lt": end})
        return condition

    def of_courses(field: str) -> Q:
        return Q(**{f"{field}__in": course_ids}) if course_ids is not None else Q()

    class_enrolment = Enrolment.objects.filter(person=OuterRef("person"), course=OuterRef("course"), cohort__isnull=False)
    assigned_form = Case(
        When(Exists(class_enrolment), then=Value(TrainingForm.CLASS)),
        default=Value(TrainingForm.ONLINE),
        output_field=CharField(),
    )
    first_open = Subquery(
        LessonProgress.objects.filter(enrolment=OuterRef("pk")).order_by("first_opened_at").values("first_opened_at")[:1]
    )
    yield _grouped(
        Assignment.objects.filter(where("created_at"), of_courses("course_id")),
        day="created_at", person="person", course="course", form=assigned_form, counters={"assigned": Count("id")},
    )
    yield _grouped(
        Enrolment.objects.filter(where("enrolled_at"), of_courses("course_id")),
        day="enrolled_at", person="person", course="course", form=_form_of("cohort"),
        counters={
            "enrolled": Count("id"),
            "enrolled_completed": Count("id", filter=Q(status=EnrolmentStatus.COMPLETED)),
        },
    )
    yield _grouped(
        Enrolment.objects.annotate(first_open=first_open).filter(
            where("first_open"), of_courses("course_id"), first_open__isnull=False
        ),
        day="first_open", person="person", course="course", form=_form_of("cohort"), counters={"started": Count("id")},
    )
    yield _grouped(
        Enrolment.objects.filter(where("completed_at"), of_courses("course_id"), status=EnrolmentStatus.COMPLETED),
        day="completed_at", person="person", course="course", form=_form_of("cohort"),
        counters={"completed": Count("id"), "hours": Sum("course__estimated_hours")},
    )
    yield _grouped(
        Certificate.objects.filter(where("issued_at"), of_courses("course_id"), state=CertificateState.VALID),
        day="issued_at", person="person", course="course", form=_form_of("enrolment__cohort"),
        counters={"certificates": Count("id")},
    )
    yield _grouped(
        Attendance.objects.filter(where("session__starts_at"), of_courses("enrolment__course_id"), present=True),
        day="session__starts_at", person="enrolment__person", course="enrolment__course",
        form=Value(TrainingForm.CLASS, output_field=CharField()), counters={"participant_times": Count("id")},
    )
    class_of_quiz_course = Enrolment.objects.filter(
        person=OuterRef("person"), course=OuterRef("quiz_course"), cohort__isnull=False
    )
    yield _grouped(
        scored_attempts().filter(where("submitted_at"), of_courses("quiz_course")),
        day="submitted_at", person="person", course="quiz_course",
        track=Subquery(Course.objects.filter(pk=OuterRef("quiz_course")).values("track")[:1]),
        form=Case(When(Exists(class_of_quiz_course), then=Value(TrainingForm.CLASS)),
                  default=Value(TrainingForm.ONLINE), output_field=CharField()),
        counters={
            "quiz_attempts": Count("id"),
            "quiz_passed": Count("id", filter=Q(percent_plus__gte=F("quiz__pass_mark"))),
            "quiz_score_sum": Sum("percent"),
        },
    )


def scored_attempts():
    """Finished attempts with a score, annotated with their course (`quiz_course`, see the module's
    docstring), their score in percent, and that score with the tolerance quiz_passed allows."""
    # A quiz is placed in a lesson, or is a course's final exam (a course-level activity, no lesson).
    placements = (
        LessonActivity.objects.filter(kind=ActivityKind.QUIZ, ref=Cast(OuterRef("quiz_id"), CharField()))
        .annotate(placed_course=Coalesce("lesson__course_id", "course_id"))
        .order_by("placed_course")
    )
    enrolled_placements = placements.filter(
        Exists(Enrolment.objects.filter(course_id=OuterRef("placed_course"), person_id=OuterRef(OuterRef("person_id"))))
    )
    return (
        Attempt.objects.filter(state__in=FINISHED_STATES, fraction__isnull=False, submitted_at__isnull=False)
        .annotate(
            quiz_course=Coalesce(
                Subquery(enrolled_placements.values("placed_course")[:1]),
                Subquery(placements.values("placed_course")[:1]),
            ),
            percent=ExpressionWrapper(F("fraction") * Value(100.0), output_field=FloatField()),
            percent_plus=ExpressionWrapper(F("fraction") * Value(100.0) + Value(1e-9), output_field=FloatField()),
        )
        .filter(quiz_course__isnull=False)
    )


def _rows(**limits) -> list[DailyFigures]:
    merged: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for query in _sources(**limits):
        for group in query.iterator(chunk_size=BATCH):
            if group["r_unit_id"] is None:
                continue
            key = (
                group["r_day"], group["r_unit_id"], group["r_course_id"], group["r_track"], group["r_audience"],
                group["r_staff_category"], bool(group["r_is_leader"]), group["r_gender"],
                age_band(group["r_birth_year"], group["r_day"].year), group["r_form"],
            )
            counts = merged[key]
            for name in COUNTERS:
                if name in group and group[name] is not None:
                    counts[name] += group[name]
    fields = ("day", "unit_id", "course_id", "track", "audience", "staff_category", "is_leader", "gender",
              "age_band", "form")
    return [
        DailyFigures(**dict(zip(fields, key)), **{
            **counts,
            **{name: Decimal(str(counts[name] or 0)).quantize(step) for name, step in DECIMAL_COUNTERS.items()},
        })
        for key, counts in merged.items()
    ]


def _state() -> RollupState:
    state, _ = RollupState.objects.select_for_update().get_or_create(pk=1)
    return state


@transaction.atomic
def rollups_rebuild(*, now: datetime.datetime | None = None) -> int:
    """Recompute every summary row from the learning records; returns the number of rows written."""
    now = now or timezone.now()
    state = _state()
    DailyFigures.objects.all().delete()
    rows = _rows()
    DailyFigures.objects.bulk_create(rows, batch_size=BATCH)
    state.rebuilt_at = state.refreshed_until = now
    state.save()
    return len(rows)


def _touched(since: datetime.datetime) -> tuple[set[tuple[datetime.date, int]], set[int]]:
    """The (day, course) buckets whose figures records changed since `since` may have moved, and the
    courses to recompute entirely (re-synced: their track or hours may have changed)."""
    buckets: set[tuple[datetime.date, int]] = set()

    def add(queryset, day_field: str, course_field: str):
        for day, course_id in (
            queryset.annotate(b_day=TruncDate(day_field)).values_list("b_day", course_field).distinct().order_by()
        ):
            if day is not None:
                buckets.add((day, course_id))

    moved = Person.objects.filter(updated_at__gte=since).values("pk")
    changed_enrolments = Enrolment.objects.filter(
        Q(enrolled_at__gte=since) | Q(completed_at__gte=since) | Q(person__in=moved)
        | Q(lesson_progress__first_opened_at__gte=since) | Q(attendance__recorded_at__gte=since)
        | Q(certificates__issued_at__gte=since) | Q(certificates__revoked_at__gte=since)
    ).values("pk")
    first_open = Subquery(
        LessonProgress.objects.filter(enrolment=OuterRef("pk")).order_by("first_opened_at").values("first_opened_at")[:1]
    )
    changed = Enrolment.objects.filter(pk__in=changed_enrolments)
    add(changed, "enrolled_at", "course_id")
    add(changed.filter(completed_at__isnull=False), "completed_at", "course_id")
    add(changed.annotate(first_open=first_open).filter(first_open__isnull=False), "first_open", "course_id")
    add(Certificate.objects.filter(enrolment__in=changed_enrolments), "issued_at", "course_id")
    add(Attendance.objects.filter(enrolment__in=changed_enrolments), "session__starts_at", "enrolment__course_id")
    add(Assignment.objects.filter(Q(created_at__gte=since) | Q(person__in=moved)), "created_at", "course_id")
    add(scored_attempts().filter(Q(submitted_at__gte=since) | Q(person__in=moved)), "submitted_at", "quiz_course")
    courses = set(Course.objects.filter(synced_at__gte=since).values_list("pk", flat=True))
    return {(day, course) for day, course in buckets if course not in courses}, courses


@transaction.atomic
def rollups_refresh(*, now: datetime.datetime | None = None) -> int:
    """Bring the summary rows up to date with what changed since the last run (a full rebuild the
    first time). Safe to run repeatedly or concurrently (the state row is locked). Returns the number
    of buckets recomputed."""
    now = now or timezone.now()
    state = _state()
    if state.refreshed_until is None:
        rollups_rebuild(now=now)
        return -1
    buckets, courses = _touched(state.refreshed_until - REFRESH_OVERLAP)
    if courses:
        DailyFigures.objects.filter(course_id__in=courses).delete()
        DailyFigures.objects.bulk_create(_rows(course_ids=sorted(courses)), batch_size=BATCH)
    by_day: dict[datetime.date, list[int]] = defaultdict(list)
    for day, course_id in buckets:
        by_day[day].append(course_id)
    for day, course_ids in sorted(by_day.items()):
        DailyFigures.objects.filter(day=day, course_id__in=course_ids).delete()
        DailyFigures.objects.bulk_create(_rows(day=day, course_ids=course_ids), batch_size=BATCH)
    state.refreshed_until = now
    state.save()
    return len(buckets) + len(courses)
