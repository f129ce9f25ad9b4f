"""Writes of certification: the competency registry (append-only), issuing, rendering and revoking
certificates. Every service is atomic and takes keyword arguments only."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable, Sequence

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
from .mail import certificates_issued_mail_send, certificates_mail_claim

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


def _competency_records_for_new_certificates(
    *, certificates: Sequence[Certificate], achieved_on: dict[int, datetime.date]
) -> list[CompetencyRecord]:
    """What `competency_record` does for each competency the new certificates attest, in a fixed number of
    queries whatever their number: lock their holders, supersede the holders' current records of these
    competencies, add the new ones. Codes the framework does not know (or no longer uses) are skipped.
    `achieved_on` maps a certificate's enrolment id to its completion day. Inside the issuing transaction.

    Two certificates of one holder attesting one competency (two courses developing it, issued together)
    leave the history one issue after the other would: the first record is superseded by the second."""
    codes_of = {id(c): list(dict.fromkeys(c.course.competency_codes or [])) for c in certificates}
    wanted = {code for codes in codes_of.values() for code in codes}
    competencies = {c.code: c for c in Competency.objects.filter(code__in=wanted, is_active=True)} if wanted else {}
    if not competencies:
        return []
    attesting = [c for c in certificates if any(code in competencies for code in codes_of[id(c)])]
    person_ids = sorted({c.person_id for c in attesting})
    # One registry writer per person; locked in id order, so two batches never wait on each other in a circle.
    list(Person.objects.select_for_update().filter(pk__in=person_ids).order_by("pk").values_list("pk", flat=True))
    pairs = {
        (c.person_id, competencies[code].pk) for c in attesting for code in codes_of[id(c)] if code in competencies
    }
    current = [
        record.pk
        for record in CompetencyRecord.objects.select_for_update()
        .filter(person_id__in=person_ids, competency__in=competencies.values())
        .exclude(state=RecordState.SUPERSEDED)
        .only("pk", "person_id", "competency_id")
        .order_by()  # the default ordering joins the people and the competencies
        if (record.person_id, record.competency_id) in pairs
    ]
    if current:
        # Before the new rows: the partial unique constraint allows one current record per competency.
        CompetencyRecord.objects.filter(pk__in=current).update(state=RecordState.SUPERSEDED)
    records: dict[tuple[int, int], list[CompetencyRecord]] = {}
    for certificate in attesting:
        for code in codes_of[id(certificate)]:
            if code not in competencies:
                continue
            competency = competencies[code]
            day = achieved_on[certificate.enrolment_id]
            record = CompetencyRecord(
                person_id=certificate.person_id,
                competency=competency,
                achieved_on=day,
                valid_until=valid_until_for(competency, day),
                source=RecordSource.COURSE_CERTIFICATE,
                certificate=certificate,
                state=RecordState.ACTIVE,
            )
            # The related rows were just read or written: only the values need checking (no query per key).
            record.clean_fields(exclude=["person", "competency", "certificate", "recorded_by"])
            records.setdefault((certificate.person_id, competency.pk), []).append(record)
    for same in records.values():
        for earlier in same[:-1]:
            earlier.state = RecordState.SUPERSEDED
    return CompetencyRecord.objects.bulk_create([record for same in records.values() for record in same])


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
    """The next serial of the year, e.g. NA-2026-000123 (see `serials_allocate`)."""
    return serials_allocate(year=year, count=1, prefix=prefix)[0]


def serials_allocate(*, year: int, count: int, prefix: str | None = None) -> list[str]:
    """The next `count` serials of the year, in order. Must run inside the issuing transaction, as its last
    statement: the counter row stays locked until commit (concurrent issuers wait for it), and a rollback
    gives the numbers back, so serials have no gaps."""
    prefix = prefix or serial_prefix()
    last = _serial_counter_increment(prefix=prefix, year=year, by=count)
    if last is None:  # the year's first serial
        try:
            with transaction.atomic():
                SerialCounter.objects.get_or_create(prefix=prefix, year=year)
        except IntegrityError:
            pass  # another issuer created the row first: it exists now
        last = _serial_counter_increment(prefix=prefix, year=year, by=count)
    return [f"{prefix}-{year}-{number:06d}" for number in range(last - count + 1, last + 1)]


def _serial_counter_increment(*, prefix: str, year: int, by: int = 1) -> int | None:
    """Add `by` to the counter and return it: one statement, which also locks the row (never max()+1)."""
    table = connection.ops.quote_name(SerialCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + %s WHERE prefix = %s AND year = %s RETURNING last_number",
            [by, prefix, year],
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
    """Issue the certificate of a completed enrolment (see `certificates_issue`); None when the enrolment
    does not exist or is not completed."""
    certificates = certificates_issue(enrolment_ids=[enrolment_id])
    return certificates[0] if certificates else None


def certificates_issue(*, enrolment_ids: Sequence[int]) -> list[Certificate]:
    """Issue the certificates of completed enrolments, record the competencies their courses develop, render
    the PDFs, then e-mail the holders. Idempotent: however often (or concurrently) it runs — a task redelivered
    after its worker was killed included — an enrolment has one certificate, with its PDF, and its holder at
    most one e-mail (services.mail). Enrolments that do not exist or are not completed are skipped; the
    others' certificates are returned in the order of `enrolment_ids`.

    A batch costs a fixed number of statements to create (one transaction) and one transaction to store its
    PDFs, whatever its size: the mass issuing task (`certificates_issue_batch`) passes 50 enrolments at a
    time, a completion one."""
    certificates = _certificates_create(enrolment_ids=enrolment_ids)
    claimed: set[int] = set()
    rendered_before = [certificate for certificate in certificates if certificate.pdf]  # a rerun's
    unrendered = [certificate for certificate in certificates if not certificate.pdf]
    if unrendered:
        # The e-mails are claimed in the transaction that stores the PDFs (one commit fewer); they are sent after
        # that commit: a run killed in between sends nothing (at most once), one killed before it (while
        # rendering) left neither PDF nor claim, so its rerun does both.
        certificates_render(
            certificates=unrendered,
            while_storing=lambda stored: claimed.update(certificates_mail_claim(certificates=stored)),
        )
    if rendered_before:  # a rerun finding the PDFs stored: claim what was not claimed, in a commit of its own
        claimed.update(certificates_mail_claim(certificates=rendered_before))
    certificates_issued_mail_send(certificates=certificates, claimed=claimed)
    return certificates


# Held by a certificate between its insertion and the allocation of its serial, in the same transaction:
# never committed, never seen by another transaction. Unique like the token it is cut from.
PENDING_SERIAL_PREFIX = "pending-"


@transaction.atomic
def _certificates_create(*, enrolment_ids: Sequence[int]) -> list[Certificate]:
    # Locking the enrolments makes concurrent runs for them wait here (in id order: two batches never wait on
    # each other in a circle); the unique constraint is the backstop.
    enrolments = [
        enrolment
        for enrolment in Enrolment.objects.select_for_update(of=("self",))
        .select_related("person__user", "course")
        .filter(pk__in=sorted(set(enrolment_ids)))
        .order_by("pk")
        if enrolment.status == EnrolmentStatus.COMPLETED
    ]
    if not enrolments:
        return []
    # A query of its own, after the lock: a subquery of the locking SELECT would read the snapshot taken
    # before it waited, and miss the certificate the run it waited for has just committed
    # (tests/certification/test_issuing_concurrency.py).
    found = {
        certificate.enrolment_id: certificate
        for certificate in Certificate.objects.filter(enrolment__in=enrolments).select_related(
            "person__user", "template__background_image", "template__signature_image", "template__seal_image"
        )
    }
    issued_at = timezone.now()
    templates: dict[int, CertificateTemplate] = {}
    new = []
    for enrolment in enrolments:
        if enrolment.pk in found:
            continue
        course, person = enrolment.course, enrolment.person
        if course.pk not in templates:
            templates[course.pk] = certificate_template_for(course)
        template = templates[course.pk]
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
        new.append(certificate)
    if new:
        new = _certificates_insert(new, found)
    if new:
        CertificateEvent.objects.bulk_create(
            [CertificateEvent(certificate=certificate, kind=CertificateEventKind.ISSUED) for certificate in new]
        )
        _competency_records_for_new_certificates(
            certificates=new,
            achieved_on={enrolment.pk: timezone.localdate(enrolment.completed_at) for enrolment in enrolments},
        )
        # The serials last: their counter row is locked from here to the commit, so concurrent issuers queue
        # only for these two statements, not for the whole transaction.
        serials = serials_allocate(year=timezone.localtime(issued_at).year, count=len(new))
        for certificate, serial in zip(new, serials, strict=True):
            certificate.serial, certificate.check_code = serial, check_code_for(serial)
        Certificate.objects.bulk_update(new, ["serial", "check_code"])
        for certificate in new:
            found[certificate.enrolment_id] = certificate
    return [found[pk] for pk in dict.fromkeys(enrolment_ids) if pk in found]


def _certificates_insert(new: list[Certificate], found: dict[int, Certificate]) -> list[Certificate]:
    """Insert the new certificates; returns those inserted (on a backend without row locks, a concurrent run
    may have issued some first: those are added to `found` instead)."""
    if connection.features.has_select_for_update:
        return Certificate.objects.bulk_create(new)  # the enrolments' row locks keep any other run out
    try:
        with transaction.atomic():
            return Certificate.objects.bulk_create(new)
    except IntegrityError:
        pass  # a backend without row locks, and another run issued one of them first: one by one
    inserted = []
    for certificate in new:
        try:
            with transaction.atomic():
                certificate.save()
        except IntegrityError:
            # A backend without row locks: the other run won.
            found[certificate.enrolment_id] = Certificate.objects.select_related("person__user").get(
                enrolment_id=certificate.enrolment_id
            )
        else:
            inserted.append(certificate)
    return inserted


def certificates_render(
    *, certificates: Iterable[Certificate], while_storing: Callable[[list[Certificate]], None] | None = None
) -> int:
    """Render and store the PDF of each certificate, loading each template once (bulk-friendly). Each PDF is
    written to storage as it is rendered (one in memory at a time); the rows are updated together in one
    transaction at the end, also when rendering or writing one of them failed (those done are kept; the error
    is raised after). `while_storing(stored)` runs inside that transaction, after their PDFs are set, and only
    when all of them were stored: after a failure the caller is not going on (an issuing run claims no e-mail
    it would not send; its retry finds these PDFs stored and claims them then)."""
    from ..pdf import render_many  # reportlab is loaded only by the processes that render

    stored: list[tuple[Certificate, str]] = []
    finished = False
    try:
        for certificate, content in render_many(certificates):
            old_name = certificate.pdf.name if certificate.pdf else ""
            certificate.pdf.save(f"{certificate.serial}.pdf", ContentFile(content), save=False)
            stored.append((certificate, old_name))
        finished = True
    finally:
        if stored:
            _pdfs_record(stored, while_storing if finished else None)
    return len(stored)


def _pdfs_record(
    stored: list[tuple[Certificate, str]], while_storing: Callable[[list[Certificate]], None] | None
) -> None:
    certificates = [certificate for certificate, _old_name in stored]
    with transaction.atomic():
        Certificate.objects.bulk_update(certificates, ["pdf"])
        CertificateEvent.objects.bulk_create(
            [CertificateEvent(certificate=stored, kind=CertificateEventKind.RENDERED) for stored in certificates]
        )
        if while_storing is not None:
            while_storing(certificates)
    for certificate, old_name in stored:
        if old_name and old_name != certificate.pdf.name:
            certificate.pdf.storage.delete(old_name)


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
