"""E-mail reminders (Celery beat, see courses.tasks): learners whose assignment is due within a week
or overdue, once per threshold and due date; unit officers, a weekly digest of their units."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Value
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from organisations.invitations import site_url
from organisations.selectors import people_managed_by

from ..choices import EnrolmentStatus, ReminderKind
from ..models import Assignment, DigestSent, Enrolment, ReminderSent
from ..selectors import DUE_SOON_DAYS

DIGEST_OVERDUE_LISTED = 20


def _render_email(template: str, context: dict, to: str) -> EmailMessage:
    # No request here: e-mails go out in the site's language (Vietnamese).
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        body = render_to_string(f"emails/{template}.txt", context)
    return EmailMessage(subject, body, None, [to])


def _open_assignments():
    """Assignments of live courses whose enrolment is still in progress, to people who can be mailed."""
    active = Enrolment.objects.filter(
        person=OuterRef("person"), course=OuterRef("course"), status=EnrolmentStatus.ACTIVE
    )
    return (
        Assignment.objects.filter(Exists(active), course__is_live=True, person__user__is_active=True)
        .exclude(person__user__email="")
        .select_related("course", "person__user")
    )


@dataclass(frozen=True)
class RemindersResult:
    people: int  # e-mails sent
    due_soon: int  # assignments reminded as due within a week
    overdue: int  # assignments reminded as overdue


def assignment_reminders_send(*, today: datetime.date | None = None) -> RemindersResult:
    """Remind each learner, in one e-mail, of their assignments due within DUE_SOON_DAYS days or
    overdue that they have not been reminded of at that threshold for that due date yet.

    Each person's reminder rows and e-mail go together in one transaction: if the e-mail cannot be
    sent nothing is recorded and the next run tries again; once sent, it is never sent again.
    Moving a due date (assigning again) re-arms both reminders.
    """
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    sent_already = ReminderSent.objects.filter(
        assignment=OuterRef("pk"), kind=OuterRef("reminder_kind"), due_date=OuterRef("due_date")
    )
    candidates = []
    for kind, window in (
        (ReminderKind.DUE_SOON, {"due_date__gte": today, "due_date__lte": soon}),
        (ReminderKind.OVERDUE, {"due_date__lt": today}),
    ):
        rows = _open_assignments().filter(**window).alias(reminder_kind=Value(str(kind), output_field=CharField()))
        candidates += [(kind, assignment) for assignment in rows.exclude(Exists(sent_already))]
    by_person = defaultdict(list)
    for kind, assignment in candidates:
        by_person[assignment.person_id].append((kind, assignment))
    counts = {ReminderKind.DUE_SOON: 0, ReminderKind.OVERDUE: 0}
    people = 0
    with get_connection() as connection:
        for items in by_person.values():
            person = items[0][1].person
            items.sort(key=lambda item: item[1].due_date)
            context = {
                "person": person,
                "overdue": [a for kind, a in items if kind == ReminderKind.OVERDUE],
                "due_soon": [a for kind, a in items if kind == ReminderKind.DUE_SOON],
                "today": today,
                "my_learning_url": site_url(reverse("courses:my_learning")),
                "site_name": settings.LMS_SITE_NAME,
            }
            with transaction.atomic():
                created = ReminderSent.objects.bulk_create(
                    [ReminderSent(assignment=a, kind=kind, due_date=a.due_date) for kind, a in items]
                )
                connection.send_messages([_render_email("assignment_reminder", context, person.user.email)])
            people += 1
            for row in created:
                counts[row.kind] += 1
    return RemindersResult(people=people, due_soon=counts[ReminderKind.DUE_SOON], overdue=counts[ReminderKind.OVERDUE])


@dataclass(frozen=True)
class UnitDigest:
    overdue_count: int
    due_soon_count: int
    completed_count: int  # completions of assigned courses in the last 7 days
    overdue: list[Assignment]

    @property
    def is_empty(self) -> bool:
        return not (self.overdue_count or self.due_soon_count or self.completed_count)


def unit_digest(user, *, today: datetime.date) -> UnitDigest:
    """What an officer's weekly digest says about the people they manage."""
    in_scope = people_managed_by(user).values("pk")
    open_rows = _open_assignments().filter(person__in=in_scope)
    overdue = open_rows.filter(due_date__lt=today).select_related("person__unit").order_by("due_date", "pk")
    completed_since = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=7), datetime.time()))
    assigned = Assignment.objects.filter(person=OuterRef("person"), course=OuterRef("course"))
    completed = Enrolment.objects.filter(
        Exists(assigned), person__in=in_scope, status=EnrolmentStatus.COMPLETED, completed_at__gte=completed_since
    )
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    return UnitDigest(
        overdue_count=overdue.count(),
        due_soon_count=open_rows.filter(due_date__gte=today, due_date__lte=soon).count(),
        completed_count=completed.count(),
        overdue=list(overdue[:DIGEST_OVERDUE_LISTED]),
    )


def officer_digests_send(*, today: datetime.date | None = None) -> int:
    """Send each unit training officer, once a week, a digest of their units' assignments: how many
    are overdue or due within a week, how many were completed in the last 7 days, and the first
    overdue ones. Officers with nothing to report get no e-mail. Returns how many were sent."""
    today = today or timezone.localdate()
    week = today - datetime.timedelta(days=today.weekday())
    officers = (
        get_user_model()
        .objects.filter(groups__name=Role.UNIT_OFFICER.value, is_active=True, person__unit__isnull=False)
        .exclude(email="")
        .exclude(Exists(DigestSent.objects.filter(user=OuterRef("pk"), week=week)))
        .distinct()
        .order_by("pk")
    )
    sent = 0
    with get_connection() as connection:
        for officer in officers:
            digest = unit_digest(officer, today=today)
            if digest.is_empty:
                continue
            context = {
                "officer": officer,
                "digest": digest,
                "week": week,
                "site_name": settings.LMS_SITE_NAME,
                "assign_url": site_url(reverse("courses:assign")),
            }
            with transaction.atomic():
                DigestSent.objects.create(user=officer, week=week)
                connection.send_messages([_render_email("officer_digest", context, officer.email)])
            sent += 1
    return sent
