"""The set-based rebuild (one INSERT … SELECT in the database) writes exactly the rows a direct count of
the raw records gives: the oracle below walks every enrolment, assignment, certificate, attendance and
scored attempt in Python (what the rebuild did before it moved into SQL) and files each under its key.
Runs on SQLite by default and on PostgreSQL with DATABASE_URL."""

import datetime
import importlib
import random
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.quizzes.choices import AttemptState
from certification.choices import CertificateState
from certification.models import Certificate
from courses.choices import EnrolmentStatus
from courses.models import Assignment, Attendance, ClassSession, Cohort, Course, Enrolment, LessonProgress
from organisations.models import Audience, Gender, Person, StaffCategory
from reports.choices import AGE_BANDS, AgeBand, PeriodKind, TrainingForm
from reports.models import DailyFigures, MonthlyFigures
from reports.periods import custom_period, period_of
from reports.rollups import COUNTERS, rollups_rebuild, rollups_refresh, scored_attempts
from reports.selectors import StatisticsFilter, statistics_for

from .conftest import ZONE, attempt, certify, enrol

KEY = ("day", "unit_id", "course_id", "track", "audience", "staff_category", "is_leader", "gender", "age_band", "form")
MONTHLY_KEY = ("month", "unit_id", "track", "audience")


def oracle_age_band(birth_year, year):
    if not birth_year:
        return AgeBand.UNKNOWN
    for band, low, high in AGE_BANDS:
        if low <= year - birth_year <= high:
            return band
    return AgeBand.UNKNOWN


def oracle_rows() -> dict[tuple, dict]:
    """Every summary row, counted record by record."""
    rows: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    people = {person.pk: person for person in Person.objects.all()}
    in_class = set(Enrolment.objects.filter(cohort__isnull=False).values_list("person_id", "course_id"))

    def add(moment, person_id, course, form, **counts):
        person = people[person_id]
        unit_id = person.unit_id or person.commune_id
        if unit_id is None:
            return
        day = timezone.localtime(moment).date()
        key = (day, unit_id, course.pk, course.track, person.audience, person.staff_category, bool(person.is_leader),
               person.gender, oracle_age_band(person.birth_year, day.year), form)
        for name, value in counts.items():
            rows[key][name] += value

    def form_of(has_cohort):
        return TrainingForm.CLASS if has_cohort else TrainingForm.ONLINE

    for assignment in Assignment.objects.select_related("course"):
        add(assignment.created_at, assignment.person_id, assignment.course,
            form_of((assignment.person_id, assignment.course_id) in in_class), assigned=1)
    first_open = defaultdict(list)
    for enrolment_id, opened in LessonProgress.objects.values_list("enrolment_id", "first_opened_at"):
        first_open[enrolment_id].append(opened)
    for enrolment in Enrolment.objects.select_related("course"):
        form = form_of(enrolment.cohort_id)
        completed = enrolment.status == EnrolmentStatus.COMPLETED
        add(enrolment.enrolled_at, enrolment.person_id, enrolment.course, form, enrolled=1,
            enrolled_completed=int(completed))
        if first_open[enrolment.pk]:
            add(min(first_open[enrolment.pk]), enrolment.person_id, enrolment.course, form, started=1)
        if completed and enrolment.completed_at:
            add(enrolment.completed_at, enrolment.person_id, enrolment.course, form, completed=1,
                hours=enrolment.course.estimated_hours)
    for certificate in Certificate.objects.filter(state=CertificateState.VALID).select_related("course", "enrolment"):
        add(certificate.issued_at, certificate.person_id, certificate.course,
            form_of(certificate.enrolment and certificate.enrolment.cohort_id), certificates=1)
    for attendance in Attendance.objects.filter(present=True).select_related("session", "enrolment__course"):
        add(attendance.session.starts_at, attendance.enrolment.person_id, attendance.enrolment.course,
            TrainingForm.CLASS, participant_times=1)
    courses = {course.pk: course for course in Course.objects.all()}
    scored = scored_attempts().values_list("submitted_at", "person_id", "quiz_course", "fraction", "quiz__pass_mark")
    for submitted_at, person_id, course_id, fraction, pass_mark in scored:
        percent = fraction * 100
        add(submitted_at, person_id, courses[course_id], form_of((person_id, course_id) in in_class), quiz_attempts=1,
            quiz_passed=int(percent + 1e-9 >= float(pass_mark)), quiz_score_sum=percent)
    for counts in rows.values():
        counts["hours"] = Decimal(str(counts["hours"])).quantize(Decimal("0.1"))
        counts["quiz_score_sum"] = Decimal(str(counts["quiz_score_sum"])).quantize(Decimal("0.01"))
    return dict(rows)


def _stored(model, key_names) -> dict[tuple, dict]:
    rows = {}
    for row in model.objects.values(*key_names, *COUNTERS):
        key = tuple(row[name] for name in key_names)
        assert key not in rows, f"two rows for {key}"
        rows[key] = {name: row[name] for name in COUNTERS}
    return rows


def stored_rows() -> dict[tuple, dict]:
    return _stored(DailyFigures, KEY)


def stored_monthly() -> dict[tuple, dict]:
    return _stored(MonthlyFigures, MONTHLY_KEY)


def monthly_of(daily: dict[tuple, dict]) -> dict[tuple, dict]:
    """The daily rows summed per month, unit, track and audience, in Python."""
    months: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(COUNTERS, 0))
    for key, counts in daily.items():
        row = dict(zip(KEY, key))
        month_key = (row["day"].replace(day=1), row["unit_id"], row["track"], row["audience"])
        for name, value in counts.items():
            months[month_key][name] += value
    return dict(months)


def varied_records(world, make_person, seed=8):
    """Extra people of every kind (no year of birth, year 0, commune only, born in the event's year) with enrolments, progress, completions, classes, certificates and quiz attempts at
    random moments, many of them close to midnight in Vietnam (where the UTC day differs)."""
    rng = random.Random(seed)
    g, it = world.courses["general"], world.courses["it"]
    cohort = Cohort.objects.create(course=it, unit=world.units["b"], name="Lớp CT01-1", starts_on=datetime.date(2026, 1, 1),
                                   ends_on=datetime.date(2026, 12, 31), created_by=world.officer_user)
    session = ClassSession.objects.create(cohort=cohort, starts_at=datetime.datetime(2026, 5, 4, 23, 30, tzinfo=ZONE),
                                          ends_at=datetime.datetime(2026, 5, 5, 1, 0, tzinfo=ZONE), place="Phòng 2")
    units = [world.units[name] for name in ("a", "a_child", "b", "c", "d")] + [world.province, None]
    for index in range(24):
        unit = rng.choice(units)
        person = make_person(
            unit=unit, commune=world.units["c"] if unit is None else None, gender=rng.choice(Gender.values), audience=rng.choice(Audience.values),
            staff_category=rng.choice(StaffCategory.values), is_leader=rng.random() < 0.3,
            birth_year=rng.choice([None, 1950, 1966, 1976, 1986, 1996, 2006, 2026]),
        )
        if index % 7 == 0:
            Person.objects.filter(pk=person.pk).update(birth_year=0)
        for course in rng.sample([g, it], rng.randint(1, 2)):
            moment = datetime.datetime(2026, rng.randint(1, 12), rng.randint(1, 28), rng.choice([0, 6, 16, 17, 23]),
                                       rng.randint(0, 59), tzinfo=ZONE)
            done = rng.random() < 0.5
            enrolment = enrol(person, course, enrolled=moment, opened=moment + datetime.timedelta(hours=rng.randint(0, 30))
                              if rng.random() < 0.7 else None,
                              completed=moment + datetime.timedelta(days=rng.randint(0, 40), hours=7) if done else None,
                              cohort=cohort if course == it and rng.random() < 0.5 else None)
            if done and rng.random() < 0.6:
                certify(enrolment, issued=enrolment.completed_at,
                        revoked=timezone.now() if rng.random() < 0.2 else None)
            if enrolment.cohort_id:
                Attendance.objects.create(session=session, enrolment=enrolment, present=rng.random() < 0.8,
                                          recorded_by=world.officer_user)
            if rng.random() < 0.5:
                Assignment.objects.create(person=person, course=course, assigned_by=world.officer_user,
                                          due_date=datetime.date(2026, 12, 31))
            quiz = world.quizzes["general" if course == g else "it"]
            for _ in range(rng.randint(0, 2)):
                attempt(quiz, person, rng.choice([0.0, 0.3, 0.5, 0.79, 0.8, 2 / 3, 1 / 7, 1.0]),
                        moment + datetime.timedelta(days=rng.randint(0, 9), minutes=rng.randint(0, 600)),
                        state=rng.choice([AttemptState.SUBMITTED, AttemptState.OVERDUE_SUBMITTED]))


def test_the_rebuild_writes_exactly_the_rows_of_a_direct_count(world, make_person):
    varied_records(world, make_person)
    expected = oracle_rows()
    assert rollups_rebuild() == len(expected)
    stored = stored_rows()
    assert stored.keys() == expected.keys()
    for key, counts in expected.items():
        assert stored[key] == counts, key
    # Every kind of figure and every age band occurs, so the comparison covers them.
    assert all(any(counts[name] for counts in expected.values()) for name in COUNTERS)
    assert {key[KEY.index("age_band")] for key in expected} == set(AgeBand.values)
    # The monthly sums are the daily rows' (records fall in several months, units, tracks and audiences).
    monthly = stored_monthly()
    assert monthly == monthly_of(expected)
    assert len({key[0] for key in monthly}) > 3 and len({key[2] for key in monthly}) == 2


def test_a_refresh_after_changes_matches_a_rebuild(world, make_person):
    rollups_rebuild(now=timezone.now() - datetime.timedelta(hours=1))
    varied_records(world, make_person, seed=9)
    Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE).update(enrolled_at=timezone.now())
    rollups_refresh()
    refreshed, refreshed_monthly = stored_rows(), stored_monthly()
    rollups_rebuild()
    assert refreshed == stored_rows() == oracle_rows()
    assert refreshed_monthly == stored_monthly() == monthly_of(refreshed)


def test_a_refresh_of_some_buckets_keeps_the_monthly_sums_of_the_daily_rows(world, make_person):
    """No course re-synced: the refresh recomputes the monthly sums of the touched months and tracks only (a moved
    person's history leaves one unit for another in several months), and they equal a rebuild's."""
    varied_records(world, make_person, seed=10)
    Course.objects.update(synced_at=timezone.now() - datetime.timedelta(days=1))  # QuerySet.update skips auto_now
    rollups_rebuild(now=timezone.now() - datetime.timedelta(minutes=30))
    untouched = stored_monthly()
    moved = Person.objects.filter(unit=world.units["b"], enrolments__isnull=False).distinct().first()
    moved.unit = world.units["d"]
    moved.save()
    assert rollups_refresh() > 0
    refreshed, refreshed_monthly = stored_rows(), stored_monthly()
    assert refreshed_monthly != untouched
    rollups_rebuild()
    assert refreshed == stored_rows() == oracle_rows()
    assert refreshed_monthly == stored_monthly() == monthly_of(refreshed)


def test_a_course_moved_to_another_track_moves_its_monthly_sums(world, make_person):
    varied_records(world, make_person, seed=11)
    rollups_rebuild(now=timezone.now() - datetime.timedelta(hours=1))
    general = world.courses["general"]
    Course.objects.filter(pk=general.pk).update(track="open_source", synced_at=timezone.now())
    rollups_refresh()
    monthly = stored_monthly()
    assert monthly == monthly_of(stored_rows()) == monthly_of(oracle_rows())
    assert {key[2] for key in monthly} == {"open_source", world.courses["it"].track}


def _figures(statistics) -> dict:
    return {
        (row.unit.pk, row.is_own): {name: getattr(row.figures, name) for name in (*COUNTERS, "classes_held")}
        for row in statistics.rows
    } | {"total": {name: getattr(statistics.total, name) for name in (*COUNTERS, "classes_held")}}


def test_whole_months_read_the_monthly_sums_and_give_the_daily_rows_figures(world, make_person, monkeypatch):
    """A quarter, half-year or year filtered at most by audience and track reads the monthly sums (one query on
    them, none on the daily rows); its figures, per child unit and in total, are those the daily rows give."""
    varied_records(world, make_person, seed=12)
    rollups_rebuild()
    cases = [
        StatisticsFilter(period=period_of(PeriodKind.QUARTER, 2026, 2)),
        StatisticsFilter(period=period_of(PeriodKind.HALF, 2026, 2), audience=Audience.GENERAL),
        StatisticsFilter(period=period_of(PeriodKind.YEAR, 2026), track=world.courses["it"].track),
        StatisticsFilter(period=period_of(PeriodKind.YEAR, 2026), audience=Audience.IT_STAFF,
                         track=world.courses["general"].track),
    ]
    for unit in (world.province, world.units["a"]):
        for filters in cases:
            with CaptureQueriesContext(connection) as captured:
                monthly = _figures(statistics_for(world.home_affairs_user, unit=unit, filters=filters))
            tables = " ".join(query["sql"] for query in captured.captured_queries)
            assert "reports_monthlyfigures" in tables and "reports_dailyfigures" not in tables, filters
            with monkeypatch.context() as patched:
                patched.setattr(StatisticsFilter, "monthly_q", lambda self: None)
                daily = _figures(statistics_for(world.home_affairs_user, unit=unit, filters=filters))
            assert monthly == daily, filters
            assert monthly["total"]["enrolled"] > 0 or filters.audience


def test_other_periods_and_finer_filters_read_the_daily_rows(world):
    rollups_rebuild()
    year = period_of(PeriodKind.YEAR, 2026)
    cases = [
        StatisticsFilter(period=custom_period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 30))),
        StatisticsFilter(period=custom_period(datetime.date(2026, 1, 2), datetime.date(2026, 3, 31))),
        StatisticsFilter(period=year, gender=Gender.FEMALE),
        StatisticsFilter(period=year, staff_category=StaffCategory.CONG_CHUC),
        StatisticsFilter(period=year, is_leader=False),
        StatisticsFilter(period=year, age_band=AgeBand.UNKNOWN),
        StatisticsFilter(period=year, form=TrainingForm.ONLINE),
        StatisticsFilter(period=year, course_id=world.courses["it"].pk),
    ]
    for filters in cases:
        with CaptureQueriesContext(connection) as captured:
            statistics_for(world.home_affairs_user, unit=world.province, filters=filters)
        tables = " ".join(query["sql"] for query in captured.captured_queries)
        assert "reports_dailyfigures" in tables and "reports_monthlyfigures" not in tables, filters


def test_the_migration_fills_the_monthly_sums_of_the_daily_rows_already_there(world, make_person):
    from django.apps import apps

    fill = importlib.import_module("reports.migrations.0012_monthly_figures").fill_from_the_daily_rows
    varied_records(world, make_person, seed=13)
    rollups_rebuild()
    expected = stored_monthly()
    MonthlyFigures.objects.all().delete()
    # What the migration executor hands it (SQLite's own schema editor cannot open inside the test's transaction).
    with connection.cursor() as cursor:
        fill(apps, SimpleNamespace(connection=connection, execute=cursor.execute))
    assert stored_monthly() == expected == monthly_of(stored_rows())
