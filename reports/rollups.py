"""Writes of the summary tables: a full rebuild, and an incremental refresh of what changed.

Each figure comes from one source table, grouped by day and by every dimension of `DailyFigures`
(the age band computed in SQL); the database merges the groups and writes the rows itself, in one
`INSERT … SELECT … GROUP BY` over a `UNION ALL` of the sources, so no row passes through Python (the
same statement on SQLite and PostgreSQL). A rebuild replaces every row in one transaction: readers see
the old rows until it commits. A refresh recomputes only the (day, course) buckets that
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

from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.db.models.lookups import IsNull, LessThan, LessThanOrEqual
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
# The decimal counters and their places: rounded once, after the sources are summed.
DECIMAL_COUNTERS = {"hours": 1, "quiz_score_sum": 2}
DIMENSIONS = ("day", "unit_id", "course_id", "track", "audience", "staff_category", "is_leader", "gender", "age_band",
              "form")
# Records are stamped when written but committed a little later: each refresh looks back this far.
REFRESH_OVERLAP = datetime.timedelta(minutes=10)


def _age_band_expression(year, birth_year: str):
    """The age band at the event (event year − year of birth; unknown without a year of birth). The
    bands are contiguous (AGE_BANDS), so each needs only its upper bound."""
    age = year - F(birth_year)
    return Case(
        When(IsNull(F(birth_year), True), then=Value(AgeBand.UNKNOWN)),
        When(Q(**{birth_year: 0}), then=Value(AgeBand.UNKNOWN)),
        When(LessThan(age, AGE_BANDS[0][1]), then=Value(AgeBand.UNKNOWN)),
        *(When(LessThanOrEqual(age, high), then=Value(band)) for band, _low, high in AGE_BANDS),
        default=Value(AgeBand.UNKNOWN),
        output_field=CharField(),
    )


def _day_range(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    return start, start + datetime.timedelta(days=1)


def _person_dims(person: str, day) -> dict:
    return {
        "unit_id": Coalesce(F(f"{person}__unit_id"), F(f"{person}__commune_id")),
        "audience": F(f"{person}__audience"),
        "staff_category": F(f"{person}__staff_category"),
        "is_leader": F(f"{person}__is_leader"),
        "gender": F(f"{person}__gender"),
        "age_band": _age_band_expression(ExtractYear(day), f"{person}__birth_year"),
    }


def _form_of(cohort_field: str):
    return Case(
        When(**{f"{cohort_field}__isnull": False}, then=Value(TrainingForm.CLASS)),
        default=Value(TrainingForm.ONLINE),
        output_field=CharField(),
    )


def _grouped(queryset, *, day, person: str, course: str, form, counters: dict, course_is_id: bool = False):
    """Group a source queryset by day and every dimension but the track (the course's, joined once in
    `_insert`), with the given counters: columns named `r_<dimension>`, then the counters. `course`
    names a foreign key to the course, or (`course_is_id`) an annotation holding the course's id. People
    with neither unit nor commune are left out (there is no unit to file them under)."""
    dims = _person_dims(person, day)
    return (
        queryset.annotate(
            r_day=TruncDate(day),
            r_course_id=F(course) if course_is_id else F(f"{course}_id"),
            r_form=form,
            **{f"r_{name}": expression for name, expression in dims.items()},
        )
        .filter(r_unit_id__isnull=False)
        .values("r_day", "r_course_id", "r_form", *(f"r_{name}" for name in dims))
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
        day="submitted_at", person="person", course="quiz_course", course_is_id=True,
        form=Case(When(Exists(class_of_quiz_course), then=Value(TrainingForm.CLASS)),
                  default=Value(TrainingForm.ONLINE), output_field=CharField()),
        counters={
            "quiz_attempts": Count("id"),
            "quiz_passed": Count("id", filter=Q(percent_plus__gte=F("quiz__pass_mark"))),
            "quiz_score_sum": Sum("percent"),
        },
    )


def quiz_placements() -> dict[int, list[int]]:
    """The courses each placed quiz is filed under (lowest id first). A quiz is placed in a lesson, or is
    a course's final exam (a course-level activity, no lesson); activities are few, so they are read once."""
    placements: dict[int, set[int]] = defaultdict(set)
    activities = LessonActivity.objects.filter(kind=ActivityKind.QUIZ).annotate(
        placed_course=Coalesce("lesson__course_id", "course_id")
    )
    for ref, course_id in activities.values_list("ref", "placed_course"):
        if course_id is not None and ref.isdigit() and str(int(ref)) == ref:
            placements[int(ref)].add(course_id)
    return {quiz: sorted(courses) for quiz, courses in placements.items()}


def _quiz_course():
    """The course of an attempt (see the module's docstring) as one CASE over the quiz: a constant for a
    quiz placed in one course (nearly all), a look-up of the person's enrolments only for a quiz placed
    in several, so the database never runs a subquery per attempt for the common case."""
    only_course: dict[int, list[int]] = defaultdict(list)
    whens = []
    for quiz, courses in sorted(quiz_placements().items()):
        if len(courses) == 1:
            only_course[courses[0]].append(quiz)
            continue
        enrolled = Enrolment.objects.filter(person_id=OuterRef("person_id"), course_id__in=courses).order_by("course_id")
        whens.append(When(quiz_id=quiz, then=Coalesce(Subquery(enrolled.values("course_id")[:1]), Value(courses[0]))))
    whens += [When(quiz_id__in=quizzes, then=Value(course)) for course, quizzes in sorted(only_course.items())]
    return Case(*whens, default=None, output_field=IntegerField()) if whens else Value(None, output_field=IntegerField())


def scored_attempts():
    """Finished attempts with a score, annotated with their course (`quiz_course`, see the module's
    docstring), their score in percent, and that score with the tolerance quiz_passed allows."""
    return (
        Attempt.objects.filter(state__in=FINISHED_STATES, fraction__isnull=False, submitted_at__isnull=False)
        .annotate(
            quiz_course=_quiz_course(),
            percent=ExpressionWrapper(F("fraction") * Value(100.0), output_field=FloatField()),
            percent_plus=ExpressionWrapper(F("fraction") * Value(100.0) + Value(1e-9), output_field=FloatField()),
        )
        .filter(quiz_course__isnull=False)
    )


def _insert_statement(**limits) -> tuple[str, list]:
    """One INSERT … SELECT writing the summary rows of the sources (limited as `_sources` allows): the
    database sums every source's groups per key, and takes each course's track from the course."""
    quote = connection.ops.quote_name
    grouped = [name for name in DIMENSIONS if name != "track"]
    parts, params = [], []
    for query in _sources(**limits):
        sql, query_params = query.query.sql_with_params()
        counters = set(query.query.annotation_select) & set(COUNTERS)
        columns = [f"s.{quote('r_' + name)} AS {quote(name)}" for name in grouped] + [
            f"COALESCE(s.{quote(name)}, 0) AS {quote(name)}" if name in counters else f"0 AS {quote(name)}"
            for name in COUNTERS
        ]
        parts.append(f"SELECT {', '.join(columns)} FROM ({sql}) s")
        params.extend(query_params)
    sums = [
        f"ROUND(CAST(SUM(u.{quote(name)}) AS NUMERIC), {DECIMAL_COUNTERS[name]})" if name in DECIMAL_COUNTERS
        else f"SUM(u.{quote(name)})"
        for name in COUNTERS
    ]
    keys = ", ".join(f"c.{quote('track')}" if name == "track" else f"u.{quote(name)}" for name in DIMENSIONS)
    statement = (
        f"INSERT INTO {quote(DailyFigures._meta.db_table)} "
        f"({', '.join(quote(name) for name in (*DIMENSIONS, *COUNTERS))}) "
        f"SELECT {keys}, {', '.join(sums)} FROM ({' UNION ALL '.join(parts)}) u "
        f"JOIN {quote(Course._meta.db_table)} c ON c.{quote('id')} = u.{quote('course_id')} GROUP BY {keys}"
    )
    return statement, params


def _insert(**limits) -> int:
    """Write the summary rows of the sources; returns how many. Runs inside the caller's transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner's estimate for this statement is far above jit_above_cost, and compiling it
            # took ten times longer than running it (13 s against 1 s for 20,000 enrolments).
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(*_insert_statement(**limits))
        return cursor.rowcount


def _state() -> RollupState:
    state, _ = RollupState.objects.select_for_update().get_or_create(pk=1)
    return state


@transaction.atomic
def rollups_rebuild(*, now: datetime.datetime | None = None) -> int:
    """Recompute every summary row from the learning records; returns the number of rows written."""
    now = now or timezone.now()
    state = _state()
    DailyFigures.objects.all().delete()  # one DELETE: nothing refers to these rows
    written = _insert()
    state.rebuilt_at = state.refreshed_until = now
    state.save()
    return written


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
        _insert(course_ids=sorted(courses))
    by_day: dict[datetime.date, list[int]] = defaultdict(list)
    for day, course_id in buckets:
        by_day[day].append(course_id)
    for day, course_ids in sorted(by_day.items()):
        DailyFigures.objects.filter(day=day, course_id__in=course_ids).delete()
        _insert(day=day, course_ids=course_ids)
    state.refreshed_until = now
    state.save()
    return len(buckets) + len(courses)
