"""Verifiable Credentials: an Open Badges 3.0 credential signed eddsa-jcs-2022 with the province's Ed25519
key verifies; changing one character fails; a revoked certificate says revoked; the published key; the
command's exit codes; the public endpoint."""

import base64
import copy
import hashlib
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.management import call_command
from django.urls import reverse

from certification.credentials import credential_for, credential_verify, jcs
from certification.keys import multibase_decode
from certification.services import certificate_revoke

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(learner, course, issue):
    return issue(learner, course)


def test_jcs_sorts_keys_without_whitespace_and_refuses_floats():
    assert jcs({"b": [1, True, None], "a": "Nguyễn \"A\"\n", "A": {}}) == (
        '{"A":{},"a":"Nguyễn \\"A\\"\\n","b":[1,true,null]}'.encode()
    )
    with pytest.raises(ValueError):
        jcs({"hours": 1.5})


def test_the_credential_is_an_open_badge_signed_with_the_published_key(client, certificate):
    credential = credential_for(certificate)

    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = credential["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Nguyễn Thị Hồng Nhung"
    achievement = subject["achievement"]
    assert achievement["name"] == certificate.course_title
    assert [a["targetCode"] for a in achievement["alignment"]] == ["IU01", "IU14"]
    assert achievement["humanCode"] == certificate.serial
    proof = credential["proof"]
    assert (proof["type"], proof["cryptosuite"]) == ("DataIntegrityProof", "eddsa-jcs-2022")
    assert credential["issuer"]["id"] == proof["verificationMethod"].split("#")[0]

    # Verify independently: hash(JCS(proof config)) + hash(JCS(document)), Ed25519, key from the JWK.
    keys = client.get("/.well-known/lms-certificate-keys.json").json()
    jwk = keys["keys"][0]
    assert (jwk["kty"], jwk["crv"], jwk["kid"]) == ("OKP", "Ed25519", proof["verificationMethod"])
    raw = base64.urlsafe_b64decode(jwk["x"] + "==")
    assert multibase_decode(keys["verificationMethod"][0]["publicKeyMultibase"]) == b"\xed\x01" + raw
    document = {k: v for k, v in credential.items() if k != "proof"}
    config = {k: v for k, v in proof.items() if k != "proofValue"} | {"@context": credential["@context"]}
    data = hashlib.sha256(jcs(config)).digest() + hashlib.sha256(jcs(document)).digest()
    Ed25519PublicKey.from_public_bytes(raw).verify(multibase_decode(proof["proofValue"]), data)

    assert credential_verify(credential).status == "valid"


def test_flipping_one_character_fails(certificate):
    credential = credential_for(certificate)
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["identifier"][0]["identityHash"] = "Nguyễn Thị Hồng Nhunh"
    assert credential_verify(tampered).status == "tampered"

    text = json.dumps(credential, ensure_ascii=False)
    flipped = json.loads(text.replace(certificate.serial, certificate.serial[:-1] + "9", 1))
    assert credential_verify(flipped).status == "tampered"

    bad_signature = copy.deepcopy(credential)
    value = bad_signature["proof"]["proofValue"]
    bad_signature["proof"]["proofValue"] = value[:-1] + ("2" if value[-1] != "2" else "3")
    assert credential_verify(bad_signature).status == "tampered"


def test_a_revoked_certificate_says_revoked(certificate, officer_a):
    credential = credential_for(certificate)
    certificate_revoke(certificate=certificate, reason="Cấp nhầm", revoked_by=officer_a.user)
    assert credential_verify(credential).status == "revoked"


def test_another_key_or_garbage_is_unknown(certificate, settings):
    credential = credential_for(certificate)
    assert credential_verify({"hello": "world"}).status == "unknown"
    settings.CERTIFICATE_SIGNING_KEY = base64.b64encode(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
    ).decode()
    assert credential_verify(credential).status == "unknown"


def test_a_configured_pem_key_is_used(certificate, settings):
    key = Ed25519PrivateKey.generate()
    settings.CERTIFICATE_SIGNING_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    credential = credential_for(certificate)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert multibase_decode(credential["proof"]["verificationMethod"].split("#")[1]) == b"\xed\x01" + raw
    assert credential_verify(credential).status == "valid"


def test_the_default_key_is_generated_once_into_the_key_file(certificate, settings):
    from pathlib import Path

    first = credential_for(certificate)
    path = Path(settings.CERTIFICATE_SIGNING_KEY_FILE)
    assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    assert path.stat().st_mode & 0o077 == 0
    assert credential_for(certificate) == first


def test_the_command_exit_codes(certificate, officer_a, tmp_path, capsys):
    credential = credential_for(certificate)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(credential, ensure_ascii=False), encoding="utf-8")
    call_command("verify_credential", str(good))
    assert "valid" in capsys.readouterr().out

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(credential, ensure_ascii=False).replace("Nhung", "Nhunq"), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_credential", str(bad))
    assert exit_info.value.code == 1

    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_credential", str(tmp_path / "missing.json"))
    assert exit_info.value.code == 5

    certificate_revoke(certificate=certificate, reason="Cấp nhầm", revoked_by=officer_a.user)
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_credential", str(good))
    assert exit_info.value.code == 2
    assert "revoked" in capsys.readouterr().err


def test_the_holder_downloads_the_credential_and_others_get_404(client, certificate, learner, make_person, unit_b):
    client.force_login(learner.user)
    response = client.get(reverse("certification:certificate_credential", args=[certificate.pk]))
    assert response.status_code == 200
    assert credential_verify(json.loads(response.content)).status == "valid"

    client.force_login(make_person(unit=unit_b).user)
    assert client.get(reverse("certification:certificate_credential", args=[certificate.pk])).status_code == 404


def test_the_public_endpoint_checks_uploads_and_json(client, certificate, settings):
    credential = credential_for(certificate)
    url = reverse("certification:verify_credential")
    assert client.get(url).status_code == 200

    as_json = client.post(url, data=json.dumps(credential), content_type="application/json")
    assert as_json.json()["status"] == "valid"
    credential["validFrom"] = "2020-01-01T00:00:00Z"
    assert client.post(url, data=json.dumps(credential), content_type="application/json").json()["status"] == (
        "tampered"
    )

    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("c.json", json.dumps(credential_for(certificate)).encode(), "application/json")
    page = client.post(url, {"file": upload})
    assert "The credential is authentic and the certificate is valid." in page.content.decode()
    assert client.post(url, {"text": "not json"}).status_code == 400

    settings.CERTIFICATE_VERIFY_RATE_LIMIT = 0
    from django.core.cache import cache

    cache.clear()
    assert client.post(url, data="{}", content_type="application/json").status_code == 429
