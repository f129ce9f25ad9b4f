"""The video lesson block takes an uploaded MP4 or WebM file and WebVTT captions: the document allow-list
admits them, and each is checked by its first bytes like the other document types (cms.documents)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from cms.documents import content_matches_extension

WEBM = (Path(__file__).resolve().parents[1] / "browser" / "fixtures" / "two-seconds.webm").read_bytes()
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 32


def test_video_and_caption_types_are_allowed_documents():
    assert {"mp4", "webm", "vtt"} <= set(settings.WAGTAILDOCS_EXTENSIONS)


@pytest.mark.parametrize(
    ("name", "content", "matches"),
    [
        ("bai-giang.webm", WEBM, True),
        ("bai-giang.mp4", MP4, True),
        ("phu-de.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nXin chào\n".encode(), True),
        ("phu-de.vtt", "\ufeffWEBVTT\n".encode(), True),
        ("bai-giang.webm", b"<html><script>alert(1)</script>", False),
        ("bai-giang.mp4", b"<svg onload=alert(1)>" + b" " * 32, False),
        ("phu-de.vtt", b"<script>alert(1)</script>", False),
    ],
)
def test_a_video_or_captions_file_must_be_what_its_extension_says(name, content, matches):
    assert content_matches_extension(SimpleUploadedFile(name, content)) is matches
