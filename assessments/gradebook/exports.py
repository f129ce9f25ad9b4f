"""Large gradebook exports run in Celery and land in a private folder, named by a signed token that
binds the file to the user who asked for it (MEDIA_ROOT is not served by the web server; the file
goes out through the download view, which checks the token's user)."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core import signing

SALT = "assessments.gradebook.export"
# Exports of more enrolments than this are built by a Celery task instead of in the request.
SYNC_EXPORT_LIMIT = 2000
# How long a finished export can be downloaded through its link.
MAX_AGE_SECONDS = 24 * 3600


def sync_export_limit() -> int:
    return getattr(settings, "GRADEBOOK_SYNC_EXPORT_LIMIT", SYNC_EXPORT_LIMIT)


def export_token(*, user_id: int, course_id: int) -> str:
    return signing.dumps({"u": user_id, "c": course_id, "n": secrets.token_hex(16)}, salt=SALT)


def export_token_read(token: str, *, user_id: int) -> dict | None:
    """The token's payload if it is genuine, recent and the user's; None otherwise."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    return payload if payload.get("u") == user_id else None


def export_path(token: str) -> Path:
    name = hashlib.sha256(token.encode()).hexdigest()
    return Path(settings.MEDIA_ROOT) / "gradebook_exports" / f"{name}.xlsx"


def export_write(token: str, data: bytes) -> None:
    """Write atomically: the download view sees either no file or the whole file."""
    path = export_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".part")
    partial.write_bytes(data)
    os.replace(partial, path)
