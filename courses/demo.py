"""Demo learning records for `make run`: an assigned course in the demo learner's "My learning" and
a blended class run by the demo training officer, so every role has something real to look at.

Built through the same services as the site (assignment, classes, attendance, progress); run after
seed_demo and seed_demo_courses. Idempotent: it does nothing once the demo class exists."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from organisations.models import Audience
from organisations.selectors import people_managed_by, person_of

from .models import Cohort, Course, Enrolment, Lesson
from .services import (
    assignment_create,
    attendance_record,
    cohort_create,
    cohort_members_add,
    lesson_open,
    session_create,
)

DEMO_CLASS = "Lớp Tin học cơ bản – Sở Y tế, đợt 1"
BASICS, SECURITY = "IU01", "ATTT-CT01"


@dataclass(frozen=True)
class DemoLearningResult:
    created: bool
    members: int = 0


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@transaction.atomic
def demo_learning_ensure() -> DemoLearningResult:
    if Cohort.objects.filter(name=DEMO_CLASS).exists():
        return DemoLearningResult(created=False)
    users = {user.username: user for user in get_user_model().objects.filter(username__startswith="demo.")}
    officer, admin, trainer, learner = (
        users.get("demo.canbodaotao"), users.get("demo.quantri"), users.get("demo.giangvien"), users.get("demo.hocvien")
    )
    basics = Course.objects.filter(code=BASICS, is_live=True).first()
    security = Course.objects.filter(code=SECURITY, is_live=True).first()
    if None in (officer, admin, trainer, learner, basics, security):
        return DemoLearningResult(created=False)  # seed_demo / seed_demo_courses have not run
    today = timezone.localdate()

    # The demo learner (Sở Tài chính) is assigned the basics course, has started it, and one more.
    person = person_of(learner)
    assignment_create(course=basics, people=[person], due_date=today + datetime.timedelta(days=5), assigned_by=admin)
    assignment_create(course=security, people=[person], due_date=today + datetime.timedelta(days=40), assigned_by=admin)
    first_lesson = Lesson.objects.filter(course=basics, is_live=True).order_by("position").first()
    if first_lesson is not None:
        lesson_open(person=person, lesson_page_id=first_lesson.page_id)

    # The demo officer (Sở Y tế) runs a blended class of the basics course for her general staff.
    officer_person = person_of(officer)
    cohort = cohort_create(
        course=basics, unit=officer_person.unit, name=DEMO_CLASS, starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=21), min_attendance_percent=50, created_by=officer,
    )
    held = session_create(
        cohort=cohort, starts_at=_at(today - datetime.timedelta(days=3), 8), ends_at=_at(today - datetime.timedelta(days=3), 11),
        place="Hội trường tầng 3, Sở Y tế", topic="Máy tính và hệ điều hành", trainer=trainer, created_by=officer,
    )
    session_create(
        cohort=cohort, starts_at=_at(today + datetime.timedelta(days=4), 14), ends_at=_at(today + datetime.timedelta(days=4), 17),
        place="Phòng máy, Trung tâm CNTT tỉnh", topic="Thực hành soạn thảo và thư điện tử", trainer=trainer,
        created_by=officer,
    )
    staff = list(
        people_managed_by(officer)
        .filter(audience=Audience.GENERAL, unit__path__startswith=officer_person.unit.path)
        .order_by("pk")[:12]
    )
    cohort_members_add(cohort=cohort, people=staff, added_by=officer)
    members = list(Enrolment.objects.filter(cohort=cohort).order_by("pk").values_list("pk", flat=True))
    attendance_record(session=held, present_enrolment_ids=members[: max(1, len(members) * 3 // 4)], recorded_by=trainer)
    return DemoLearningResult(created=True, members=len(members))
