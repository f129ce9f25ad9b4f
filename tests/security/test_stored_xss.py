"""Stored XSS (issue 10, "Input and uploads"): a payload set typed into names and titles comes back
escaped in the learner pages, the officers' lists, the public verification page and the reminder
e-mails. The CSP (test_headers.py) is the second wall; this is the first."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from certification.models import Certificate
from courses.models import Course
from courses.services import assignment_create
from organisations.models import OrganisationUnit, Person

from .conftest import HOME_AFFAIRS, OFFICER_A, OWNER

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
PAYLOAD = f"Nguyễn {SCRIPT}{ATTRIBUTE}{TEMPLATE}"


def assert_escaped(html: str, where: str):
    assert SCRIPT not in html, f"{where}: raw <script> payload"
    assert "<img src=x onerror" not in html, f"{where}: raw attribute-breaking payload"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, f"{where}: the payload is not shown escaped"
    assert TEMPLATE in html, f"{where}: template syntax was evaluated"


def poison(world):
    o = world.objects
    Person.objects.filter(pk=o.person.pk).update(full_name=PAYLOAD)
    OrganisationUnit.objects.filter(pk=world.unit_a.pk).update(name=f"Sở {SCRIPT}{ATTRIBUTE}{TEMPLATE}")
    Course.objects.filter(pk=o.course.pk).update(title=f"Khoá {PAYLOAD}")
    type(o.quiz).objects.filter(pk=o.quiz.pk).update(title=f"Kiểm tra {PAYLOAD}")
    Certificate.objects.filter(pk=o.certificate.pk).update(holder_name=PAYLOAD, course_title=f"Khoá {PAYLOAD}")


def test_names_and_titles_come_back_escaped_in_pages(world):
    poison(world)
    o = world.objects
    pages = [
        (OWNER, reverse("courses:my_learning")),
        (OWNER, reverse("organisations:profile")),
        (OWNER, reverse("assessments:quiz", args=[o.quiz.pk])),
        (OWNER, reverse("certification:my_certificates")),
        (OFFICER_A, reverse("organisations:people_list")),
        (OFFICER_A, reverse("organisations:person_detail", args=[o.person.pk])),
        (OFFICER_A, reverse("certification:manage")),
        (OFFICER_A, reverse("courses:class_detail", args=[o.cohort.pk])),
        (HOME_AFFAIRS, reverse("reports:unit_people", args=[world.unit_a.pk])),
        (None, reverse("certification:verify_token", args=[o.certificate.token])),
    ]
    for role, url in pages:
        client = world.client(role) if role else world.client("anonymous")
        response = client.get(url)
        assert response.status_code == 200, url
        assert_escaped(response.content.decode(), f"{role} {url}")


def test_reminder_emails_are_plain_text_and_do_not_run_template_syntax(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from courses.services.reminders import assignment_reminders_send

    o = world.objects
    Person.objects.filter(pk=o.person.pk).update(full_name=PAYLOAD)
    Course.objects.filter(pk=o.course.pk).update(title=f"Khoá {PAYLOAD}")
    o.person.refresh_from_db()
    assignment_create(course=Course.objects.get(pk=o.course.pk), people=[o.person],
                      due_date=timezone.localdate() + datetime.timedelta(days=3),
                      assigned_by=world.users[OFFICER_A])
    mail.outbox.clear()
    assignment_reminders_send()
    sent = [m for m in mail.outbox if o.person.user.email in m.to]
    assert sent
    for message in sent:
        assert not getattr(message, "alternatives", None)  # no HTML part that a mail client would render
        assert message.content_subtype == "plain"
        assert TEMPLATE in message.body  # shown as typed, never evaluated
