"""Writes of the summary tables: a full rebuild, and an incremental refresh of what changed.

Each figure comes from one source table, one row per record with its day and every dimension of
`DailyFigures` (the age band computed in SQL); the database sums them per key and writes the rows
itself, in one `INSERT … SELECT … GROUP BY` over a `UNION ALL` of the sources, so no row passes through
Python (the same statement on SQLite and PostgreSQL). A rebuild replaces every row in one transaction:
readers see the old rows until it commits (on PostgreSQL it fills a fresh table, indexes it and swaps
it in; see `_rebuild_postgresql`). A refresh recomputes only the (day, course) buckets that
records touched since the last run (an enrolment made or completed, a lesson first opened, an
assignment, a certificate issued or revoked, attendance taken, a person edited or moved, a course
re-synced, a quiz attempt submitted), so the Celery task stays cheap at province scale; the nightly
rebuild is the safety net (it also catches an essay graded by hand after submission, which leaves no
timestamp a refresh could see).

`MonthlyFigures` is summed from the daily rows in the same transaction: all of it on a rebuild, and on a
refresh the months and tracks of the recomputed buckets (all of it when a course was re-synced, since its
track may have changed).

`HeadCount` (how many people per home unit, audience, staff category, leader and gender) is counted afresh from
the people by every rebuild and refresh, in the same transaction.

Quiz results count finished attempts with a score. An attempt belongs to the course whose lesson
places its quiz (`courses.LessonActivity`); when several courses place the same quiz, the one the
person is enrolled in (the lowest id if more than one); attempts of a quiz placed in no course are
left out (there is no course to file them under).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
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
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, ExtractYear, TruncDate
from django.utils import timezone

from assessments.models import Attempt
from assessments.quizzes.choices import FINISHED_STATES
from certification.choices import CertificateState
from certification.models import Certificate
from courses.choices import ActivityKind, EnrolmentStatus
from courses.models import Assignment, Attendance, Course, Enrolment, LessonActivity, LessonProgress
from organisations.models import Person

from .choices import AGE_BANDS, AgeBand, TrainingForm
from .models import DailyFigures, HeadCount, MonthlyFigures, RollupState

COUNTERS = ("assigned", "enrolled", "enrolled_completed", "started", "completed", "hours", "certificates",
            "participant_times", "quiz_attempts", "quiz_passed", "quiz_score_sum")
# The decimal counters and their places: rounded once, after the sources are summed.
DECIMAL_COUNTERS = {"hours": 1, "quiz_score_sum": 2}
DIMENSIONS = ("day", "unit_id", "course_id", "track", "audience", "staff_category", "is_leader", "gender", "age_band",
              "form")
# Where the rollups' version (RollupState's two timestamps) is published for the statistics pages; a
# missing entry is read back from the database, so the lifetime only bounds what a lost write costs.
VERSION_CACHE_KEY = "reports:rollups:version"
VERSION_CACHE_SECONDS = 60
TABLE = DailyFigures._meta.db_table
MONTHLY_TABLE = MonthlyFigures._meta.db_table
MONTHLY_KEY = ("month", "unit_id", "track", "audience")
HEADCOUNT_TABLE = HeadCount._meta.db_table
HEADCOUNT_KEY = ("unit_id", "audience", "staff_category", "is_leader", "gender")
STAGING = f"{TABLE}_rebuild"  # where a rebuild on PostgreSQL writes before taking the table's place
# Records are stamped when written but committed a little later: each refresh looks back this far.
REFRESH_OVERLAP = datetime.timedelta(minutes=10)


def _age_band_sql(quote) -> tuple[str, list]:
    """The age band at the event (event year − year of birth; unknown without a year of birth), over a
    source's `r_age` and `r_birth_year` columns. The bands are contiguous (AGE_BANDS), so each needs
    only its upper bound. Written over the source's columns rather than inside its query so that the
    event's year is computed once per record, not once per band (PostgreSQL would repeat the time zone
    conversion in every WHEN: a quarter of the rebuild's reading time)."""
    age, birth_year = f"s.{quote('r_age')}", f"s.{quote('r_birth_year')}"
    whens = [f"WHEN {birth_year} IS NULL OR {birth_year} = 0 OR {age} < {AGE_BANDS[0][1]} THEN %s"]
    params: list = [AgeBand.UNKNOWN.value]
    for band, _low, high in AGE_BANDS:
        whens.append(f"WHEN {age} <= {int(high)} THEN %s")
        params.append(band.value)
    params.append(AgeBand.UNKNOWN.value)
    return f"CASE {' '.join(whens)} ELSE %s END", params


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
        "birth_year": F(f"{person}__birth_year"),  # with the age, for the age band (see _age_band_sql)
        # The year as an integer: PostgreSQL's EXTRACT gives a numeric, and the subtraction and the age
        # band's comparisons in numeric arithmetic cost a tenth of the rebuild's time.
        "age": ExpressionWrapper(Cast(ExtractYear(day), IntegerField()) - F(f"{person}__birth_year"),
                                 output_field=IntegerField()),
    }


def _form_of(cohort_field: str):
    return Case(
        When(**{f"{cohort_field}__isnull": False}, then=Value(TrainingForm.CLASS)),
        default=Value(TrainingForm.ONLINE),
        output_field=CharField(),
    )


def _rows(queryset, *, day, person: str, course: str, form, counters: dict, course_is_id: bool = False):
    """One row per record of a source, with its key (columns named `r_<dimension>`, every dimension but
    the track, the course's, joined once in `_insert_statement`) and what it adds to each counter
    (columns named `c_<counter>`). Not grouped here: at this grain nearly every record has a key of its
    own, so grouping each source first only sorted the rows twice. `course` names a foreign key to the
    course, or (`course_is_id`) an annotation holding the course's id. People with neither unit nor
    commune are left out (there is no unit to file them under)."""
    dims = _person_dims(person, day)
    return (
        queryset.annotate(
            r_day=TruncDate(day),
            r_course_id=F(course) if course_is_id else F(f"{course}_id"),
            r_form=form,
            **{f"r_{name}": expression for name, expression in dims.items()},
            **{f"c_{name}": expression for name, expression in counters.items()},
        )
        .filter(r_unit_id__isnull=False)
        .values("r_day", "r_course_id", "r_form", *(f"r_{name}" for name in dims), *(f"c_{name}" for name in counters))
        .order_by()
    )


ONE = Value(1, output_field=IntegerField())


def _one_if(condition: Q):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _sources(*, day: datetime.date | None = None, course_ids=None):
    """The row queries of every figure, limited to one day and some courses when given."""

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
    yield _rows(
        Assignment.objects.filter(where("created_at"), of_courses("course_id")),
        day="created_at", person="person", course="course", form=assigned_form, counters={"assigned": ONE},
    )
    yield _rows(
        Enrolment.objects.filter(where("enrolled_at"), of_courses("course_id")),
        day="enrolled_at", person="person", course="course", form=_form_of("cohort"),
        counters={"enrolled": ONE, "enrolled_completed": _one_if(Q(status=EnrolmentStatus.COMPLETED))},
    )
    yield _rows(
        first_lesson_opened().filter(where("first_opened_at"), of_courses("enrolment__course_id")),
        day="first_opened_at", person="enrolment__person", course="enrolment__course",
        form=_form_of("enrolment__cohort"), counters={"started": ONE},
    )
    yield _rows(
        Enrolment.objects.filter(where("completed_at"), of_courses("course_id"), status=EnrolmentStatus.COMPLETED),
        day="completed_at", person="person", course="course", form=_form_of("cohort"),
        counters={"completed": ONE, "hours": F("course__estimated_hours")},
    )
    yield _rows(
        Certificate.objects.filter(where("issued_at"), of_courses("course_id"), state=CertificateState.VALID),
        day="issued_at", person="person", course="course", form=_form_of("enrolment__cohort"),
        counters={"certificates": ONE},
    )
    yield _rows(
        Attendance.objects.filter(where("session__starts_at"), of_courses("enrolment__course_id"), present=True),
        day="session__starts_at", person="enrolment__person", course="enrolment__course",
        form=Value(TrainingForm.CLASS, output_field=CharField()), counters={"participant_times": ONE},
    )
    class_of_quiz_course = Enrolment.objects.filter(
        person=OuterRef("person"), course=OuterRef("quiz_course"), cohort__isnull=False
    )
    yield _rows(
        scored_attempts().filter(where("submitted_at"), of_courses("quiz_course")),
        day="submitted_at", person="person", course="quiz_course", course_is_id=True,
        form=Case(When(Exists(class_of_quiz_course), then=Value(TrainingForm.CLASS)),
                  default=Value(TrainingForm.ONLINE), output_field=CharField()),
        counters={
            "quiz_attempts": ONE,
            "quiz_passed": _one_if(Q(percent_plus__gte=F("quiz__pass_mark"))),
            "quiz_score_sum": F("percent"),
        },
    )


def first_lesson_opened():
    """Each enrolment's start: its lesson progress row with no earlier one (the lowest id among rows opened
    at the same moment). A NOT EXISTS the database runs as one anti join over the lesson progress, where a
    "first opened" subquery per enrolment ran 200,000 times."""
    earlier = LessonProgress.objects.filter(enrolment=OuterRef("enrolment")).filter(
        Q(first_opened_at__lt=OuterRef("first_opened_at"))
        | Q(first_opened_at=OuterRef("first_opened_at"), pk__lt=OuterRef("pk"))
    )
    return LessonProgress.objects.filter(~Exists(earlier))


def quiz_placements() -> dict[int, list[int]]:
    """The courses each placed quiz is filed under (lowest id first). A quiz is placed in a lesson, or is
    a course's final exam (a course-level activity, no lesson); activities are few, so they are read once."""
    placements: dict[int, set[int]] = defaultdict(set)
    activities = LessonActivity.objects.filter(kind=ActivityKind.QUIZ).annotate(
        placed_course=Coalesce("lesson__course_id", "course_id")
    )
    for ref, course_id in activities.values_list("ref", "placed_course"):
        if course_id is not None and ref.isdecimal() and str(int(ref)) == ref:
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


def _sums(alias: str) -> list[str]:
    """Each counter summed over the rows of `alias`, the decimal ones rounded once to their places."""
    quote = connection.ops.quote_name
    return [
        f"ROUND(CAST(SUM({alias}.{quote(name)}) AS NUMERIC), {DECIMAL_COUNTERS[name]})" if name in DECIMAL_COUNTERS
        else f"SUM({alias}.{quote(name)})"
        for name in COUNTERS
    ]


def _insert_statement(*, table: str | None = None, **limits) -> tuple[str, list] | None:
    """One INSERT … SELECT writing the summary rows of the sources (limited as `_sources` allows) into
    `table` (the rollups' own by default): the database sums every source's records per key in one
    aggregate, and takes each course's track from the course. None when no source can have rows."""
    quote = connection.ops.quote_name
    grouped = [name for name in DIMENSIONS if name not in ("track", "age_band")]
    age_band, age_band_params = _age_band_sql(quote)
    # On PostgreSQL, OFFSET 0 keeps each source a subquery of its own, so its columns are computed
    # once per record rather than copied into every expression that reads them (the age band's).
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    parts, params = [], []
    for query in _sources(**limits):
        try:
            sql, query_params = query.query.sql_with_params()
        except EmptyResultSet:  # e.g. no quiz placed in any course yet: that source has no rows
            continue
        counters = {name for name in COUNTERS if f"c_{name}" in query.query.annotation_select}
        columns = [f"s.{quote('r_' + name)} AS {quote(name)}" for name in grouped] + [f"{age_band} AS {quote('age_band')}"] + [
            f"COALESCE(s.{quote('c_' + name)}, 0) AS {quote(name)}" if name in counters else f"0 AS {quote(name)}"
            for name in COUNTERS
        ]
        parts.append(f"SELECT {', '.join(columns)} FROM ({sql}{fence}) s")
        params.extend([*age_band_params, *query_params])
    if not parts:
        return None
    sums = _sums("u")
    keys = ", ".join(f"c.{quote('track')}" if name == "track" else f"u.{quote(name)}" for name in DIMENSIONS)
    statement = (
        f"INSERT INTO {quote(table or TABLE)} "
        f"({', '.join(quote(name) for name in (*DIMENSIONS, *COUNTERS))}) "
        f"SELECT {keys}, {', '.join(sums)} FROM ({' UNION ALL '.join(parts)}) u "
        f"JOIN {quote(Course._meta.db_table)} c ON c.{quote('id')} = u.{quote('course_id')} GROUP BY {keys}"
    )
    return statement, params


def _insert(*, table: str | None = None, **limits) -> int:
    """Write the summary rows of the sources; returns how many. Runs inside the caller's transaction."""
    statement = _insert_statement(table=table, **limits)
    if statement is None:
        return 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner's estimate for this statement is far above jit_above_cost, and compiling it
            # took ten times longer than running it (13 s against 1 s for 20,000 enrolments).
            cursor.execute("SET LOCAL jit = off")
            # Room to hash-aggregate the rows in memory rather than sort them on disk (the default 4 MB
            # spilled 65 MB for 200,000 enrolments); for this transaction only.
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(*statement)
        return cursor.rowcount


def _rebuild_postgresql() -> int:
    """Write every row into a fresh table, index it once loaded, and put it in the old one's place,
    all in the caller's transaction: readers see the old table until the commit, and the load pays
    neither per-row index upkeep nor the dead rows of a DELETE (at 200,000 enrolments the load into the
    live table with its indexes took four times as long as the load and the index builds together).
    The new table gets the old one's indexes, check constraints, identity and names, so the schema
    Django's migrations know stays exactly as it was."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(i.oid), c.conname FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid LEFT JOIN pg_constraint c ON c.conindid = i.oid "
            "WHERE x.indrelid = %s::regclass ORDER BY i.relname", [TABLE]
        )
        indexes = cursor.fetchall()
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
        (sequence,) = cursor.fetchone()
        cursor.execute(f"DROP TABLE IF EXISTS {quote(STAGING)}")
        cursor.execute(
            f"CREATE TABLE {quote(STAGING)} "
            f"(LIKE {quote(TABLE)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING IDENTITY)"
        )
    written = _insert(table=STAGING)
    with connection.cursor() as cursor:
        renames = []
        for name, definition, constraint in indexes:
            temporary = f"{name[:50]}_rebuild"
            if constraint:  # the primary key
                columns = definition[definition.index("(") :]
                cursor.execute(f"ALTER TABLE {quote(STAGING)} ADD CONSTRAINT {quote(temporary)} PRIMARY KEY {columns}")
                renames.append(f"ALTER TABLE {quote(TABLE)} RENAME CONSTRAINT {quote(temporary)} TO {quote(constraint)}")
            else:
                head, _on, tail = definition.partition(" ON ")
                head = head[: -len(name)] + quote(temporary) if head.endswith(name) else None
                tail = tail.split(" USING ", 1)[1] if " USING " in tail else None
                if head is None or tail is None:
                    raise RuntimeError(f"Cannot copy index {name}: {definition}")
                cursor.execute(f"{head} ON {quote(STAGING)} USING {tail}")
                renames.append(f"ALTER INDEX {quote(temporary)} RENAME TO {quote(name)}")
        cursor.execute(f"ANALYZE {quote(STAGING)}")
        # The swap waits for readers of the old table to finish, and readers arriving meanwhile queue
        # behind it: give up (the whole rebuild rolls back, the old rows stay) rather than stall them.
        cursor.execute("SET LOCAL lock_timeout = '10s'")
        cursor.execute(f"DROP TABLE {quote(TABLE)}")  # fails, leaving everything as it was, if anything depends on it
        cursor.execute(f"ALTER TABLE {quote(STAGING)} RENAME TO {quote(TABLE)}")
        for statement in renames:
            cursor.execute(statement)
        if sequence:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [TABLE])
            (new_sequence,) = cursor.fetchone()
            if new_sequence and new_sequence != sequence:
                cursor.execute(f"ALTER SEQUENCE {new_sequence} RENAME TO {quote(sequence.rsplit('.', 1)[-1].strip(chr(34)))}")
    return written


def _month_sql(column: str) -> str:
    """The first day of the month of a date column, as a date."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', CAST({column} AS timestamp)) AS date)"
    return f"date({column}, 'start of month')"


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _monthly_write(*, months: list[datetime.date] | None = None, tracks: list[str] | None = None) -> int:
    """Replace the monthly sums of the given months and tracks (every month and track by default) with the sums
    of the daily rows, in one DELETE and one INSERT … SELECT … GROUP BY; runs inside the caller's transaction."""
    quote = connection.ops.quote_name
    rows = MonthlyFigures.objects.all()
    where, params = [], []
    if months is not None:
        rows = rows.filter(month__in=months)
        day = f"d.{quote('day')}"
        where.append("(" + " OR ".join([f"({day} >= %s AND {day} < %s)"] * len(months)) + ")")
        for month in months:
            params.extend([month, _next_month(month)])
    if tracks is not None:
        rows = rows.filter(track__in=tracks)
        where.append(f"d.{quote('track')} IN ({', '.join(['%s'] * len(tracks))})")
        params.extend(tracks)
    rows.delete()  # one DELETE: nothing refers to these rows
    if months == [] or tracks == []:
        return 0
    keys = [_month_sql(f"d.{quote('day')}"), *(f"d.{quote(name)}" for name in MONTHLY_KEY[1:])]
    statement = (
        f"INSERT INTO {quote(MONTHLY_TABLE)} ({', '.join(quote(name) for name in (*MONTHLY_KEY, *COUNTERS))}) "
        f"SELECT {', '.join(keys)}, {', '.join(_sums('d'))} FROM {quote(TABLE)} d"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + f" GROUP BY {', '.join(keys)}"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL jit = off")  # as in _insert: compiling would cost more than running
            cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute(statement, params)
        return cursor.rowcount


def _monthly_refresh(buckets: set[tuple[datetime.date, int]]) -> None:
    """Recompute the monthly sums the refreshed (day, course) buckets feed: each bucket's month, for its
    course's track, every unit and audience (a moved person's rows leave one unit for another)."""
    if not buckets:
        return
    track_of = dict(Course.objects.filter(pk__in={course for _day, course in buckets}).values_list("pk", "track"))
    tracks_by_month: dict[datetime.date, set[str]] = defaultdict(set)
    for day, course_id in buckets:
        if course_id in track_of:
            tracks_by_month[day.replace(day=1)].add(track_of[course_id])
    by_tracks: dict[tuple[str, ...], list[datetime.date]] = defaultdict(list)
    for month, tracks in tracks_by_month.items():
        by_tracks[tuple(sorted(tracks))].append(month)
    for tracks, months in sorted(by_tracks.items()):
        _monthly_write(months=sorted(months), tracks=list(tracks))


def headcount_write() -> int:
    """Replace the head counts with the people counted now, per home unit and the person dimensions of
    `HeadCount`, in one DELETE and one INSERT … SELECT … GROUP BY; runs inside the caller's transaction. A count
    of every person each time (no bookkeeping of who was added, moved or deleted): one pass over the people,
    which the refresh's search for edited people makes anyway."""
    quote = connection.ops.quote_name
    HeadCount.objects.all().delete()  # one DELETE: nothing refers to these rows
    people = (
        Person.objects.annotate(home=Coalesce("unit", "commune"))
        .filter(home__isnull=False)
        .values_list("home", "audience", "staff_category", "is_leader", "gender")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sql, params = people.query.sql_with_params()
    columns = ", ".join(quote(name) for name in (*HEADCOUNT_KEY, "people"))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(HEADCOUNT_TABLE)} ({columns}) {sql}", params)
        return cursor.rowcount


def rollup_version(state: RollupState | None) -> dict[str, str | None]:
    """What changes whenever the rollups do: the last rebuild and the last refresh."""
    return {
        "rebuilt_at": state and state.rebuilt_at and state.rebuilt_at.isoformat(),
        "refreshed_until": state and state.refreshed_until and state.refreshed_until.isoformat(),
    }


def _publish_version(state: RollupState) -> None:
    """Put the new version in the cache once the run's rows are committed (readers of the statistics
    take it from there: see reports.dashboard.rollups_version)."""
    version = rollup_version(state)
    transaction.on_commit(lambda: cache.set(VERSION_CACHE_KEY, version, VERSION_CACHE_SECONDS))


def _state() -> RollupState:
    state, _ = RollupState.objects.select_for_update().get_or_create(pk=1)
    return state


@transaction.atomic
def rollups_rebuild(*, now: datetime.datetime | None = None) -> int:
    """Recompute every summary row from the learning records; returns the number of rows written."""
    now = now or timezone.now()
    state = _state()
    if connection.vendor == "postgresql":
        written = _rebuild_postgresql()
    else:
        DailyFigures.objects.all().delete()  # one DELETE: nothing refers to these rows
        written = _insert()
    _monthly_write()
    headcount_write()
    state.rebuilt_at = state.refreshed_until = now
    state.save()
    _publish_version(state)
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
    changed = Enrolment.objects.filter(pk__in=changed_enrolments)
    add(changed, "enrolled_at", "course_id")
    add(changed.filter(completed_at__isnull=False), "completed_at", "course_id")
    add(first_lesson_opened().filter(enrolment__in=changed_enrolments), "first_opened_at", "enrolment__course_id")
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
    if courses:
        _monthly_write()  # a re-synced course may have changed track: its old rows are filed under the old one
    else:
        _monthly_refresh(buckets)
    headcount_write()
    state.refreshed_until = now
    state.save()
    _publish_version(state)
    return len(buckets) + len(courses)
