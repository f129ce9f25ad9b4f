"""One small world for the security suite: every kind of object that a URL takes an id of, owned by
learner A / managed in unit A, and the people who must not reach it (another unit, another learner,
a trainer who does not own it, Home Affairs reading, anonymous)."""

import datetime
import json
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone, translation

from accounts.roles import Role
from assessments.models import Quiz, QuizQuestion
from assessments.quizzes.services import attempt_start
from certification.choices import CertificateLanguage, ExternalKind
from certification.models import BulkJob, Certificate, ExternalCertificate
from courses.choices import AccessMode, EnrolmentSource, EnrolmentStatus
from courses.models import Course, Enrolment
from courses.services import enrolment_create
from courses.services.classes import cohort_create, cohort_members_add, session_create
from organisations.models import RosterImport
from reports.models import ReportSnapshot
from reports.plans import plan_create, plan_line_add
from tests.assessments.conftest import SINGLE_PAYLOAD
from tests.cms.conftest import make_course, make_lesson, media_root  # noqa: F401 (fixtures)
from tests.h5p.conftest import build_zip, upload, workspace_files
from tests.helpers import login_with_totp

# Roles of the matrix, in the order they are tried.
ANON, OWNER, OFFICER_A, LEARNER_B, OFFICER_B, TRAINER_X, HOME_AFFAIRS = (
    "anonymous", "learner A (owner)", "officer of unit A", "learner B", "officer of sibling unit B",
    "trainer not owning it", "Home Affairs",
)
ROLES = (ANON, OWNER, OFFICER_A, LEARNER_B, OFFICER_B, TRAINER_X, HOME_AFFAIRS)


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@dataclass
class World:
    unit_a: object
    unit_b: object
    users: dict  # role -> user (None for anonymous)
    objects: SimpleNamespace

    def client(self, role: str) -> Client:
        client = Client()
        client.cookies["django_language"] = "en"
        user = self.users[role]
        if user is None:
            return client
        if role in (OFFICER_A, OFFICER_B, HOME_AFFAIRS):
            login_with_totp(client, user)
        else:
            client.force_login(user)
        return client


@pytest.fixture
def world(db, media_root, province, unit_a, unit_b, make_person, make_course, make_lesson, settings):  # noqa: F811
    from assessments.services import category_save, question_save
    from h5p.services import content_upload

    owner = make_person(unit=unit_a, roles=[Role.LEARNER], full_name="Nguyễn Thị Chủ")
    officer_a = make_person(unit=unit_a, roles=[Role.UNIT_OFFICER, Role.LEARNER], full_name="Cán Bộ A")
    learner_b = make_person(unit=unit_b, roles=[Role.LEARNER], full_name="Học Viên B")
    officer_b = make_person(unit=unit_b, roles=[Role.UNIT_OFFICER, Role.LEARNER], full_name="Cán Bộ B")
    trainer_x = make_person(unit=unit_b, roles=[Role.TRAINER], full_name="Giảng Viên Khác")
    home_affairs = make_person(unit=province, roles=[Role.HOME_AFFAIRS], full_name="Sở Nội Vụ")
    author = make_person(unit=unit_a, roles=[Role.TRAINER], full_name="Giảng Viên Chủ").user

    # A quiz and an H5P activity in one open course, the owner enrolled, an attempt started.
    category = category_save(actor=author, name="An toàn thông tin")
    question = question_save(actor=author, category=category, name="Mật khẩu", qtype="single_choice",
                             stem="<p>Mật khẩu nào mạnh nhất?</p>", payload=SINGLE_PAYLOAD)
    quiz = Quiz(owner=author, title="Kiểm tra", shuffle_questions=False)
    quiz.full_clean()
    quiz.save()
    QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=0)
    h5p = content_upload(uploaded=upload(build_zip(workspace_files())), title="Đúng/Sai", owner=author)
    page = make_course(access_mode=AccessMode.OPEN, competency_codes=[], trainers=[author])
    make_lesson(page, "Bài kiểm tra", body=json.dumps([
        {"type": "quiz", "value": {"quiz": quiz.pk, "required": True}},
        {"type": "h5p", "value": {"content": h5p.pk, "required": True}},
    ]))
    course = Course.objects.get(page_id=page.pk)
    enrolment_create(person=owner, course=course)
    attempt = attempt_start(person=owner, quiz=quiz)

    # A class of unit A on another course, the owner a member, one session taught by the author.
    class_page = make_course(access_mode=AccessMode.OPEN, competency_codes=[])
    class_course = Course.objects.get(page_id=class_page.pk)
    today = timezone.localdate()
    cohort = cohort_create(course=class_course, unit=unit_a, name="Lớp A", starts_on=today,
                           ends_on=today + datetime.timedelta(days=10), created_by=officer_a.user)
    cohort_members_add(cohort=cohort, people=[owner], added_by=officer_a.user)
    member = Enrolment.objects.get(cohort=cohort, person=owner)
    start = timezone.now() + datetime.timedelta(days=1)
    session = session_create(cohort=cohort, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                             place="Hội trường", trainer=author, created_by=officer_a.user)

    # A certificate of the owner, an external certificate, a ZIP job and a roster import of unit A.
    done = Enrolment.objects.create(person=owner, course=_other_course(make_course),
                                    source=EnrolmentSource.SELF, status=EnrolmentStatus.COMPLETED,
                                    completed_at=timezone.now())
    certificate = Certificate.objects.create(
        person=owner, course=done.course, enrolment=done, language=CertificateLanguage.VI,
        holder_name=owner.full_name, course_title=done.course.title, hours=Decimal("4"),
        issued_at=timezone.now(), serial="NA-2026-000001", check_code="ABC123", token="t" * 32,
    )
    external = ExternalCertificate.objects.create(
        person=owner, kind=ExternalKind.IT_SKILLS, title="Chứng chỉ ứng dụng CNTT cơ bản", issuer="Trung tâm A",
        issued_on=today, file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="chung-chi.pdf"), content_type="application/pdf",
    )
    job = BulkJob.objects.create(kind="zip", unit=unit_a, requested_by=officer_a.user)
    roster = RosterImport.objects.create(uploaded_by=officer_a.user, scope_unit=unit_a, file_name="ds.xlsx",
                                         file_sha256="0" * 64)

    # A periodic report of unit A asked by its officer and a training plan of unit A.
    snapshot = ReportSnapshot.objects.create(
        unit=unit_a, period_kind="quarter", period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31), requested_by=officer_a.user, requested_role=Role.UNIT_OFFICER,
    )
    plan = plan_create(user=officer_a.user, unit=unit_a, year=2026)
    plan_line = plan_line_add(user=officer_a.user, plan=plan, course=course, track="", audience="general",
                              people=4, quarter=1, form="online", budget_vnd=1_000_000)

    from placement.models import Survey

    survey = Survey.objects.create(title="Khảo sát kỹ năng CNTT")
    from reports.models import ApiToken

    api_token = ApiToken.objects.create(user=officer_a.user, name="Báo cáo đơn vị", key_hash="0" * 64, prefix="lms_0000")

    users = {ANON: None, OWNER: owner.user, OFFICER_A: officer_a.user, LEARNER_B: learner_b.user,
             OFFICER_B: officer_b.user, TRAINER_X: trainer_x.user, HOME_AFFAIRS: home_affairs.user}
    objects = SimpleNamespace(
        person=owner, author=author, quiz=quiz, h5p=h5p, course=course, attempt=attempt, cohort=cohort,
        member=member, session=session, certificate=certificate, external=external, job=job, roster=roster,
        snapshot=snapshot, plan=plan, plan_line=plan_line, survey=survey, api_token=api_token,
    )
    return World(unit_a=unit_a, unit_b=unit_b, users=users, objects=objects)


def _other_course(make_course):  # noqa: F811
    return Course.objects.get(page_id=make_course(access_mode=AccessMode.OPEN, competency_codes=[]).pk)
