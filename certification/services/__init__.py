"""Writes of certification: the competency registry (append-only), issuing, rendering and revoking
certificates. Every service is atomic and takes keyword arguments only."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from courses.choices import EnrolmentStatus
from courses.models import Course, Enrolment
from organisations.models import Person

from ..choices import CertificateEventKind, CertificateState, RecordSource, RecordState
from ..defaults import DEFAULT_TEMPLATE
from ..errors import (
    AlreadyRevoked,
    EvidenceMissing,
    ReasonRequired,
    RevocationNotAllowed,
    UnknownCompetency,
    UnknownSource,
)
from ..models import (
    Certificate,
    CertificateEvent,
    CertificateTemplate,
    Competency,
    CompetencyRecord,
    SerialCounter,
)
from ..selectors import can_revoke
from .mail import certificate_issued_mail_send, certificate_mail_claim

# Check codes avoid letters and digits that read alike (0/O, 1/I/L).
CHECK_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CHECK_CODE_LENGTH = 6
# 24 random bytes: a 192-bit verification code, URL-safe (32 characters).
TOKEN_BYTES = 24


# --- The registry -----------------------------------------------------------------------------------


def valid_until_for(competency: Competency, achieved_on: datetime.date) -> datetime.date | None:
    if not competency.validity_months:
        return None
    return achieved_on + relativedelta(months=competency.validity_months)


@transaction.atomic
def competency_record(
    *,
    person: Person,
    competency_code: str,
    source: str,
    achieved_on: datetime.date,
    certificate: Certificate | None = None,
    evidence_ref: str = "",
    recorded_by=None,
    note: str = "",
) -> CompetencyRecord:
    """Record that the person holds the competency, on this evidence. The public entry point of the
    registry: assessments call it for server-graded quizzes, issuing for course certificates.

    The person's current record of the competency, if any, is marked superseded and the new one added,
    in one transaction. Recording the same evidence again returns the current record unchanged.
    """
    if source not in RecordSource.values:
        raise UnknownSource(source)
    evidence_ref = evidence_ref.strip()
    if (source == RecordSource.COURSE_CERTIFICATE and certificate is None) or (
        source != RecordSource.COURSE_CERTIFICATE and certificate is None and not evidence_ref
    ):
        raise EvidenceMissing()
    competency = Competency.objects.filter(code=competency_code.strip().upper(), is_active=True).first()
    if competency is None:
        raise UnknownCompetency(competency_code)
    # One writer per person at a time: the partial unique constraint (one current record per person and
    # competency) would otherwise turn a race into an error.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    current = _current_record(person=person, competency=competency)
    if (
        current is not None
        and current.state == RecordState.ACTIVE
        and (current.source, current.certificate_id, current.evidence_ref, current.achieved_on)
        == (source, certificate.pk if certificate else None, evidence_ref, achieved_on)
    ):
        return current
    record = CompetencyRecord(
        person=person,
        competency=competency,
        achieved_on=achieved_on,
        valid_until=valid_until_for(competency, achieved_on),
        source=source,
        certificate=certificate,
        evidence_ref=evidence_ref,
        state=RecordState.ACTIVE,
        recorded_by=recorded_by,
        note=note[:500],
    )
    return _append(current=current, record=record)


def _current_record(*, person: Person, competency: Competency) -> CompetencyRecord | None:
    return (
        CompetencyRecord.objects.select_for_update()
        .filter(person=person, competency=competency)
        .exclude(state=RecordState.SUPERSEDED)
        .first()
    )


def _append(*, current: CompetencyRecord | None, record: CompetencyRecord) -> CompetencyRecord:
    """Add the record and supersede the one it replaces (the only change ever made to an old record)."""
    if current is not None:
        current.state = RecordState.SUPERSEDED
        current.save(update_fields=["state"])
    record.full_clean(validate_constraints=False)
    record.save()
    return record


def _competency_records_for_new_certificate(
    *, certificate: Certificate, codes: Iterable[str], achieved_on: datetime.date
) -> list[CompetencyRecord]:
    """What `competency_record` does for each competency a new certificate attests, in a fixed number of
    queries: lock the person, supersede their current records of these competencies, add the new ones.
    Codes the framework does not know (or no longer uses) are skipped. Inside the issuing transaction."""
    codes = list(dict.fromkeys(codes))
    competencies = {c.code: c for c in Competency.objects.filter(code__in=codes, is_active=True)}
    if not competencies:
        return []
    person_id = certificate.person_id
    Person.objects.select_for_update().filter(pk=person_id).first()  # one registry writer per person
    current = list(
        CompetencyRecord.objects.select_for_update()
        .filter(person_id=person_id, competency__in=competencies.values())
        .exclude(state=RecordState.SUPERSEDED)
    )
    if current:
        # Before the new rows: the partial unique constraint allows one current record per competency.
        CompetencyRecord.objects.filter(pk__in=[record.pk for record in current]).update(
            state=RecordState.SUPERSEDED
        )
    records = []
    for code in codes:
        if code not in competencies:
            continue
        competency = competencies[code]
        record = CompetencyRecord(
            person_id=person_id,
            competency=competency,
            achieved_on=achieved_on,
            valid_until=valid_until_for(competency, achieved_on),
            source=RecordSource.COURSE_CERTIFICATE,
            certificate=certificate,
            state=RecordState.ACTIVE,
        )
        # The related rows were just read or written: only the values need checking (no query per key).
        record.clean_fields(exclude=["person", "competency", "certificate", "recorded_by"])
        records.append(record)
    return CompetencyRecord.objects.bulk_create(records)


def _records_revoke(*, certificate: Certificate, revoked_by, note: str) -> int:
    """Append a revoked record for every competency whose current record rests on this certificate."""
    Person.objects.select_for_update().filter(pk=certificate.person_id).first()
    current = (
        CompetencyRecord.objects.select_for_update()
        .filter(certificate=certificate, state__in=[RecordState.ACTIVE, RecordState.EXPIRED])
        .select_related("competency")
    )
    count = 0
    for record in current:
        revoked = CompetencyRecord(
            person_id=record.person_id,
            competency=record.competency,
            achieved_on=record.achieved_on,
            valid_until=record.valid_until,
            source=record.source,
            certificate=certificate,
            evidence_ref=record.evidence_ref,
            state=RecordState.REVOKED,
            recorded_by=revoked_by,
            note=note[:500],
        )
        _append(current=record, record=revoked)
        count += 1
    return count


# --- Templates --------------------------------------------------------------------------------------


def certificate_template_for(course: Course) -> CertificateTemplate:
    """The template of the course, else of its track, else the default (created if it was deleted)."""
    # At most one of each kind (the model's constraints), so no ordering: the default one joined the courses to
    # sort by title, a quarter of this query's time for every certificate issued (issue 8, C1).
    candidates = (
        CertificateTemplate.objects.filter(Q(course=course) | Q(course__isnull=True, track__in=["", course.track]))
        .select_related("signature_image", "seal_image", "background_image")
        .order_by()
    )
    templates = {
        ("course" if template.course_id else "track" if template.track else "default"): template
        for template in candidates
    }
    template = templates.get("course") or templates.get("track") or templates.get("default")
    if template is None:
        template, _created = CertificateTemplate.objects.get_or_create(
            course=None, track="", defaults=dict(DEFAULT_TEMPLATE)
        )
    return template


# --- Serial numbers and codes -----------------------------------------------------------------------


def serial_prefix() -> str:
    return getattr(settings, "CERTIFICATE_SERIAL_PREFIX", "NA") or "NA"


def serial_allocate(*, year: int, prefix: str | None = None) -> str:
    """The next serial of the year, e.g. NA-2026-000123. Must run inside the issuing transaction, as its
    last statement: the counter row stays locked until commit (concurrent issuers wait for it), and a
    rollback gives the number back, so serials have no gaps."""
    prefix = prefix or serial_prefix()
    number = _serial_counter_increment(prefix=prefix, year=year)
    if number is None:  # the year's first serial
        try:
            with transaction.atomic():
                SerialCounter.objects.get_or_create(prefix=prefix, year=year)
        except IntegrityError:
            pass  # another issuer created the row first: it exists now
        number = _serial_counter_increment(prefix=prefix, year=year)
    return f"{prefix}-{year}-{number:06d}"


def _serial_counter_increment(*, prefix: str, year: int) -> int | None:
    """Add one to the counter and return it: one statement, which also locks the row (never max()+1)."""
    table = connection.ops.quote_name(SerialCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + 1 WHERE prefix = %s AND year = %s RETURNING last_number",
            [prefix, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def check_code_for(serial: str) -> str:
    """A short code printed beside the serial: an HMAC of it, so serials alone cannot be walked."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"certificate-check:{serial}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    letters = []
    for _position in range(CHECK_CODE_LENGTH):
        number, index = divmod(number, len(CHECK_CODE_ALPHABET))
        letters.append(CHECK_CODE_ALPHABET[index])
    return "".join(letters)


def verification_token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


# --- Issuing ----------------------------------------------------------------------------------------


def certificate_issue_for_enrolment(*, enrolment_id: int) -> Certificate | None:
    """Issue the certificate of a completed enrolment, record the competencies the course develops, render
    the PDF, then e-mail the holder. Idempotent: however often (or concurrently) it runs — a task redelivered
    after its worker was killed included — the enrolment has one certificate, with its PDF, and the holder
    at most one e-mail (services.mail). Returns None when the enrolment does not exist or is not completed."""
    certificate = _certificate_create(enrolment_id=enrolment_id)
    if certificate is None:
        return None
    claimed = None  # not claimed yet: certificate_issued_mail_send claims (a rerun finding the PDF stored)
    if not certificate.pdf:
        # The e-mail is claimed in the transaction that stores the PDF (one commit fewer per certificate);
        # it is sent after that commit, as before: a run killed in between sends nothing (at most once), one
        # killed before it (while rendering) left neither PDF nor claim, so its rerun does both.
        outcome = {}

        def claim(stored: Certificate) -> None:
            outcome["claimed"] = certificate_mail_claim(certificate=stored)

        certificates_render(certificates=[certificate], while_storing=claim)
        claimed = outcome.get("claimed", False)
    certificate_issued_mail_send(certificate=certificate, claimed=claimed)
    return certificate


# Held by a certificate between its insertion and the allocation of its serial, in the same transaction:
# never committed, never seen by another transaction. Unique like the token it is cut from.
PENDING_SERIAL_PREFIX = "pending-"


@transaction.atomic
def _certificate_create(*, enrolment_id: int) -> Certificate | None:
    # Locking the enrolment makes concurrent runs for it wait here; the unique constraint is the backstop.
    enrolment = (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("person__user", "course")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or enrolment.status != EnrolmentStatus.COMPLETED:
        return None
    # A query of its own, after the lock: a subquery of the locking SELECT would read the snapshot taken
    # before it waited, and miss the certificate the run it waited for has just committed
    # (tests/certification/test_issuing_concurrency.py).
    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        return existing
    course, person = enrolment.course, enrolment.person
    template = certificate_template_for(course)
    issued_at = timezone.now()
    token = verification_token_new()
    certificate = Certificate(
        person=person,
        course=course,
        enrolment=enrolment,
        template=template,
        language=template.language,
        holder_name=person.full_name,
        course_title=course.title,
        hours=course.estimated_hours,
        issued_at=issued_at,
        serial=(PENDING_SERIAL_PREFIX + token)[: Certificate._meta.get_field("serial").max_length],
        token=token,
    )
    # The related rows were just read: only the values need checking (no query per key); the database's
    # unique constraints guard serial and token.
    certificate.clean_fields(exclude=["pdf", "person", "course", "enrolment", "template", "check_code"])
    if connection.features.has_select_for_update:
        certificate.save()  # the enrolment's row lock keeps any other run for it out
    else:
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:
            # A backend without row locks: the other run won.
            return Certificate.objects.get(enrolment=enrolment)
    CertificateEvent.objects.create(certificate=certificate, kind=CertificateEventKind.ISSUED)
    _competency_records_for_new_certificate(
        certificate=certificate,
        codes=course.competency_codes or [],
        achieved_on=timezone.localdate(enrolment.completed_at),
    )
    # The serial last: its counter row is locked from here to the commit, so concurrent issuers queue only
    # for these two statements, not for the whole transaction.
    certificate.serial = serial_allocate(year=timezone.localtime(issued_at).year)
    certificate.check_code = check_code_for(certificate.serial)
    Certificate.objects.filter(pk=certificate.pk).update(serial=certificate.serial, check_code=certificate.check_code)
    return certificate


def certificates_render(
    *, certificates: Iterable[Certificate], while_storing: Callable[[Certificate], None] | None = None
) -> int:
    """Render and store the PDF of each certificate, loading each template once (bulk-friendly).
    `while_storing(certificate)` runs inside each certificate's storing transaction, after its PDF is set."""
    from ..pdf import render_many  # reportlab is loaded only by the processes that render

    count = 0
    for certificate, content in render_many(certificates):
        with transaction.atomic():
            old_name = certificate.pdf.name if certificate.pdf else ""
            certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(content), save=False)
            Certificate.objects.filter(pk=certificate.pk).update(pdf=certificate.pdf.name)
            CertificateEvent.objects.create(certificate=certificate, kind=CertificateEventKind.RENDERED)
            if while_storing is not None:
                while_storing(certificate)
        if old_name and old_name != certificate.pdf.name:
            certificate.pdf.storage.delete(old_name)
        count += 1
    return count


# --- Revocation -------------------------------------------------------------------------------------


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, reason: str, revoked_by) -> Certificate:
    """Revoke a certificate, with the reason, by a site administrator or an officer managing its holder.
    The competencies recorded from it are revoked too (new records: the history stays)."""
    if not can_revoke(revoked_by, certificate):
        raise RevocationNotAllowed()
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ReasonRequired()
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.state == CertificateState.REVOKED:
        raise AlreadyRevoked()
    certificate.state = CertificateState.REVOKED
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason
    certificate.revoked_by = revoked_by
    certificate.full_clean(exclude=["pdf"], validate_constraints=False)
    certificate.save(update_fields=["state", "revoked_at", "revoked_reason", "revoked_by"])
    CertificateEvent.objects.create(
        certificate=certificate, kind=CertificateEventKind.REVOKED, actor=revoked_by, note=reason
    )
    _records_revoke(certificate=certificate, revoked_by=revoked_by, note=reason)
    return certificate
