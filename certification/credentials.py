"""Open Badges 3.0 / W3C Verifiable Credentials of certificates, signed with a DataIntegrityProof of the
`eddsa-jcs-2022` cryptosuite: JCS (RFC 8785) canonical JSON, SHA-256, Ed25519 (certification.keys).

The credential is built from the certificate when asked for (signing is deterministic), so it always
carries the certificate's current wording; verification needs only the file and the published key, and
this site adds the certificate's state (valid, revoked, reissued under a corrected name).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.urls import reverse

from lms.jsonbody import JSONBodyInvalid, json_body_parse

from .choices import CertificateState
from .keys import multibase_decode, multibase_encode, public_key, public_key_for, signing_key
from .models import Certificate, Competency
from .pdf import public_base_url, verification_url

CONTEXT = ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
CRYPTOSUITE = "eddsa-jcs-2022"


class CanonicalisationError(ValueError):
    pass


# --- JCS (RFC 8785) for the JSON this app emits: objects, arrays, strings, integers, booleans, null ---


def _string(text: str) -> str:
    out = ['"']
    for char in text:
        code = ord(char)
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif code < 0x20:
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}.get(char, f"\\u{code:04x}"))
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def _canonical(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ",".join(_canonical(item) for item in value) + "]"
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise CanonicalisationError("object keys must be strings")
        # RFC 8785 orders keys by their UTF-16 code units.
        keys = sorted(value, key=lambda key: key.encode("utf-16-be"))
        return "{" + ",".join(_string(key) + ":" + _canonical(value[key]) for key in keys) + "}"
    raise CanonicalisationError(f"{type(value).__name__} values are not emitted (no floats)")


def jcs(value) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of a JSON value (floats refused: this app emits none)."""
    return _canonical(value).encode("utf-8")


# --- Building and signing ------------------------------------------------------------------------------


def _timestamp(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _hours_text(certificate: Certificate) -> str:
    return f"{certificate.hours.normalize():f}".replace(".", ",")


def _issuer_name() -> str:
    from organisations.selectors import province_root

    root = province_root()
    return root.name if root is not None else settings.LMS_SITE_NAME


def credential_unsigned(certificate: Certificate) -> dict:
    key = public_key()
    base = public_base_url()
    codes = list(certificate.course.competency_codes or [])
    competencies = {c.code: c for c in Competency.objects.filter(code__in=codes)}
    alignment = [
        {
            "type": ["Alignment"],
            "targetCode": code,
            "targetName": competencies[code].name_vi,
            "targetFramework": "Chuẩn kỹ năng sử dụng CNTT (Thông tư 03/2014/TT-BTTTT) và khung năng lực của tỉnh",
            "targetUrl": f"urn:x-lms:competency:{code}",
        }
        for code in codes
        if code in competencies
    ]
    hours = _hours_text(certificate)
    return {
        "@context": list(CONTEXT),
        "id": verification_url(certificate),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": certificate.course_title,
        "issuer": {"id": key.did, "type": ["Profile"], "name": _issuer_name(), "url": base + "/"},
        "validFrom": _timestamp(certificate.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False,
                 "identityHash": certificate.holder_name},
            ],
            "achievement": {
                "id": f"urn:x-lms:course:{certificate.course.code or certificate.course_id}",
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": certificate.course_title,
                "description": f"Hoàn thành khoá học “{certificate.course_title}”, thời lượng {hours} giờ.",
                "criteria": {"narrative": f"Hoàn thành toàn bộ khoá học ({hours} giờ)."},
                "humanCode": certificate.serial,
                "alignment": alignment,
            },
        },
    }


def _hash_data(document: dict, proof_config: dict) -> bytes:
    return hashlib.sha256(jcs(proof_config)).digest() + hashlib.sha256(jcs(document)).digest()


def credential_for(certificate: Certificate, *, created: datetime.datetime | None = None) -> dict:
    """The signed credential of a certificate (eddsa-jcs-2022). `created` defaults to the issue time, so
    the same certificate always gives the same document."""
    document = credential_unsigned(certificate)
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": _timestamp(created or certificate.issued_at),
        "verificationMethod": public_key().verification_method,
        "proofPurpose": "assertionMethod",
        "@context": document["@context"],
    }
    signature = signing_key().sign(_hash_data(document, proof))
    del proof["@context"]
    proof["proofValue"] = multibase_encode(signature)
    return {**document, "proof": proof}


def credential_json(certificate: Certificate) -> bytes:
    return json.dumps(credential_for(certificate), ensure_ascii=False, indent=2).encode("utf-8")


# --- Verification --------------------------------------------------------------------------------------


class Status:
    VALID = "valid"
    TAMPERED = "tampered"
    REVOKED = "revoked"
    UNKNOWN = "unknown"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class VerificationResult:
    status: str
    certificate: Certificate | None = None

    @property
    def ok(self) -> bool:
        return self.status == Status.VALID


def _signature_ok(credential: dict) -> bool | None:
    """True or False for a proof by this site's key; None when the proof names a key this site does not
    have (or is not an eddsa-jcs-2022 proof at all)."""
    proof = credential.get("proof")
    if not isinstance(proof, dict) or proof.get("type") != "DataIntegrityProof" or proof.get(
        "cryptosuite"
    ) != CRYPTOSUITE:
        return None
    key = public_key_for(str(proof.get("verificationMethod", "")))
    if key is None:
        return None
    document = {name: value for name, value in credential.items() if name != "proof"}
    config = {name: value for name, value in proof.items() if name != "proofValue"}
    config["@context"] = document.get("@context")
    try:
        signature = multibase_decode(str(proof.get("proofValue", "")))
        key.key.verify(signature, _hash_data(document, config))
    except (InvalidSignature, ValueError, CanonicalisationError):
        return False
    return True


def credential_verify(credential) -> VerificationResult:
    """Check a credential: signed by this site and unchanged, then the certificate's state here."""
    if not isinstance(credential, dict) or "proof" not in credential:
        return VerificationResult(Status.UNKNOWN)
    signed = _signature_ok(credential)
    if signed is None:
        return VerificationResult(Status.UNKNOWN)
    if not signed:
        return VerificationResult(Status.TAMPERED)
    token = str(credential.get("id", "")).rstrip("/").rsplit("/", 1)[-1]
    certificate = Certificate.objects.filter(token=token).first() if token else None
    if certificate is None:
        return VerificationResult(Status.UNKNOWN)
    if certificate.state == CertificateState.REVOKED:
        return VerificationResult(Status.REVOKED, certificate)
    subject = credential.get("credentialSubject") or {}
    names = [item.get("identityHash") for item in subject.get("identifier", []) if isinstance(item, dict)]
    if certificate.holder_name not in names:
        return VerificationResult(Status.SUPERSEDED, certificate)  # reissued under a corrected name
    return VerificationResult(Status.VALID, certificate)


def credential_parse(data: bytes | str):
    """The JSON of an uploaded or pasted credential, or None when it is not JSON we can read (too deeply
    nested, or holding a NUL character, included)."""
    try:
        return json_body_parse(data)
    except JSONBodyInvalid:
        return None


def well_known_url() -> str:
    return public_base_url() + reverse("certification:credential_keys")


