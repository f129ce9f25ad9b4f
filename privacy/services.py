"""Writes about personal data: the access log, consent withdrawal, and data requests (correction or
deletion) with their transitions, the anonymisation of a person, and the e-mails around them.

Views that show or export people's records call `personal_data_accessed`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_lazy as _

from accounts.models import ConsentRecord
from accounts.roles import Role
from organisations.invitations import site_url
from organisations.models import Gender, Person

from .models import (
    OPEN_STATUSES,
    AccessAction,
    AccessLog,
    DataRequest,
    DataRequestEvent,
    DataRequestKind,
    DataRequestReminder,
    DataRequestStatus,
)
from .selectors import data_requests_due_soon, data_requests_handled_by

# Past this many people an export records its filter and count, not every id (the filter replays it).
MAX_IDS = 5000

# Officers are reminded of open requests due within this time, or overdue.
REMINDER_WINDOW = datetime.timedelta(hours=24)


def personal_data_accessed(*, user, action: str, what: str, person_ids: Iterable[int] = (), filters: str = "",
                           count: int | None = None) -> AccessLog:
    """Append one row: `user` saw (list, view) or exported the people `person_ids` through `what`."""
    if action not in AccessAction.values:
        raise ValueError(action)
    ids = sorted({int(pk) for pk in person_ids})
    total = len(ids) if count is None else count
    return AccessLog.objects.create(
        user=user, action=action, what=what[:100], filters=filters[:500],
        record_ids=ids if len(ids) <= MAX_IDS else [], count=total,
    )


def describe_filters(params) -> str:
    """A query string's filters as `key=value` pairs (the page number left out), for the log."""
    return "&".join(f"{key}={value}" for key, value in sorted(params.items()) if key != "page" and value)


# --- Consent ------------------------------------------------------------------------------------------

@transaction.atomic
def consent_withdraw(*, user, consent_id: int) -> ConsentRecord:
    """The user withdraws a consent they gave; the record stays, with the time of withdrawal (proof both ways)."""
    consent = ConsentRecord.objects.select_for_update().get(pk=consent_id, user=user)
    if consent.withdrawn_at is None:
        consent.withdrawn_at = timezone.now()
        consent.save(update_fields=["withdrawn_at"])
    return consent


# --- Data requests ------------------------------------------------------------------------------------

class DataRequestError(Exception):
    """A transition the request's status or kind does not allow; the message is shown to the officer."""


def request_deadline(filed_at: datetime.datetime) -> datetime.datetime:
    return filed_at + datetime.timedelta(hours=settings.PRIVACY_REQUEST_DEADLINE_HOURS)


@transaction.atomic
def data_request_file(*, user, kind: str, details: str, field_names: str = "", correct_value: str = "") -> DataRequest:
    """The person files a request about their own data; it is due PRIVACY_REQUEST_DEADLINE_HOURS later."""
    now = timezone.now()
    data_request = DataRequest(user=user, kind=kind, details=details.strip(), field_names=field_names.strip(),
                               correct_value=correct_value.strip() if kind == DataRequestKind.CORRECTION else "",
                               created_at=now, due_at=request_deadline(now))
    data_request.full_clean()
    data_request.save()
    DataRequestEvent.objects.create(request=data_request, status=DataRequestStatus.OPEN, actor=user, at=now)
    return data_request


def _lock_for(actor, request_id: int) -> DataRequest:
    """The request, locked, if `actor` may handle it (the service checks, whatever calls it)."""
    data_request = data_requests_handled_by(actor).select_for_update(of=("self",)).filter(pk=request_id).first()
    if data_request is None:
        raise PermissionError("This data request is outside the user's scope.")
    return data_request


def _record(data_request: DataRequest, *, actor, status: str, note: str = "") -> None:
    DataRequestEvent.objects.create(request=data_request, status=status, actor=actor, at=timezone.now(), note=note)


@transaction.atomic
def data_request_start(*, actor, request_id: int) -> DataRequest:
    """An officer takes the request up (open → in progress)."""
    data_request = _lock_for(actor, request_id)
    if data_request.status != DataRequestStatus.OPEN:
        raise DataRequestError(_("Only an open request can be taken up."))
    data_request.status = DataRequestStatus.IN_PROGRESS
    data_request.started_by = actor
    data_request.started_at = timezone.now()
    data_request.save(update_fields=["status", "started_by", "started_at"])
    _record(data_request, actor=actor, status=data_request.status)
    return data_request


def _close(data_request: DataRequest, *, actor, status: str, response: str, notify_email: str) -> DataRequest:
    data_request.status = status
    data_request.handled_by = actor
    data_request.handled_at = timezone.now()
    data_request.response = response.strip()[:2000]
    data_request.notify_email = notify_email
    data_request.save(update_fields=["status", "handled_by", "handled_at", "response", "notify_email"])
    _record(data_request, actor=actor, status=status, note=data_request.response)
    from .tasks import send_data_request_outcome

    send_data_request_outcome.delay_on_commit(data_request.pk)
    return data_request


@transaction.atomic
def data_request_complete(*, actor, request_id: int, response: str) -> DataRequest:
    """Close a correction request as done: the officer has applied the correction on the person's page."""
    data_request = _lock_for(actor, request_id)
    if not data_request.is_open:
        raise DataRequestError(_("This request is already closed."))
    if data_request.kind == DataRequestKind.DELETION:
        raise DataRequestError(_("A deletion request is done by deleting the data (or refused with a reason)."))
    if not response.strip():
        raise DataRequestError(_("Tell the person what was corrected."))
    return _close(data_request, actor=actor, status=DataRequestStatus.DONE, response=response,
                  notify_email=data_request.user.email)


@transaction.atomic
def data_request_refuse(*, actor, request_id: int, response: str) -> DataRequest:
    """Refuse a request, with the reason the person is told (for example a legal retention duty)."""
    data_request = _lock_for(actor, request_id)
    if not data_request.is_open:
        raise DataRequestError(_("This request is already closed."))
    if not response.strip():
        raise DataRequestError(_("Give the reason for refusing."))
    return _close(data_request, actor=actor, status=DataRequestStatus.REFUSED, response=response,
                  notify_email=data_request.user.email)


@transaction.atomic
def data_request_erase(*, actor, request_id: int, response: str = "") -> DataRequest:
    """Carry out a deletion request: anonymise the person and close the account, then close the request."""
    data_request = _lock_for(actor, request_id)
    if not data_request.is_open:
        raise DataRequestError(_("This request is already closed."))
    if data_request.kind != DataRequestKind.DELETION:
        raise DataRequestError(_("Only a deletion request deletes data."))
    user = data_request.user
    notify = user.email  # the address is about to be erased: the outcome e-mail still goes to it
    person_anonymise(user=user)
    with translation.override(settings.LANGUAGE_CODE):
        text = response.strip() or gettext("Your personal data has been deleted and your account closed.")
    return _close(data_request, actor=actor, status=DataRequestStatus.DONE, response=text, notify_email=notify)


def _anonymous_name(pk: int) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Deleted person #%(id)s") % {"id": pk}


def person_anonymise(*, user) -> None:
    """Remove what identifies the person and close the account, keeping the rows statistics count.

    Cleared: name, employee code, position, phone, year of birth, gender, the account's login name,
    names and e-mail (and allauth's addresses and second factors), the admin avatar, the actor of xAPI
    statements and the free text they carry, what the person wrote in quizzes (essay and short answers:
    the marks stay), the files and numbers of the external certificates they uploaded, and what their data
    requests said. Kept: unit, audience, staff category and qualification (aggregates), enrolments,
    attempts and their marks, competency records, consent records and the access log, now pointing at an
    anonymous person. Certificates already issued keep the holder's name they were issued with: they are
    public records that third parties verify by their serial (legal retention, SECURITY.md).
    Runs inside the caller's transaction; files leave the storage only once it commits.
    """
    person = Person.objects.select_for_update().filter(user=user).first()
    if person is not None:
        person.full_name = _anonymous_name(person.pk)
        person.employee_code = None
        person.position = ""
        person.phone = ""
        person.birth_year = None
        person.gender = Gender.UNSPECIFIED
        person.is_leader = False
        person.is_cio = False
        person.save()
        _anonymise_statements(person)
        _erase_writing(person)
        _erase_external_files(person)
    _erase_avatar(user)
    user.username = f"deleted-{user.pk}"
    user.email = ""
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    DataRequest.objects.filter(user=user).update(details="", correct_value="", field_names="")


def _anonymise_statements(person: Person) -> None:
    """xAPI statements keep their verb, object and score; the actor and any free text answer go."""
    from h5p.models import H5PStatement

    anonymous = {"objectType": "Agent", "account": {"homePage": site_url("/"), "name": f"person-{person.pk}"}}
    for statement in H5PStatement.objects.filter(person=person).only("pk", "statement").iterator():
        if not isinstance(statement.statement, dict):
            continue
        if "actor" in statement.statement:
            statement.statement["actor"] = anonymous
        result = statement.statement.get("result")
        if isinstance(result, dict):
            result.pop("response", None)
        statement.save(update_fields=["statement"])


def _erase_writing(person: Person) -> None:
    """What the person typed in quizzes (essays, short answers) may say anything about them: cleared;
    the marks and the choice answers, which only point at options, stay for the item statistics."""
    from assessments.choices import QuestionType
    from assessments.models import AttemptSlot

    AttemptSlot.objects.filter(
        attempt__person=person, version__qtype__in=[QuestionType.ESSAY, QuestionType.SHORT_ANSWER]
    ).exclude(response=None).update(response=None)


def _delete_after_commit(storage, names: list[str]) -> None:
    def delete():
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def _erase_external_files(person: Person) -> None:
    """The scans the person uploaded show their name, photo and birth date: the files go (once the
    transaction commits) with the certificate's number; the verified record and its competencies stay."""
    from certification.models import ExternalCertificate

    externals = list(ExternalCertificate.objects.select_for_update().filter(person=person).exclude(file=""))
    if not externals:
        return
    storage = externals[0].file.storage
    _delete_after_commit(storage, [external.file.name for external in externals])
    ExternalCertificate.objects.filter(pk__in=[external.pk for external in externals]).update(file="", number="")


def _erase_avatar(user) -> None:
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user=user).exclude(avatar="").exclude(avatar=None).first()
    if profile is None:
        return
    _delete_after_commit(profile.avatar.storage, [profile.avatar.name])
    UserProfile.objects.filter(pk=profile.pk).update(avatar="")


# --- E-mails ------------------------------------------------------------------------------------------

def _render_email(template: str, context: dict, to: str) -> EmailMessage:
    # No request here: e-mails go out in the site's language (Vietnamese).
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"privacy/emails/{template}_subject.txt", context).split())
        body = render_to_string(f"privacy/emails/{template}.txt", context)
    return EmailMessage(subject, body, None, [to])


def data_request_outcome_notify(*, request_id: int) -> bool:
    """E-mail the requester how their request was handled, once; the address kept for it is then erased."""
    with transaction.atomic():
        data_request = (DataRequest.objects.select_for_update().filter(
            pk=request_id, notified_at__isnull=True).exclude(status__in=OPEN_STATUSES).first())
        if data_request is None:
            return False
        if data_request.notify_email:
            context = {"data_request": data_request, "site_name": settings.LMS_SITE_NAME,
                       "my_data_url": site_url(reverse("privacy:my_data")),
                       "account_closed": not data_request.user.is_active}
            _render_email("request_outcome", context, data_request.notify_email).send()
        data_request.notified_at = timezone.now()
        data_request.notify_email = ""
        data_request.save(update_fields=["notified_at", "notify_email"])
    return True


def _officers():
    """Active accounts that handle requests and can be mailed: unit officers with a unit, site administrators."""
    return (
        get_user_model().objects.filter(
            Q(groups__name=Role.UNIT_OFFICER.value, person__unit__isnull=False)
            | Q(groups__name=Role.SITE_ADMIN.value) | Q(is_superuser=True),
            is_active=True,
        ).exclude(email="").distinct().order_by("pk")
    )


def data_request_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Once a day, e-mail each officer the open requests of their people due within 24 hours or overdue.
    Officers with none get nothing. Safe to repeat: a day's reminder is recorded with the e-mail."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    with get_connection() as connection:
        for officer in _officers().exclude(pk__in=DataRequestReminder.objects.filter(sent_on=today)
                                           .values("officer_id")):
            due = list(data_requests_due_soon(data_requests_handled_by(officer), now=now, within=REMINDER_WINDOW))
            if not due:
                continue
            context = {"officer": officer, "overdue": [r for r in due if r.due_at < now],
                       "due_soon": [r for r in due if r.due_at >= now], "count": len(due),
                       "site_name": settings.LMS_SITE_NAME, "queue_url": site_url(reverse("privacy:queue"))}
            with transaction.atomic():
                DataRequestReminder.objects.create(officer=officer, sent_on=today)
                connection.send_messages([_render_email("officer_reminder", context, officer.email)])
            sent += 1
    return sent
