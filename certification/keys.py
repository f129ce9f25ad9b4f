"""The province's Ed25519 signing key for Verifiable Credentials (the `cryptography` library).

The key comes from CERTIFICATE_SIGNING_KEY (a PEM private key, or base64 of the raw 32-byte seed or of a
PKCS#8 DER key). Without it, a key is generated on first use and kept in CERTIFICATE_SIGNING_KEY_FILE
(under var/, which git ignores), created exclusively with mode 600 so two processes never make two keys.
The public key is published as a JWK and as a did:key (Multikey, publicKeyMultibase).
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Multicodec prefix of an Ed25519 public key (0xed, varint-encoded) used by did:key and Multikey.
ED25519_MULTICODEC = b"\xed\x01"
BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def base58btc_encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, rest = divmod(number, 58)
        out.append(BASE58_ALPHABET[rest])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(out))


def base58btc_decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = BASE58_ALPHABET.find(char)
        if index < 0:
            raise ValueError("not base58btc")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + body


def multibase_encode(data: bytes) -> str:
    return "z" + base58btc_encode(data)


def multibase_decode(text: str) -> bytes:
    if not text.startswith("z"):
        raise ValueError("only base58btc multibase values are supported")
    return base58btc_decode(text[1:])


def _load(value: str) -> Ed25519PrivateKey:
    value = value.strip()
    if value.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(value.encode(), password=None)
    else:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as error:
            raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY is neither PEM nor base64.") from error
        key = Ed25519PrivateKey.from_private_bytes(raw) if len(raw) == 32 else serialization.load_der_private_key(
            raw, password=None
        )
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("CERTIFICATE_SIGNING_KEY must be an Ed25519 private key.")
    return key


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _load_or_create_file(path: Path) -> Ed25519PrivateKey:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: read theirs
        else:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(_pem(Ed25519PrivateKey.generate()))
    return _load(path.read_text())


_cache: dict[tuple[str, str], Ed25519PrivateKey] = {}


def signing_key() -> Ed25519PrivateKey:
    configured = getattr(settings, "CERTIFICATE_SIGNING_KEY", "") or ""
    path = str(getattr(settings, "CERTIFICATE_SIGNING_KEY_FILE", "") or "")
    cache_key = (configured, path)
    if cache_key not in _cache:
        if configured:
            _cache[cache_key] = _load(configured)
        elif path:
            _cache[cache_key] = _load_or_create_file(Path(path))
        else:
            raise ImproperlyConfigured("Set CERTIFICATE_SIGNING_KEY or CERTIFICATE_SIGNING_KEY_FILE.")
    return _cache[cache_key]


@dataclass(frozen=True)
class PublicKey:
    key: Ed25519PublicKey
    raw: bytes

    @property
    def multibase(self) -> str:
        return multibase_encode(ED25519_MULTICODEC + self.raw)

    @property
    def did(self) -> str:
        return f"did:key:{self.multibase}"

    @property
    def verification_method(self) -> str:
        return f"{self.did}#{self.multibase}"

    def jwk(self) -> dict:
        return {
            "kty": "OKP",
            "crv": "Ed25519",
            "x": base64.urlsafe_b64encode(self.raw).rstrip(b"=").decode(),
            "kid": self.verification_method,
            "use": "sig",
            "alg": "EdDSA",
        }

    def multikey(self) -> dict:
        return {
            "id": self.verification_method,
            "type": "Multikey",
            "controller": self.did,
            "publicKeyMultibase": self.multibase,
        }


def public_key() -> PublicKey:
    key = signing_key().public_key()
    return PublicKey(key, key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def public_key_for(verification_method: str) -> PublicKey | None:
    """The province's public key if the verification method names it (the keys this site signs with)."""
    current = public_key()
    return current if verification_method == current.verification_method else None


def published_keys() -> dict:
    """The document served at /.well-known/lms-certificate-keys.json."""
    current = public_key()
    return {
        "keys": [current.jwk()],
        "id": current.did,
        "verificationMethod": [current.multikey()],
        "assertionMethod": [current.verification_method],
    }
