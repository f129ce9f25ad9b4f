"""The "certificate ready" e-mail: sent to the holder once the PDF is stored, at most once however often the
issuing task runs; a failed send gives its claim back so the retry sends it; none for a revoked certificate."""

from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from certification.models import Certificate
from certification.services.mail import certificates_issued_mail_send, certificates_mail_claim
from certification.tasks import certificate_issue

pytestmark = pytest.mark.django_db


def test_issuing_mails_the_holder_once_with_the_links(learner, course, complete):
    enrolment = complete(learner, course)

    certificate_issue.delay(enrolment.pk)
    certificate_issue.delay(enrolment.pk)  # a redelivered task

    certificate = Certificate.objects.get()
    assert certificate.pdf and certificate.emailed_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [learner.user.email]
    assert course.title in message.subject
    assert certificate.serial in message.body and certificate.check_code in message.body
    assert f"/verify/{certificate.token}/" in message.body
    assert "/certificates/mine/" in message.body


def test_a_failed_send_gives_the_claim_back_and_the_retry_sends(learner, course, complete):
    enrolment = complete(learner, course)
    with mock.patch.object(EmailMessage, "send", side_effect=ConnectionRefusedError("mail server down")):
        with pytest.raises(ConnectionRefusedError):
            certificate_issue.apply(args=[enrolment.pk], throw=True, retries=6)  # the last try: no retry left
    certificate = Certificate.objects.get()
    assert certificate.pdf and certificate.emailed_at is None
    assert mail.outbox == []

    certificate_issue.delay(enrolment.pk)

    assert len(mail.outbox) == 1
    assert Certificate.objects.get().emailed_at is not None


def test_no_mail_for_a_revoked_certificate_or_a_holder_without_address(learner, course, complete):
    enrolment = complete(learner, course)
    type(learner.user).objects.filter(pk=learner.user.pk).update(email="")
    certificate_issue.delay(enrolment.pk)
    certificate = Certificate.objects.get()
    assert certificate.emailed_at is None and mail.outbox == []

    type(learner.user).objects.filter(pk=learner.user.pk).update(email="nhung@example.gov.vn")
    Certificate.objects.filter(pk=certificate.pk).update(state="revoked", revoked_at=certificate.issued_at)
    held = Certificate.objects.select_related("person__user").get(pk=certificate.pk)
    claimed = certificates_mail_claim(certificates=[held])
    assert claimed == set() and certificates_issued_mail_send(certificates=[held], claimed=claimed) == 0
    assert mail.outbox == []
