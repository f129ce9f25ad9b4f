"""The public credential check refuses JSON it cannot read with the usual 400, never a server error: nesting
deep enough to exhaust the recursion limit, or a NUL character (PostgreSQL cannot compare text holding one)."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DEEP = b'{"slot":1,"response":' + b"[" * 3000 + b"]" * 3000 + b"}"
WITH_NUL = json.dumps({"id": "https://example.org/c/ab\x00cd", "proof": {"proofValue": "z1"}})


@pytest.mark.parametrize("body", [DEEP, WITH_NUL], ids=["deeply-nested", "nul"])
@pytest.mark.parametrize("content_type", ["application/json", "application/ld+json"])
def test_unreadable_json_posted_anonymously_is_the_usual_400(client, body, content_type):
    response = client.post(reverse("certification:verify_credential"), data=body, content_type=content_type)
    assert response.status_code == 400
    assert response.json() == {
        "status": "unknown", "message": "This credential was not issued by this site, or the certificate is unknown.",
    }


@pytest.mark.parametrize("body", [DEEP.decode(), WITH_NUL], ids=["deeply-nested", "nul"])
def test_unreadable_json_pasted_in_the_form_is_a_form_error(client, body):
    response = client.post(reverse("certification:verify_credential"), {"text": body})
    assert response.status_code == 400
    assert "This is not a JSON credential file." in response.content.decode()
