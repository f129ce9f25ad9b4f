"""The Wagtail document form (WAGTAILDOCS_DOCUMENT_FORM_BASE): a document's content must match its extension.

WAGTAILDOCS_EXTENSIONS allows the name and WAGTAILDOCS_MAX_UPLOAD_SIZE the size (both checked by Wagtail
before this); here the first bytes must be those of the named type, so an HTML page or an SVG renamed
`.pdf` is refused. Documents are served as attachments anyway (WAGTAILDOCS_INLINE_CONTENT_TYPES = []).
"""

from __future__ import annotations

import os

from django import forms
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm

ZIP = (b"PK\x03\x04",)
OLE2 = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # Office 97-2003 (.doc, .xls, .ppt)
MAGIC = {
    "pdf": (b"%PDF-",),
    "docx": ZIP, "xlsx": ZIP, "pptx": ZIP, "odt": ZIP, "ods": ZIP, "odp": ZIP,
    "zip": ZIP + (b"PK\x05\x06",),  # an empty archive is only its end record
    "doc": OLE2, "xls": OLE2, "ppt": OLE2,
    # The video lesson block's files (cms.blocks.VideoBlock): WebM is an EBML document, MP4 an ISO media
    # file whose first box is "ftyp" (after its 4-byte size), WebVTT captions text opening with "WEBVTT".
    "webm": (b"\x1a\x45\xdf\xa3",),
    "vtt": (b"WEBVTT", b"\xef\xbb\xbfWEBVTT"),
}
OFFSET_MAGIC = {"mp4": (4, b"ftyp")}
TEXT = {"txt", "csv"}
TEXT_SAMPLE = 64 * 1024


def extension_of(upload) -> str:
    return os.path.splitext(upload.name or "")[1].lower().lstrip(".")


def content_matches_extension(upload) -> bool:
    extension = extension_of(upload)
    upload.seek(0)
    head = upload.read(TEXT_SAMPLE if extension in TEXT else 16)
    upload.seek(0)
    if extension in TEXT:
        # Plain UTF-8 text: no NUL byte and no markup a browser would take for a page.
        try:
            text = head.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            if error.start < len(head) - 3:  # not just a character cut at the sample's end
                return False
            text = head[: error.start].decode("utf-8-sig")
        return "\x00" not in text and not text.lstrip().startswith("<")
    if extension in OFFSET_MAGIC:
        offset, magic = OFFSET_MAGIC[extension]
        return head[offset:offset + len(magic)] == magic
    return head.startswith(MAGIC.get(extension, ()))


class DocumentForm(BaseDocumentForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or "file" not in self.changed_data:
            return upload
        extension = extension_of(upload)
        # An extension outside WAGTAILDOCS_EXTENSIONS is refused by the model's own check, in its words.
        if (extension in MAGIC or extension in OFFSET_MAGIC or extension in TEXT) and not content_matches_extension(upload):
            raise forms.ValidationError(
                _("The file's content does not match its extension (.%(extension)s): upload the original file.")
                % {"extension": extension}
            )
        return upload
