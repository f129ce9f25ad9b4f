"""An external certificate's date of issue is neither in the future nor before EARLIEST_ISSUE_DATE (1990-01-01):
a typing slip such as 0001-01-01 is refused with a message, by the form and by the service."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.models import ExternalCertificate
from certification.services import external
from certification.services.external import external_certificate_submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EARLIEST_ISSUE_DATE = datetime.date(1990, 1, 1)
TOO_EARLY = "The date of issue cannot be before 01/01/1990."


def post(client, issued_on: str):
    return client.post(reverse("certification:external_mine"), {
        "kind": "it_skills", "title": "Chứng chỉ ứng dụng CNTT cơ bản", "number": "A-1", "issuer": "Trung tâm",
        "issued_on": issued_on, "competency_codes": ["IU01"],
        "file": SimpleUploadedFile("x.pdf", PDF, "application/pdf"),
    })


@pytest.mark.parametrize("issued_on", ["0001-01-01", "1900-01-01", "1989-12-31"])
def test_the_form_refuses_a_date_of_issue_before_1990(client, learner, issued_on):
    client.force_login(learner.user)
    response = post(client, issued_on)
    assert response.status_code == 200
    assert response.context["form"].errors["issued_on"] == [TOO_EARLY]
    assert TOO_EARLY in response.content.decode()
    assert not ExternalCertificate.objects.exists()


def test_the_first_day_allowed_is_accepted(client, learner):
    assert external.EARLIEST_ISSUE_DATE == EARLIEST_ISSUE_DATE
    client.force_login(learner.user)
    assert post(client, "1990-01-01").status_code == 302
    assert ExternalCertificate.objects.get().issued_on == EARLIEST_ISSUE_DATE


def test_the_service_refuses_it_too(learner):
    with pytest.raises(ValidationError) as refusal:
        external_certificate_submit(
            person=learner, kind="it_skills", title="Chứng chỉ", number="A-1", issuer="Trung tâm",
            issued_on=datetime.date(1, 1, 1), upload=SimpleUploadedFile("x.pdf", PDF, "application/pdf"),
        )
    assert refusal.value.message_dict == {"issued_on": [TOO_EARLY]}
    assert not ExternalCertificate.objects.exists()
