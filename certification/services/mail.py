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
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection
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


def certificates_mail_claim(*, certificates: Iterable[Certificate]) -> set[int]:
    """Claim the holders' e-mails of these certificates: the ids of those this run is the one to send. The
    claim is committed with the transaction it runs in (autocommit: at once); send only after that commit
    (certificates_issued_mail_send). The issuing task claims inside the transaction that stores the PDFs,
    which saves a commit; the e-mails still go only after both are committed.

    One statement whatever their number: an UPDATE conditional on the mark being empty and the certificate
    valid (it may have been revoked since it was read), which returns the rows it changed. Of concurrent runs
    only one changes a row."""
    candidates = [
        certificate.pk
        for certificate in certificates
        if certificate.emailed_at is None
        and certificate.state == CertificateState.VALID
        and certificate.person.user.is_active
        and certificate.person.user.email
    ]
    if not candidates:
        return set()
    table, pk, emailed_at, state = map(
        connection.ops.quote_name, (Certificate._meta.db_table, "id", "emailed_at", "state")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {emailed_at} = %s WHERE {pk} IN ({', '.join(['%s'] * len(candidates))})"
            f" AND {emailed_at} IS NULL AND {state} = %s RETURNING {pk}",
            [connection.ops.adapt_datetimefield_value(timezone.now()), *candidates, CertificateState.VALID],
        )
        return {row[0] for row in cursor.fetchall()}


def certificates_issued_mail_send(*, certificates: Iterable[Certificate], claimed: set[int]) -> int:
    """E-mail the holders of the certificates whose e-mail this run has claimed (committed), over one
    connection to the mail server; returns how many were sent. A send that fails gives back the claims of
    that certificate and of those not sent yet, and raises, so the task's retry sends them."""
    to_send = [certificate for certificate in certificates if certificate.pk in claimed]
    if not to_send:
        return 0
    with get_connection() as mail_connection:
        for index, certificate in enumerate(to_send):
            try:
                message = _message(certificate, certificate.person.user.email)
                message.connection = mail_connection
                message.send()
            except Exception:
                unsent = [other.pk for other in to_send[index:]]
                Certificate.objects.filter(pk__in=unsent).update(emailed_at=None)  # give the claims back
                logger.warning(
                    "certificate %s: the 'ready' e-mail could not be sent (%d left unsent); the task retries",
                    certificate.serial, len(unsent),
                )
                raise
    return len(to_send)
