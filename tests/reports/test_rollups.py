"""The summary tables: the rebuild command, and the incremental refresh catching every kind of change."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.utils import timezone
from wagtail.models import Page

from certification.choices import CertificateState
from certification.models import Certificate
from courses.choices import ActivityKind, EnrolmentStatus
from courses.models import Course, Enrolment, Lesson, LessonActivity, LessonProgress
from reports.choices import PeriodKind
from reports.models import DailyFigures, RollupState
from reports.periods import period_of
from reports.rollups import rollups_rebuild, rollups_refresh
from reports.selectors import StatisticsFilter, statistics_for
from reports.tasks import rebuild_rollups, refresh_rollups

from .conftest import YEAR, at, enrol

Q1 = period_of(PeriodKind.QUARTER, YEAR, 1)


def totals(world, unit=None, period=Q1):
    return statistics_for(world.home_affairs_user, unit=unit or world.province, filters=StatisticsFilter(period=period))


def rows(world):
    return {row.unit.pk: row.figures for row in totals(world).rows}


def test_rebuild_command_and_task_write_the_rows(world):
    call_command("reports_rebuild")
    assert DailyFigures.objects.exists()
    assert RollupState.objects.get().rebuilt_at is not None
    before = list(DailyFigures.objects.values_list("day", "unit", "course", "enrolled", "completed").order_by("pk"))
    assert rebuild_rollups.delay().get() == len(before)  # idempotent
    assert sorted(DailyFigures.objects.values_list("day", "unit", "course", "enrolled", "completed")) == sorted(before)


def test_refresh_without_a_rebuild_rebuilds(world):
    assert refresh_rollups.delay().get() == -1
    assert totals(world).total.enrolled == 7


def test_refresh_picks_up_new_enrolments_and_completions(world):
    rollups_rebuild(now=timezone.now() - datetime.timedelta(hours=1))
    dung = world.people["dung"]
    enrolment = enrol(dung, world.courses["it"], enrolled=at(2, 14), opened=at(2, 14))
    Enrolment.objects.filter(pk=enrolment.pk).update(status=EnrolmentStatus.COMPLETED, completed_at=at(3, 14))
    # Records are stamped with their event time; the refresh finds them by what changed since it last ran.
    Enrolment.objects.filter(pk=enrolment.pk).update(enrolled_at=timezone.now())
    rollups_refresh()
    figures = totals(world, period=period_of(PeriodKind.YEAR, timezone.localdate().year)).total
    assert figures.enrolled >= 1
    assert totals(world).total.completed == 5  # the completion of 14 March landed in its own day


def test_refresh_drops_a_certificate_revoked_since(world):
    rollups_rebuild(now=timezone.now() - datetime.timedelta(hours=1))
    assert totals(world).total.certificates == 3
    certificate = Certificate.objects.filter(state=CertificateState.VALID).first()
    Certificate.objects.filter(pk=certificate.pk).update(state=CertificateState.REVOKED, revoked_at=timezone.now())
    rollups_refresh()
    assert totals(world).total.certificates == 2


def test_refresh_moves_the_history_of_a_moved_person(world):
    rollups_rebuild(now=timezone.now() - datetime.timedelta(hours=1))
    cuong = world.people["cuong"]
    assert rows(world)[world.units["b"].pk].enrolled == 1
    cuong.unit = world.units["c"]
    cuong.save()  # updated_at is now
    rollups_refresh()
    after = rows(world)
    assert after[world.units["b"].pk].enrolled == 0
    assert after[world.units["c"].pk].enrolled == 3
    assert totals(world).total.enrolled == 7


def test_refresh_recomputes_a_resynced_course(world):
    rollups_rebuild(now=timezone.now() - datetime.timedelta(hours=1))
    general = world.courses["general"]
    Course.objects.filter(pk=general.pk).update(estimated_hours=Decimal("10.0"), synced_at=timezone.now())
    rollups_refresh()
    # Completions in Q1: An, Em, Giang on the general course (3 × 10 h), Cường on the IT course (2.5 h).
    assert totals(world).total.hours == Decimal("32.5")


def test_refresh_with_nothing_changed_touches_nothing(world):
    rollups_rebuild(now=max(timezone.now(), at(12, 31)) + datetime.timedelta(hours=1))  # after every record
    assert rollups_refresh() == 0


def test_refresh_picks_up_a_submitted_quiz_attempt(world):
    from .conftest import attempt

    rollups_rebuild(now=timezone.now() - datetime.timedelta(hours=1))
    this_year = period_of(PeriodKind.YEAR, timezone.localdate().year)
    before = totals(world, period=this_year).total.quiz_attempts
    attempt(world.quizzes["it"], world.people["binh"], 0.85, timezone.now())
    assert rollups_refresh() >= 1
    after = totals(world, period=this_year).total
    assert after.quiz_attempts == before + 1 and after.quiz_passed >= 1


def open_lessons(enrolment, *moments):
    """Lesson progress of the enrolment: one lesson (added to the course as needed) first opened at each moment."""
    course = enrolment.course
    while course.lessons.count() < len(moments):
        position = course.lessons.count() + 1
        page = course.page.add_child(instance=Page(title=f"{course.code} bài {position}",
                                                   slug=f"{course.code.lower()}-{position}"))
        Lesson.objects.create(page=page, course=course, title=f"Bài {position}", position=position, is_live=True)
    for lesson, moment in zip(course.lessons.order_by("position"), moments):
        progress = LessonProgress.objects.create(enrolment=enrolment, lesson=lesson)
        LessonProgress.objects.filter(pk=progress.pk).update(first_opened_at=moment)


def started_by_day(course) -> dict:
    figures = DailyFigures.objects.filter(course=course, started__gt=0).values("day").annotate(n=Sum("started"))
    return {row["day"]: row["n"] for row in figures.order_by()}


def test_an_enrolment_starts_once_on_the_day_it_first_opens_a_lesson(world):
    """Several lessons opened, two of them first at the same moment (late evening in Vietnam, the day
    before in UTC): the enrolment counts as started once, on that day, in a rebuild and in a refresh."""
    it = world.courses["it"]
    rollups_rebuild()
    before = started_by_day(it)
    enrolment = enrol(world.people["dung"], it, enrolled=at(4, 1))
    open_lessons(enrolment, at(4, 9), at(4, 5, 23), at(4, 5, 23), at(4, 6))
    rollups_rebuild(now=timezone.now() - datetime.timedelta(hours=1))
    after = started_by_day(it)
    assert after.pop(at(4, 5).date()) == before.pop(at(4, 5).date(), 0) + 1
    assert after == before

    now = timezone.now()
    late = enrol(world.people["em"], it, enrolled=now - datetime.timedelta(minutes=5))
    open_lessons(late, now, now - datetime.timedelta(minutes=2), now - datetime.timedelta(minutes=2))
    assert rollups_refresh() >= 1
    refreshed = started_by_day(it)
    assert refreshed[timezone.localdate(now - datetime.timedelta(minutes=2))] >= 1
    rollups_rebuild()
    assert refreshed == started_by_day(it)


def test_a_course_final_exam_is_filed_under_its_course(world):
    """A final exam is a course-level activity (no lesson): its attempts count for the course."""
    from courses.choices import ActivityKind
    from courses.models import LessonActivity
    from reports.rollups import scored_attempts

    from .conftest import attempt, make_quiz

    course = Course.objects.get(pk=Enrolment.objects.filter(person=world.people["cuong"]).values("course")[:1])
    exam = make_quiz(world.home_affairs_user, "Bài thi cuối khoá", "50")
    LessonActivity.objects.create(course=course, kind=ActivityKind.QUIZ, ref=str(exam.pk), title="Bài thi cuối khoá")
    taken = attempt(exam, world.people["cuong"], 0.9, at(3, 3))
    assert scored_attempts().filter(pk=taken.pk).values_list("quiz_course", flat=True).get() == course.pk


def test_rebuild_and_refresh_work_before_any_quiz_is_placed(world):
    # A fresh site: no course places a quiz, so the quiz source has no course to file attempts under
    # (its query is empty); the other figures are written all the same.
    LessonActivity.objects.filter(kind=ActivityKind.QUIZ).delete()
    assert rollups_rebuild() > 0
    assert totals(world).total.enrolled == 7
    assert rollups_refresh() >= 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the rebuild swaps tables only on PostgreSQL")
def test_a_rebuild_on_postgresql_leaves_the_table_as_the_migrations_made_it(world):
    def schema():
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname, regexp_replace(indexdef, '\\s+ON\\s+\\S+', ' ON t') FROM pg_indexes "
                           "WHERE tablename = %s ORDER BY 1", [DailyFigures._meta.db_table])
            indexes = cursor.fetchall()
            cursor.execute("SELECT conname, contype FROM pg_constraint WHERE conrelid = %s::regclass ORDER BY 1",
                           [DailyFigures._meta.db_table])
            constraints = cursor.fetchall()
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id'), to_regclass(%s)",
                           [DailyFigures._meta.db_table, f"{DailyFigures._meta.db_table}_rebuild"])
            return indexes, constraints, cursor.fetchone()

    before = schema()
    first = rollups_rebuild()
    assert rollups_rebuild() == first == DailyFigures.objects.count()
    assert schema() == before and before[2][1] is None  # same indexes, constraints, sequence; no staging table left
    DailyFigures.objects.create(day=at(1, 1).date(), unit=world.province, course=world.courses["it"], track="basic",
                                audience="staff", staff_category="civil_servant", is_leader=False, gender="female",
                                age_band="u30", form="online")  # the identity still numbers new rows
