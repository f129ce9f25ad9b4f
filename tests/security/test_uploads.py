"""Uploads and downloads (issue 10, "Uploads").

Every upload path of the project × hostile files: an oversized body (refused from its Content-Length
before a byte is read), a file above the form's own cap, the wrong content behind the right extension, a
pixel bomb (a tiny PNG declaring a huge image), an SVG carrying a script, hostile file names. Each is
refused with a message (a form error, 400 or 413, never 500) and leaves nothing behind: no row, no
file under MEDIA_ROOT. Then every URL that sends an uploaded or generated file: an attachment (or, for
a checked photo, inline), the name RFC 6266 / 5987 encoded, and X-Content-Type-Options: nosniff.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import content_disposition_header
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from assessments.models import Question, QuestionCategory
from certification.models import ExternalCertificate
from h5p.models import H5PContent, H5PPackage
from organisations.models import RosterImport
from tests.h5p.conftest import build_zip
from tests.helpers import login_with_totp

from .conftest import ANON, OFFICER_A, OWNER

MB = 1024 * 1024


# --- Hostile files --------------------------------------------------------------------------------------


def png(width: int = 2, height: int = 2) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 30, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def pixel_bomb(width: int = 10_000, height: int = 8_000) -> bytes:
    """A few hundred bytes declaring width × height pixels: a 2×2 PNG whose IHDR is rewritten (CRC fixed).

    80 million pixels by default: above LMS_MAX_IMAGE_PIXELS (50 M) but below the hard refusal of an
    unconfigured Pillow (2 × 89 M) and Wagtail's default limit (128 M)."""
    data = bytearray(png())
    assert data[12:16] == b"IHDR"
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF)
    return bytes(data)


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
# Quotes, a CR/LF that would start a header of its own, Vietnamese letters, a path.
HOSTILE_NAMES = ('Bài "giảng"\r\nX-Injected: 1', "../../etc/Chứng chỉ; filename=evil", "tệp\x00nul")


@dataclass
class UploadPath:
    """One upload form: where it is, who may use it, the file field and the other fields it needs."""

    name: str
    url: Callable[[object], str]
    role: str  # a role of the security world, or "author" (the trainer who owns the world's content)
    field: str
    extension: str  # what a legitimate file of this path is called
    data: Callable[[object], dict] = lambda world: {}
    # The setting holding the form's own cap (None: a module constant, tested through the body cap).
    cap_setting: str | None = None
    ajax: bool = False  # Wagtail's multiple uploader answers JSON


def _category(world) -> QuestionCategory:
    return QuestionCategory.objects.get(name="An toàn thông tin")


UPLOADS = [
    UploadPath("credential check (public)", lambda w: reverse("certification:verify_credential"), ANON, "file",
               "json"),
    UploadPath(
        "external certificate", lambda w: reverse("certification:external_mine"), OWNER, "file", "pdf",
        data=lambda w: {"kind": "it_skills", "title": "Chứng chỉ ứng dụng CNTT cơ bản", "number": "A-1",
                        "issuer": "Trung tâm", "issued_on": "2024-05-10"},
        cap_setting="EXTERNAL_CERTIFICATE_MAX_BYTES",
    ),
    UploadPath("roster", lambda w: reverse("organisations:roster_upload"), OFFICER_A, "file", "xlsx",
               cap_setting="ROSTER_IMPORT_MAX_BYTES"),
    UploadPath(
        "question import", lambda w: reverse("assessment_questions:import"), "author", "file", "xlsx",
        data=lambda w: {"category": _category(w).pk, "file_format": ""}, cap_setting="QUESTION_IMPORT_MAX_BYTES",
    ),
    UploadPath(
        "H5P package", lambda w: reverse("h5p_contents:add"), "author", "package", "h5p",
        data=lambda w: {"title": "", "pass_percent": 100, "grading_method": "highest"},
        cap_setting="H5P_MAX_UPLOAD_BYTES",
    ),
    UploadPath("Wagtail image", lambda w: reverse("wagtailimages:add_multiple"), "author", "files[]", "png",
               cap_setting="WAGTAILIMAGES_MAX_UPLOAD_SIZE", ajax=True),
    UploadPath("Wagtail document", lambda w: reverse("wagtaildocs:add_multiple"), "author", "files[]", "pdf",
               cap_setting="WAGTAILDOCS_MAX_UPLOAD_SIZE", ajax=True),
]
IDS = [path.name for path in UPLOADS]

# URL names that take a file and the entry above that covers them (a new upload view fails the last test).
MAPPED_UPLOAD_VIEWS = {
    "certification:verify_credential": "credential check (public)",
    "certification:external_mine": "external certificate",
    "organisations:roster_upload": "roster",
    "assessment_questions:import": "question import",
    "h5p_contents:add": "H5P package",
    "wagtailimages:add_multiple": "Wagtail image",
    "wagtaildocs:add_multiple": "Wagtail document",
    # The same fields, the same checks as the entries above (one form class each).
    "wagtailimages:add": "Wagtail image",
    "wagtaildocs:add": "Wagtail document",
    # Wagtail's redirect import (CSV/TSV/XLSX), site administrators only: the body cap and Wagtail's own
    # extension and parsing checks; no other role reaches it.
    "wagtailredirects:start_import": "body cap only (site administrators)",
    "wagtailredirects:process_import": "body cap only (site administrators)",
}


# --- Helpers --------------------------------------------------------------------------------------------


def client_for(world, role: str) -> Client:
    if role == "author":
        client = Client()
        client.cookies["django_language"] = "en"
        login_with_totp(client, world.objects.author)
        return client
    return world.client(role)


def stored_state() -> dict:
    """Everything an upload could leave behind: rows of each uploaded model and the files under MEDIA_ROOT."""
    media = Path(settings.MEDIA_ROOT)
    return {
        "files": sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file()),
        "external": ExternalCertificate.objects.count(),
        "roster": RosterImport.objects.count(),
        "questions": Question.objects.count(),
        "h5p": (H5PContent.objects.count(), H5PPackage.objects.count()),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
    }


def post_file(world, path: UploadPath, name: str, content: bytes):
    client = client_for(world, path.role)
    data = {**path.data(world), path.field: SimpleUploadedFile(name, content)}
    return client.post(path.url(world), data, headers={"x-requested-with": "XMLHttpRequest"} if path.ajax else {})


def assert_refused(path: UploadPath, response, *, expect: str | None = None) -> str:
    """Refused with a message for the person: a form error (200 or 400) or a JSON error, never a 5xx/redirect."""
    assert response.status_code in (200, 400), response.status_code
    if path.ajax:
        body = response.json()
        assert body["success"] is False, body
        message = body.get("error_message", "")
    else:
        message = response.content.decode()
    assert message
    if expect:
        assert expect in message, message[:2000]
    return message


class ExplodingStream:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


# --- Uploads --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", UPLOADS, ids=IDS)
def test_a_body_above_the_cap_is_refused_before_it_is_read(world, path):
    before = stored_state()
    client = client_for(world, path.role)
    response = client.post(
        path.url(world), data=b"x" * 100, content_type="multipart/form-data; boundary=BoUnDaRy",
        CONTENT_LENGTH=str(settings.H5P_MAX_UPLOAD_BYTES + 2 * MB), **{"wsgi.input": ExplodingStream()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "File too large" in page and "Nothing was saved" in page
    assert stored_state() == before


def test_the_h5p_page_alone_takes_a_body_as_large_as_a_package(world):
    """The 413 of the other pages is not the H5P page's: there the form's own cap answers."""
    from lms.request_limits import body_limit

    assert body_limit(reverse("h5p_contents:add")) > settings.H5P_MAX_UPLOAD_BYTES
    for path in UPLOADS:
        if path.name != "H5P package":
            assert body_limit(path.url(world)) == settings.REQUEST_BODY_MAX_BYTES < settings.H5P_MAX_UPLOAD_BYTES


@pytest.mark.parametrize("path", [p for p in UPLOADS if p.cap_setting], ids=[p.name for p in UPLOADS if p.cap_setting])
def test_a_file_above_the_forms_own_cap_is_refused(world, path, settings):
    setattr(settings, path.cap_setting, 1000)
    content = {"pdf": PDF, "png": png(), "h5p": b"PK\x03\x04", "xlsx": b"PK\x03\x04"}[path.extension]
    before = stored_state()
    response = post_file(world, path, f"tep-lon.{path.extension}", content + b"\x00" * 2000)
    message = assert_refused(path, response)
    assert any(word in message for word in ("too large", "too big", "larger than", "the limit is")), message[:2000]
    assert stored_state() == before


def test_a_credential_above_its_cap_is_refused(world):
    path = UPLOADS[0]
    before = stored_state()
    response = post_file(world, path, "c.json", b'{"a": "' + b"x" * (256 * 1024) + b'"}')
    assert_refused(path, response, expect="A credential file is at most 256 KB.")
    assert stored_state() == before


HOSTILE = {
    "html behind the extension": lambda ext: (f"tep.{ext}", HTML),
    "svg with a script": lambda ext: ("hinh.svg", SVG),
    "svg renamed to the extension": lambda ext: (f"hinh.{ext}", SVG),
    "pixel bomb renamed to the extension": lambda ext: (f"bom.{ext}", pixel_bomb()),
    "a zip that is not the type": lambda ext: (f"nen.{ext}", build_zip({"readme.txt": b"hello"})),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
@pytest.mark.parametrize("path", UPLOADS, ids=IDS)
def test_hostile_files_are_refused_and_leave_nothing(world, path, kind):
    name, content = HOSTILE[kind](path.extension)
    before = stored_state()
    assert_refused(path, post_file(world, path, name, content))
    assert stored_state() == before


IMAGE_PATHS = [p for p in UPLOADS if p.name in ("external certificate", "Wagtail image")]


@pytest.mark.parametrize("path", IMAGE_PATHS, ids=[p.name for p in IMAGE_PATHS])
def test_a_pixel_bomb_is_refused_for_its_pixels_before_decoding(world, path, monkeypatch):
    """Named .png: the image checks themselves must refuse it, from the header (decoding is never tried)."""
    from PIL import ImageFile

    decoded = []
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self, *a: decoded.append(self.size))
    before = stored_state()
    message = assert_refused(path, post_file(world, path, "bom.png", pixel_bomb()))
    assert "pixels" in message or "too large" in message, message[:2000]
    assert decoded == []
    assert stored_state() == before


def test_pillow_refuses_any_image_far_above_the_limit_when_opened():
    """Process-wide: any other reader (an avatar, a rendition, a script) gets Pillow's refusal."""
    assert PILImage.MAX_IMAGE_PIXELS * 2 == settings.LMS_MAX_IMAGE_PIXELS == settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS
    with pytest.raises(PILImage.DecompressionBombError):
        PILImage.open(io.BytesIO(pixel_bomb()))


def test_an_avatar_pixel_bomb_is_refused_by_pillows_limit(world):
    """Wagtail's avatar (account settings, any admin user) is a plain Django ImageField: Pillow's limit guards it."""
    from wagtail.admin.forms.account import AvatarPreferencesForm
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(world.objects.author)
    form = AvatarPreferencesForm(
        data={}, files={"avatar": SimpleUploadedFile("bom.png", pixel_bomb())}, instance=profile
    )
    assert not form.is_valid() and "avatar" in form.errors


def test_svg_is_never_an_image_or_a_document_type():
    assert "svg" not in settings.WAGTAILIMAGES_EXTENSIONS
    assert not {"svg", "html", "htm", "xml", "js"} & set(settings.WAGTAILDOCS_EXTENSIONS)
    assert settings.WAGTAILDOCS_INLINE_CONTENT_TYPES == []


VALID = {
    "external certificate": PDF,
    "Wagtail image": png(),
    "Wagtail document": PDF,
}


@pytest.mark.parametrize("hostile_name", HOSTILE_NAMES)
@pytest.mark.parametrize("path", [p for p in UPLOADS if p.name in VALID], ids=list(VALID))
def test_hostile_file_names_are_stored_and_sent_safely(world, path, hostile_name):
    """A good file under a hostile name: refused or stored under a clean name, and its download header is safe."""
    response = post_file(world, path, f"{hostile_name}.{path.extension}", VALID[path.name])
    assert response.status_code < 500
    stored = [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    for file in stored:
        assert not set('"\r\n\x00;') & set(file.name), file
        assert ".." not in file.relative_to(settings.MEDIA_ROOT).parts
    if path.name == "Wagtail document" and get_document_model().objects.exists():
        document = get_document_model().objects.get()
        download = Client().get(document.url)
        assert_safe_disposition(download["Content-Disposition"], attachment=True)


# --- Downloads ------------------------------------------------------------------------------------------


def assert_safe_disposition(value: str, *, attachment: bool) -> None:
    assert value.startswith("attachment;" if attachment else "inline;"), value
    assert "\r" not in value and "\n" not in value
    # filename="..." holds no stray quote; anything outside ASCII goes in filename*=utf-8''<percent-encoded>.
    if 'filename="' in value:
        inner = value.split('filename="', 1)[1].rsplit('"', 1)[0]
        assert '"' not in inner.replace('\\"', "")
    assert value.isascii()


def test_the_header_helper_encodes_quotes_crlf_and_vietnamese():
    for name in HOSTILE_NAMES + ("Báo cáo quý 1.xlsx",):
        assert_safe_disposition(content_disposition_header(True, name), attachment=True)


def _ready_snapshot(world):
    from reports.models import SnapshotState

    snapshot = world.objects.snapshot
    snapshot.file.save("bao-cao.xlsx", ContentFile(b"PK\x03\x04 workbook"), save=False)
    snapshot.state = SnapshotState.READY
    snapshot.save()
    return snapshot.pk


def _finished_job(world):
    job = world.objects.job
    job.file.save("chung-chi.zip", ContentFile(b"PK\x05\x06" + b"\x00" * 18), save=False)
    job.save()
    return job.pk


def _document(world):
    document = get_document_model().objects.create(
        title="Bài giảng", file=ContentFile(PDF, name="Bài giảng “An toàn” số 1.pdf"),
    )
    return document.url


def _photo_external(world):
    external = world.objects.external
    external.file.save("anh.png", ContentFile(png()), save=False)
    external.content_type = "image/png"
    external.save()
    return reverse("certification:external_file", args=[external.pk])


# (what, URL builder, role, attachment?)
DOWNLOADS = [
    ("certificate PDF", lambda w: reverse("certification:certificate_pdf", args=[w.objects.certificate.pk]), OWNER,
     True),
    ("certificate credential", lambda w: reverse("certification:certificate_credential",
                                                 args=[w.objects.certificate.pk]), OWNER, True),
    ("external certificate PDF", lambda w: reverse("certification:external_file", args=[w.objects.external.pk]),
     OWNER, True),
    # A photo decoded in full by Pillow on upload, sent with a sandbox CSP: viewing it in the browser is the point.
    ("external certificate photo", _photo_external, OWNER, False),
    ("certificates ZIP", lambda w: reverse("certification:job_download", args=[_finished_job(w)]), OFFICER_A, True),
    ("competency matrix", lambda w: reverse("certification:matrix_xlsx"), OFFICER_A, True),
    ("gradebook export", lambda w: reverse("assessments:gradebook:export", args=[w.objects.course.pk]), OFFICER_A,
     True),
    ("report snapshot", lambda w: reverse("reports:report_download", args=[_ready_snapshot(w)]), OFFICER_A, True),
    ("roster template", lambda w: reverse("organisations:roster_template"), OFFICER_A, True),
    ("question template", lambda w: reverse("assessment_questions:import_template"), "author", True),
    ("question export", lambda w: reverse("assessment_questions:export") + f"?category={_category(w).pk}", "author",
     True),
    ("Wagtail document", _document, ANON, True),
]


@pytest.mark.parametrize(("what", "url", "role", "attachment"), DOWNLOADS, ids=[row[0] for row in DOWNLOADS])
def test_downloads_are_attachments_with_a_safe_name_and_nosniff(world, what, url, role, attachment):
    response = client_for(world, role).get(url(world))
    assert response.status_code == 200, what
    assert_safe_disposition(response["Content-Disposition"], attachment=attachment)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "html" not in response["Content-Type"] and "svg" not in response["Content-Type"]


def test_a_vietnamese_document_name_is_sent_rfc_5987_encoded(world):
    response = Client().get(_document(world))
    disposition = response["Content-Disposition"]
    assert "filename*=UTF-8''B%C3%A0i" in disposition or "filename*=utf-8''B%C3%A0i" in disposition
    assert response["Content-Security-Policy"] == "default-src 'none'"


# --- The table is complete ------------------------------------------------------------------------------


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


def _has_file_field(callback) -> bool:
    """The view's form_class, or a form of its module named in the view function's source, has a FileField.
    (Wagtail's generic views build their forms at run time: their entries are listed by hand.)"""
    import inspect

    from django import forms

    def takes_files(form) -> bool:
        return isinstance(form, type) and issubclass(form, forms.BaseForm) and any(
            isinstance(f, forms.FileField) for f in form.base_fields.values()
        )

    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return takes_files(getattr(view_class, "form_class", None))
    function = inspect.unwrap(callback)
    module = inspect.getmodule(function)
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    return any(takes_files(obj) and f"{name}(" in source for name, obj in vars(module).items())


def test_every_view_with_a_file_field_is_in_the_table():
    """A new upload form (a view whose form class, or a form in its own module, has a FileField) must be
    added to UPLOADS above, or to MAPPED_UPLOAD_VIEWS with the entry that covers it."""
    unmapped = sorted(
        name for name, callback in _url_names()
        if name not in MAPPED_UPLOAD_VIEWS and _has_file_field(callback)
    )
    assert not unmapped, unmapped
