"""Generated learning records for the statistics tests: several units (one closed and merged into
another), a person who moved, classes with attendance, a revoked certificate and competency records
in every state."""

import datetime
import secrets
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from wagtail.models import Page

from accounts.roles import Role
from assessments.models import Attempt, Quiz
from assessments.quizzes.choices import AttemptState
from certification.choices import CertificateLanguage, CertificateState, RecordSource, RecordState
from certification.models import Certificate, Competency, CompetencyRecord
from courses.choices import ActivityKind, EnrolmentSource, EnrolmentStatus
from courses.models import (
    Assignment,
    Attendance,
    ClassSession,
    Cohort,
    Course,
    Enrolment,
    Lesson,
    LessonActivity,
    LessonProgress,
)
from courses.tracks import Track
from organisations.models import Audience, Gender, StaffCategory, UnitKind
from placement.models import ModuleLevel, ResponseStatus, Survey, SurveyResponse
from placement.modules import MODULE_CODES
from tests.factories import make_unit

ZONE = datetime.timezone(datetime.timedelta(hours=7))
YEAR = 2026


def at(month: int, day: int, hour: int = 10) -> datetime.datetime:
    """A moment of YEAR in Vietnam's time."""
    return datetime.datetime(YEAR, month, day, hour, tzinfo=ZONE)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


def make_course(code: str, track: str, hours: str) -> Course:
    page = Page.get_first_root_node().add_child(instance=Page(title=code, slug=code.lower()))
    course = Course.objects.create(
        page=page, code=code, title=f"Khoá {code}", track=track, access_mode="open",
        estimated_hours=Decimal(hours), is_live=True,
    )
    lesson_page = page.add_child(instance=Page(title=f"{code} bài 1", slug=f"{code.lower()}-1"))
    Lesson.objects.create(page=lesson_page, course=course, title="Bài 1", position=1, is_live=True)
    return course


@dataclass
class World:
    province: object
    units: dict
    courses: dict
    people: dict
    officer_user: object
    home_affairs_user: object
    enrolments: list = field(default_factory=list)
    quizzes: dict = field(default_factory=dict)


def enrol(person, course, *, enrolled, completed=None, opened=None, cohort=None, status=None):
    enrolment = Enrolment.objects.create(person=person, course=course, source=EnrolmentSource.SELF, cohort=cohort)
    fields = {"enrolled_at": enrolled}
    if completed:
        fields.update(status=EnrolmentStatus.COMPLETED, completed_at=completed)
    elif status:
        fields["status"] = status
    Enrolment.objects.filter(pk=enrolment.pk).update(**fields)
    if opened:
        progress = LessonProgress.objects.create(enrolment=enrolment, lesson=course.lessons.first())
        LessonProgress.objects.filter(pk=progress.pk).update(first_opened_at=opened)
    enrolment.refresh_from_db()
    return enrolment


def certify(enrolment, *, issued, revoked=None):
    certificate = Certificate.objects.create(
        person=enrolment.person, course=enrolment.course, enrolment=enrolment, language=CertificateLanguage.VI,
        holder_name=enrolment.person.full_name, course_title=enrolment.course.title, hours=enrolment.course.estimated_hours,
        issued_at=issued, serial=f"NA-{YEAR}-{secrets.token_hex(4)}", check_code="ABC123",
        token=secrets.token_urlsafe(24),
        state=CertificateState.REVOKED if revoked else CertificateState.VALID, revoked_at=revoked,
    )
    return certificate


def record(person, code, *, state=RecordState.ACTIVE, valid_until=None, achieved=datetime.date(YEAR, 2, 1)):
    return CompetencyRecord.objects.create(
        person=person, competency=Competency.objects.get(code=code), achieved_on=achieved, valid_until=valid_until,
        source=RecordSource.OFFICER_DECISION, state=state,
    )


def make_quiz(owner, title: str, pass_mark: str, course=None) -> Quiz:
    quiz = Quiz.objects.create(owner=owner, title=title, pass_mark=Decimal(pass_mark))
    if course is not None:
        LessonActivity.objects.create(lesson=course.lessons.first(), kind=ActivityKind.QUIZ, ref=str(quiz.pk),
                                      title=title)
    return quiz


def attempt(quiz, person, fraction, submitted, *, state=AttemptState.SUBMITTED):
    number = Attempt.objects.filter(quiz=quiz, person=person).count() + 1
    return Attempt.objects.create(
        quiz=quiz, person=person, number=number, state=state, started_at=submitted - datetime.timedelta(minutes=20),
        submitted_at=None if state == AttemptState.IN_PROGRESS else submitted,
        score=None if fraction is None else Decimal(str(fraction * 10)), max_score=Decimal(10), fraction=fraction,
    )


def survey_answer(survey, person, submitted, levels: dict[str, int] | int, *, draft=False):
    """A survey response placing the person at a level in each basic module (one level for all, or per code)."""
    response = SurveyResponse.objects.create(
        survey=survey, person=person, status=ResponseStatus.DRAFT if draft else ResponseStatus.SUBMITTED,
        submitted_at=None if draft else submitted, unit=None if draft else (person.unit or person.commune),
        audience=person.audience,
    )
    for code in MODULE_CODES:
        level = levels if isinstance(levels, int) else levels.get(code, 1)
        ModuleLevel.objects.create(response=response, module_code=code, self_score=Decimal(level), combined=level / 3,
                                   level=level)
    return response


@pytest.fixture
def world(db, province, unit_a, unit_a_child, unit_b, make_person):
    commune_c = make_unit("Xã Hưng Nguyên", parent=province, kind=UnitKind.COMMUNE, code="NA-HN")
    commune_d = make_unit("Xã Hưng Tây", parent=province, kind=UnitKind.COMMUNE, code="NA-HT")
    # Hưng Tây was merged into Hưng Nguyên: closed, with a successor; its people stay attached to it.
    commune_d.valid_to = datetime.date(YEAR, 3, 31)
    commune_d.successor = commune_c
    commune_d.save()
    units = {"a": unit_a, "a_child": unit_a_child, "b": unit_b, "c": commune_c, "d": commune_d}
    courses = {
        "general": make_course("CB01", Track.GENERAL, "4.0"),
        "it": make_course("CT01", Track.IT_STAFF, "2.5"),
    }
    p = {}
    p["an"] = make_person(unit=unit_a, full_name="Lê Văn An", gender=Gender.MALE, birth_year=1990, is_leader=True,
                          audience=Audience.LEADER_CIO)
    p["binh"] = make_person(unit=unit_a_child, full_name="Phạm Thị Bình", gender=Gender.FEMALE, birth_year=1975)
    p["cuong"] = make_person(unit=unit_b, full_name="Hoàng Văn Cường", gender=Gender.MALE, birth_year=2000,
                             audience=Audience.IT_STAFF, staff_category=StaffCategory.VIEN_CHUC)
    p["dung"] = make_person(unit=commune_c, full_name="Đỗ Thị Dung", gender=Gender.FEMALE)
    p["em"] = make_person(unit=commune_d, full_name="Vũ Văn Em", gender=Gender.MALE, birth_year=1960)
    # Giang worked in the health department, then moved to home affairs' sub-unit: her records follow her.
    p["giang"] = make_person(unit=unit_b, full_name="Trịnh Thị Giang", gender=Gender.FEMALE, birth_year=1988)
    officer = make_person(unit=unit_a, roles=[Role.UNIT_OFFICER], full_name="Cán Bộ Đào Tạo")
    home_affairs = make_person(unit=province, roles=[Role.HOME_AFFAIRS], full_name="Sở Nội Vụ Tỉnh")
    w = World(province, units, courses, p, officer.user, home_affairs.user)
    g, it = courses["general"], courses["it"]

    # Q1 2026 is the period under test; a few events fall just outside it.
    w.enrolments += [
        enrol(p["an"], g, enrolled=at(1, 5), opened=at(1, 6), completed=at(2, 10)),
        enrol(p["an"], it, enrolled=at(3, 31, 23), opened=at(4, 1, 8)),  # enrolled in Q1 (local time), started in Q2
        enrol(p["binh"], g, enrolled=at(2, 1), opened=at(2, 2), completed=at(4, 2)),  # completed in Q2
        enrol(p["cuong"], it, enrolled=at(1, 15), opened=at(1, 15), completed=at(3, 1)),
        enrol(p["dung"], g, enrolled=at(3, 3), status=EnrolmentStatus.WITHDRAWN),
        enrol(p["em"], g, enrolled=at(2, 20), opened=at(2, 21), completed=at(3, 20)),
        enrol(p["giang"], g, enrolled=at(1, 2), opened=at(1, 3), completed=at(1, 30)),
        enrol(p["giang"], it, enrolled=at(12, 1)),  # outside the period
    ]
    enrolments = {(e.person_id, e.course_id): e for e in w.enrolments}
    certify(enrolments[p["an"].pk, g.pk], issued=at(2, 10, 11))
    certify(enrolments[p["cuong"].pk, it.pk], issued=at(3, 1, 11), revoked=at(3, 5))
    certify(enrolments[p["em"].pk, g.pk], issued=at(3, 20, 11))
    certify(enrolments[p["giang"].pk, g.pk], issued=at(1, 30, 11))
    for person, course, created in [(p["an"], it, at(3, 1)), (p["binh"], g, at(1, 20)), (p["dung"], g, at(3, 2)),
                                    (p["em"], it, at(6, 1))]:
        assignment = Assignment.objects.create(person=person, course=course, assigned_by=officer.user,
                                               due_date=datetime.date(YEAR, 6, 30))
        Assignment.objects.filter(pk=assignment.pk).update(created_at=created)

    # A class of the general course organised by the sub-unit, with two sessions in Q1 and one in Q2.
    cohort = Cohort.objects.create(course=g, unit=unit_a_child, name="Lớp CB01-1", starts_on=datetime.date(YEAR, 2, 1),
                                   ends_on=datetime.date(YEAR, 4, 30), created_by=officer.user)
    Enrolment.objects.filter(pk=enrolments[p["binh"].pk, g.pk].pk).update(cohort=cohort)
    Enrolment.objects.filter(pk=enrolments[p["an"].pk, g.pk].pk).update(cohort=cohort)
    sessions = [
        ClassSession.objects.create(cohort=cohort, starts_at=at(2, 3, 8), ends_at=at(2, 3, 11), place="Hội trường"),
        ClassSession.objects.create(cohort=cohort, starts_at=at(3, 3, 8), ends_at=at(3, 3, 11), place="Hội trường"),
        ClassSession.objects.create(cohort=cohort, starts_at=at(4, 3, 8), ends_at=at(4, 3, 11), place="Hội trường"),
    ]
    for session in sessions:
        Attendance.objects.create(session=session, enrolment=enrolments[p["binh"].pk, g.pk], present=True,
                                  recorded_by=officer.user)
        Attendance.objects.create(session=session, enrolment=enrolments[p["an"].pk, g.pk],
                                  present=session is not sessions[1], recorded_by=officer.user)

    # Competencies: An meets the basic standard; Bình has IU01–IU05 plus an expired IU06; Cường had IU01 revoked.
    for code in ["IU01", "IU02", "IU03", "IU04", "IU05", "IU06", "IU07", "IU08"]:
        record(p["an"], code)
    for code in ["IU01", "IU02", "IU03", "IU04", "IU05"]:
        record(p["binh"], code)
    record(p["binh"], "IU06", valid_until=datetime.date(YEAR - 1, 12, 31), achieved=datetime.date(YEAR - 2, 1, 1))
    old = record(p["cuong"], "IU01", achieved=datetime.date(YEAR - 1, 1, 1))
    CompetencyRecord.objects.filter(pk=old.pk).update(state=RecordState.SUPERSEDED)
    record(p["cuong"], "IU01", state=RecordState.REVOKED)
    record(p["giang"], "IU01")

    # Quiz results. The general course's quiz passes at 50%, the IT course's at 80%; a third quiz is
    # placed in no course. In Q1: An fails then passes exactly at the mark (in the class), Giang passes
    # (before she moved), Em passes late in the merged commune, Cường fails the IT quiz.
    quiz_general = make_quiz(officer.user, "Kiểm tra CB01", "50", g)
    quiz_it = make_quiz(officer.user, "Kiểm tra CT01", "80", it)
    quiz_loose = make_quiz(officer.user, "Khảo sát", "50")
    attempt(quiz_general, p["an"], 0.4, at(1, 20))
    attempt(quiz_general, p["an"], 0.5, at(2, 1))
    attempt(quiz_general, p["giang"], 0.9, at(1, 25))
    attempt(quiz_general, p["em"], 0.7, at(3, 10), state=AttemptState.OVERDUE_SUBMITTED)
    attempt(quiz_it, p["cuong"], 0.75, at(3, 2))
    attempt(quiz_general, p["binh"], 0.6, at(4, 5))  # Q2
    attempt(quiz_it, p["an"], None, at(3, 30), state=AttemptState.IN_PROGRESS)  # not finished
    attempt(quiz_loose, p["dung"], 1.0, at(2, 2))  # no course to file it under
    w.quizzes = {"general": quiz_general, "it": quiz_it, "loose": quiz_loose}

    # The IT skill survey. In Q1: An (basic, proficient in IU01), Giang (advanced, before she moved),
    # Em (not yet, in the merged commune). Bình answered in Q2; Dung left a draft.
    survey = Survey.objects.create(title="Khảo sát kỹ năng CNTT 2026")
    survey_answer(survey, p["an"], at(2, 5), {"IU01": 2})
    survey_answer(survey, p["giang"], at(1, 10), 3)
    survey_answer(survey, p["em"], at(3, 12), 0)
    survey_answer(survey, p["binh"], at(5, 2), 1)
    survey_answer(survey, p["dung"], None, 2, draft=True)

    # The move happens after the records: a person's history counts in their current unit.
    p["giang"].unit = unit_a_child
    p["giang"].save()
    return w


@pytest.fixture
def today():
    return datetime.date(YEAR, 6, 15)


@pytest.fixture
def frozen_today(monkeypatch, today):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    return today
