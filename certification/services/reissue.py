"""Reissue on a name correction: the certificate keeps its serial, verification code and check code; the
name it prints changes, the PDF is rendered again and the event (old and new name) stays in its history.
Credentials are built from the certificate, so the next download carries the corrected name; a credential
with the old name then verifies as superseded."""

from __future__ import annotations

from django.db import transaction

from ..choices import CertificateEventKind, CertificateState
from ..errors import AlreadyRevoked, NothingToReissue, ReissueNotAllowed
from ..models import Certificate, CertificateEvent
from ..selectors import can_revoke
from . import certificates_render


def certificate_reissue(*, certificate: Certificate, holder_name: str, reissued_by, note: str = "") -> Certificate:
    """Correct the holder's name on a valid certificate (same authorities as revoking)."""
    holder_name = " ".join((holder_name or "").split())
    with transaction.atomic():
        if not can_revoke(reissued_by, certificate):
            raise ReissueNotAllowed()
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.state == CertificateState.REVOKED:
            raise AlreadyRevoked()
        if not holder_name or holder_name == certificate.holder_name:
            raise NothingToReissue()
        old_name = certificate.holder_name
        certificate.holder_name = holder_name
        certificate.full_clean(exclude=["pdf"], validate_constraints=False)
        certificate.save(update_fields=["holder_name"])
        CertificateEvent.objects.create(
            certificate=certificate,
            kind=CertificateEventKind.REISSUED,
            actor=reissued_by,
            note=(f"{old_name} → {holder_name}" + (f" ({note.strip()})" if note.strip() else ""))[:500],
        )
    certificates_render(certificates=[certificate])
    certificate.refresh_from_db()
    return certificate
