"""The "your certificate is ready" e-mail to the holder, sent by the issuing task once the PDF is stored.

Delivery is **at most once**, by design. Handing a message to the mail server cannot be part of a database
transaction, so the "sent" mark and the send are two steps and a crash between them loses one side:

* mark first, then send (what this module does): the mark (``Certificate.emailed_at``) is claimed and
  committed, then the message is sent. A worker killed after the send and before it acknowledged the task
  (acks_late: the broker redelivers it) finds the mark and sends nothing; a worker killed in the instant
  between the commit and the hand-over loses that one e-mail.
* send first, then mark (at least once): the same crash after the hand-over sends the e-mail twice, and
  so does every redelivery of a task killed after sending.

A lost notice costs little — the certificate is issued all the same, listed under "My certificates" and
verifiable — while duplicates look like several certificates to the holder; so the mark comes first. The
claim is one conditional UPDATE (``emailed_at IS NULL``): of concurrent runs only one gets the row. A send
that fails with an error (mail server down) gives the claim back and raises, so the task's retry sends it
(should the server have taken the message before the connection failed, that retry is the one duplicate).
Call it outside any transaction (the task does): inside one, the claim is not committed before the send.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from organisations.invitations import site_url

from ..choices import CertificateState
from ..models import Certificate

logger = logging.getLogger("lms.certification")


def _message(certificate: Certificate, to: str) -> EmailMessage:
    context = {
        "certificate": certificate,
        "mine_link": site_url(reverse("certification:my_certificates")),
        "verify_link": site_url(reverse("certification:verify_token", args=[certificate.token])),
        "site_name": settings.LMS_SITE_NAME,
    }
    with translation.override(settings.LANGUAGE_CODE):  # no request: the site's language
        subject = " ".join(render_to_string("certification/emails/certificate_issued_subject.txt", context).split())
        body = render_to_string("certification/emails/certificate_issued.txt", context)
    return EmailMessage(subject, body, None, [to])


def certificate_mail_claim(*, certificate: Certificate) -> bool:
    """Claim the holder's e-mail of this certificate: True if this run is the one to send it. The claim is
    committed with the transaction it runs in (autocommit: at once); send only after that commit
    (certificate_issued_mail_send(..., claimed=True)). The issuing task claims inside the transaction that
    stores the PDF, which saves a commit per certificate; the e-mail still goes only after both are committed."""
    if certificate.emailed_at is not None or certificate.state != CertificateState.VALID:
        return False
    user = certificate.person.user
    if not (user.is_active and user.email):
        return False
    # Conditional on the state too: the certificate passed in may have been revoked since it was read.
    claimed = Certificate.objects.filter(
        pk=certificate.pk, emailed_at__isnull=True, state=CertificateState.VALID
    ).update(emailed_at=timezone.now())
    return bool(claimed)  # 0: another run claimed it in the meantime


def certificate_issued_mail_send(
    *, certificate_id: int | None = None, certificate: Certificate | None = None, claimed: bool | None = None
) -> bool:
    """E-mail the holder that the certificate is ready, at most once (see the module). True if sent now;
    False if it was sent (or claimed) before, the certificate is revoked, or the holder has no address.
    The issuing task passes the certificate it holds (person and user loaded), which saves reading it again,
    and `claimed` when it has already claimed the e-mail (certificate_mail_claim, committed): True sends,
    False sends nothing; None (the default) claims here, in a commit of its own, before sending."""
    if certificate is None:
        certificate = (
            Certificate.objects.select_related("person__user")
            .filter(pk=certificate_id, emailed_at__isnull=True)
            .first()
        )
        if certificate is None:
            return False
    if claimed is None:
        claimed = certificate_mail_claim(certificate=certificate)
    if not claimed:
        return False
    try:
        _message(certificate, certificate.person.user.email).send()
    except Exception:
        Certificate.objects.filter(pk=certificate.pk).update(emailed_at=None)  # give the claim back: a retry sends
        logger.warning("certificate %s: the 'ready' e-mail could not be sent; the task retries", certificate.serial)
        raise
    return True
