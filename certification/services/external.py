"""External certificates: a person submits a certificate or degree obtained elsewhere; an officer managing
them verifies it (its competencies enter the registry, the person's IT qualification is raised) or rejects
it with a reason."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from organisations.models import Person
from organisations.selectors import people_managed_by
from organisations.services import person_qualification_raise

from ..choices import ExternalKind, ExternalState, RecordSource
from ..errors import AlreadyReviewed, RejectionReasonRequired, ReviewNotAllowed
from ..models import Competency, ExternalCertificate
from ..uploads import upload_check
from . import competency_record

# No certificate or degree that counts today was issued before this (the future is refused by the model).
EARLIEST_ISSUE_DATE = datetime.date(1990, 1, 1)


def issued_on_check(issued_on: datetime.date | None) -> None:
    """ValidationError for a date of issue before EARLIEST_ISSUE_DATE (a typing slip such as 0001-01-01)."""
    if issued_on is not None and issued_on < EARLIEST_ISSUE_DATE:
        raise ValidationError(
            _("The date of issue cannot be before %(date)s.")
            % {"date": formats.date_format(EARLIEST_ISSUE_DATE, "SHORT_DATE_FORMAT")},
            code="issued_too_early",
        )


@transaction.atomic
def external_certificate_submit(
    *,
    person: Person,
    kind: str,
    title: str,
    issuer: str,
    issued_on: datetime.date,
    upload,
    number: str = "",
    qualification: str = "certificate",
    competency_codes: list[str] | tuple[str, ...] = (),
) -> ExternalCertificate:
    """Store a submission. The file is checked by its content (UploadRefused); fields by full_clean."""
    try:
        issued_on_check(issued_on)
    except ValidationError as refusal:
        raise ValidationError({"issued_on": refusal}) from None
    checked = upload_check(upload)
    codes = sorted({code.strip().upper() for code in competency_codes if code.strip()})
    known = set(Competency.objects.filter(code__in=codes, is_active=True).values_list("code", flat=True))
    if set(codes) - known:
        raise ValidationError({"competency_codes": _("Unknown competency: %(codes)s.") % {
            "codes": ", ".join(sorted(set(codes) - known))}})
    external = ExternalCertificate(
        person=person,
        kind=kind,
        title=title.strip(),
        number=number.strip(),
        issuer=issuer.strip(),
        issued_on=issued_on,
        qualification=qualification,
        competency_codes=codes,
        content_type=checked.content_type,
    )
    external.full_clean(exclude=["file"])
    external.file.save(f"upload.{checked.extension}", upload, save=False)
    try:
        external.save()
    except Exception:
        external.file.storage.delete(external.file.name)  # nothing half-written
        raise
    return external


def _reviewable(external: ExternalCertificate, reviewer) -> ExternalCertificate:
    if getattr(getattr(reviewer, "person", None), "pk", None) == external.person_id:
        raise ReviewNotAllowed()
    if not people_managed_by(reviewer).filter(pk=external.person_id).exists():
        raise ReviewNotAllowed()
    locked = ExternalCertificate.objects.select_for_update().get(pk=external.pk)
    if locked.state != ExternalState.SUBMITTED:
        raise AlreadyReviewed()
    return locked


@transaction.atomic
def external_certificate_verify(*, external: ExternalCertificate, verified_by) -> ExternalCertificate:
    """Accept the certificate: each competency it shows is recorded (source: verified external certificate,
    evidence: this submission) and the person's IT qualification raised to what it proves."""
    external = _reviewable(external, verified_by)
    external.state = ExternalState.VERIFIED
    external.reviewed_by = verified_by
    external.reviewed_at = timezone.now()
    external.full_clean()
    external.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    for code in external.competency_codes:
        competency_record(
            person=external.person,
            competency_code=code,
            source=RecordSource.EXTERNAL_CERTIFICATE,
            achieved_on=external.issued_on,
            evidence_ref=f"external:{external.pk}",
            recorded_by=verified_by,
            note=f"{external.title} {external.number}".strip(),
        )
    qualification = external.qualification if external.kind == ExternalKind.IT_DEGREE else "certificate"
    person_qualification_raise(person=external.person, qualification=qualification)
    return external


@transaction.atomic
def external_certificate_reject(*, external: ExternalCertificate, rejected_by, reason: str) -> ExternalCertificate:
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise RejectionReasonRequired()
    external = _reviewable(external, rejected_by)
    external.state = ExternalState.REJECTED
    external.reviewed_by = rejected_by
    external.reviewed_at = timezone.now()
    external.review_reason = reason
    external.full_clean()
    external.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_reason"])
    return external
