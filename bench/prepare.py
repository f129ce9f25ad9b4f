"""Sessions and open attempts for the load generators: `python -m bench.prepare --learners N --output FILE`.

Logging in through the login form with a password hash and a TOTP code per virtual user would measure the
login, not the scenario; so the sessions are made the way Django's `login()` makes them (in the production
session store, Redis), with allauth's "mfa" authentication record for the privileged reader (the same record
allauth writes after a correct code, which accounts.middleware requires). CSRF: a random secret sent as both
the cookie and the X-CSRFToken header, as a browser's script would.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import string
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from allauth.account.internal.flows.login import record_authentication  # noqa: E402
from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import login  # noqa: E402
from django.contrib.sessions.backends.cache import SessionStore  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from accounts.models import User  # noqa: E402
from assessments.models import Attempt, Quiz, QuizQuestion  # noqa: E402
from assessments.quizzes.services import attempt_start  # noqa: E402
from cms.models import CoursePage, LessonPage, TrackPage  # noqa: E402
from courses.models import Course, Enrolment  # noqa: E402
from courses.tracks import Track  # noqa: E402
from organisations.models import Person  # noqa: E402


def csrf_secret() -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


def session_for(user, *, mfa: bool = False) -> dict:
    request = RequestFactory().get("/")
    request.session = SessionStore()
    login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
    if mfa:
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is None:
            TOTP.activate(user, generate_totp_secret())
            totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
    request.session.save()
    csrf = csrf_secret()
    return {"user": user.username, "cookie": f"{settings.SESSION_COOKIE_NAME}={request.session.session_key}; "
                                             f"{settings.CSRF_COOKIE_NAME}={csrf}", "csrf": csrf}


E4_TITLE = "Bench: kiểm tra 1 phút"
E4_CODE = "BENCH-E4"


def short_exam(exam: Quiz) -> tuple[Quiz, Course]:
    """E4's quiz: the exam's questions with a one-minute time limit, placed in a live lesson of its own open
    course (so W1's exam lesson and its outline stay as they were). Learners start it through the product's
    start view, which schedules each attempt's own submission at deadline + grace. Made once per database."""
    quiz = Quiz.objects.filter(title=E4_TITLE, owner=exam.owner).first()
    if quiz is None:
        quiz = Quiz(owner=exam.owner, title=E4_TITLE, shuffle_questions=False, time_limit_minutes=1,
                    max_attempts=None, pass_mark=exam.pass_mark)
        quiz.full_clean()
        quiz.save()
        for entry in QuizQuestion.objects.filter(quiz=exam).order_by("sort_order"):
            QuizQuestion.objects.create(quiz=quiz, question=entry.question, sort_order=entry.sort_order)
    page = CoursePage.objects.filter(code=E4_CODE).first()
    if page is None:
        page = CoursePage(title="Bench: khoá có bài kiểm tra 1 phút", code=E4_CODE, summary="Bộ đo hiệu năng (E4).",
                          estimated_hours=Decimal("1"), access_mode="open", live=True)
        TrackPage.objects.get(track=Track.GENERAL).add_child(instance=page)
        page.save_revision().publish()
        lesson = page.add_child(instance=LessonPage(
            title="Bài kiểm tra 1 phút", live=True,
            body=[("text", "<p>Bài kiểm tra có giới hạn 1 phút.</p>"), ("quiz", {"quiz": quiz, "required": True})],
        ))
        lesson.save_revision().publish()
    return quiz, Course.objects.get(page_id=page.pk)


def learners(count: int, *, offset: int = 0) -> list[Person]:
    return list(Person.objects.filter(user__is_active=True, user__is_superuser=False)
                .exclude(user__username__startswith="demo.").order_by("id")[offset:offset + count])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=64, help="learners with an open exam attempt (E1)")
    parser.add_argument("--starters", type=int, default=0, help="learners enrolled, with no attempt yet (E2)")
    parser.add_argument("--e4", type=int, default=0, help="learners enrolled in the one-minute quiz's course (E4)")
    parser.add_argument("--exam-quiz", type=int, required=True)
    parser.add_argument("--exam-course", type=int, required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()

    quiz = Quiz.objects.get(pk=args.exam_quiz)
    course = Course.objects.get(pk=args.exam_course)
    reader = User.objects.get(username="demo.sonoivu")  # Home Affairs: the province dashboard
    out = {"reader": session_for(reader, mfa=True), "learners": [], "starters": []}

    people = learners(args.learners + args.starters + args.e4)
    e4_people = people[args.learners + args.starters:]
    people = people[: args.learners + args.starters]
    Enrolment.objects.bulk_create(
        [Enrolment(person=person, course=course, source="self", status="active") for person in people],
        ignore_conflicts=True,
    )
    for person in people[: args.learners]:
        Attempt.objects.filter(person=person, quiz=quiz, state="in_progress").delete()
        attempt = attempt_start(person=person, quiz=quiz)
        slots = [{"number": slot.number, "choices": slot.option_order} for slot in attempt.slots.order_by("number")]
        out["learners"].append({**session_for(person.user), "attempt": attempt.pk, "slots": slots})
    for person in people[args.learners:]:
        Attempt.objects.filter(person=person, quiz=quiz, state="in_progress").delete()
        out["starters"].append({**session_for(person.user), "person": person.pk})
    if args.e4:
        short, short_course = short_exam(quiz)
        Enrolment.objects.bulk_create(
            [Enrolment(person=person, course=short_course, source="self", status="active") for person in e4_people],
            ignore_conflicts=True,
        )
        Attempt.objects.filter(person__in=e4_people, quiz=short).delete()
        out["e4"] = {"quiz": short.pk, "time_limit_seconds": short.time_limit_minutes * 60,
                     "grace_seconds": settings.QUIZ_ANSWER_GRACE_SECONDS,
                     "learners": [{**session_for(person.user), "person": person.pk} for person in e4_people]}
    with open(args.output, "w") as handle:
        json.dump(out, handle)
    print(f"[prepare] {len(out['learners'])} open attempts, {len(out['starters'])} starters, "
          f"{len(out.get('e4', {}).get('learners', []))} E4 learners, reader session")


if __name__ == "__main__":
    main()
