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
from assessments.models import Attempt, Quiz  # noqa: E402
from assessments.quizzes.services import attempt_start  # noqa: E402
from courses.models import Course, Enrolment  # noqa: E402
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


def learners(count: int, *, offset: int = 0) -> list[Person]:
    return list(Person.objects.filter(user__is_active=True, user__is_superuser=False)
                .exclude(user__username__startswith="demo.").order_by("id")[offset:offset + count])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=64, help="learners with an open exam attempt (E1)")
    parser.add_argument("--starters", type=int, default=0, help="learners enrolled, with no attempt yet (E2)")
    parser.add_argument("--exam-quiz", type=int, required=True)
    parser.add_argument("--exam-course", type=int, required=True)
    parser.add_argument("--output", required=True)
    args = parser.parse_args()

    quiz = Quiz.objects.get(pk=args.exam_quiz)
    course = Course.objects.get(pk=args.exam_course)
    reader = User.objects.get(username="demo.sonoivu")  # Home Affairs: the province dashboard
    out = {"reader": session_for(reader, mfa=True), "learners": [], "starters": []}

    people = learners(args.learners + args.starters)
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
    with open(args.output, "w") as handle:
        json.dump(out, handle)
    print(f"[prepare] {len(out['learners'])} open attempts, {len(out['starters'])} starters, reader session")


if __name__ == "__main__":
    main()
