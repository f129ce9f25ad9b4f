"""Checks of uploaded evidence by content, never by the name or the type the browser claims: a PDF starts
with `%PDF-`, an image is whatever Pillow can fully decode (JPEG, PNG or WebP)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .errors import UploadRefused

IMAGE_TYPES = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
# Decompression bombs: a scanned certificate never needs more pixels than this.
MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    extension: str


def upload_check(upload) -> CheckedUpload:
    """The real type of an uploaded certificate file, or UploadRefused with a message for the person."""
    limit = settings.EXTERNAL_CERTIFICATE_MAX_BYTES
    if upload is None or upload.size == 0:
        raise UploadRefused(_("Choose the file of the certificate (PDF or a photo)."))
    if upload.size > limit:
        raise UploadRefused(
            _("The file is too large: at most %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return CheckedUpload("application/pdf", "pdf")
    try:
        with Image.open(upload) as image:
            kind = image.format
            if image.width * image.height > MAX_PIXELS:
                raise UploadRefused(_("The image is too large: scan it at a lower resolution."))
            image.load()  # decode fully: a truncated or forged image fails here
    except Image.DecompressionBombError:  # refused by Pillow from the header (lms.settings: LMS_MAX_IMAGE_PIXELS)
        raise UploadRefused(_("The image is too large: scan it at a lower resolution.")) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise UploadRefused(
            _("The file is neither a PDF nor a JPEG, PNG or WebP image (or it is damaged).")
        ) from None
    finally:
        upload.seek(0)
    if kind not in IMAGE_TYPES:
        raise UploadRefused(_("The file is neither a PDF nor a JPEG, PNG or WebP image (or it is damaged)."))
    content_type, extension = IMAGE_TYPES[kind]
    return CheckedUpload(content_type, extension)
