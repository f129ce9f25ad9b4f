"""Wagtail's own vi catalogues cover only a fraction of its admin: locale/wagtail/vi (the project's) covers it all."""

import gettext
import re
from pathlib import Path

import pytest
import wagtail
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from tests.po_files import po_entries

WAGTAIL_DIR = Path(wagtail.__file__).parent
# The Wagtail apps in INSTALLED_APPS whose strings the project translates ("." is core: wagtail/locale).
WAGTAIL_APPS = "admin . images documents snippets users sites embeds search contrib/redirects".split()
VI_PO = settings.BASE_DIR / "locale" / "wagtail" / "vi" / "LC_MESSAGES" / "django.po"
VI_MO = VI_PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|</?[a-zA-Z][^>]*>")


def _english_entries():
    """(app, msgctxt, msgid, msgid_plural) of every entry in the installed Wagtail's English catalogues."""
    for app in WAGTAIL_APPS:
        english = WAGTAIL_DIR / app / "locale" / "en" / "LC_MESSAGES" / "django.po"
        for msgctxt, msgid, msgid_plural in po_entries(english):
            yield app, msgctxt, msgid, msgid_plural


def test_the_wagtail_catalogue_is_on_locale_paths_after_the_projects_own():
    paths = [Path(p) for p in settings.LOCALE_PATHS]
    assert settings.BASE_DIR / "locale" / "wagtail" in paths
    assert paths.index(settings.BASE_DIR / "locale") < paths.index(settings.BASE_DIR / "locale" / "wagtail")


def test_every_string_of_the_installed_wagtail_apps_has_a_vietnamese_translation_keeping_its_placeholders():
    with VI_MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.info()["language"] == "vi"
    entries = list(_english_entries())
    assert len(entries) > 1500
    missing, broken = [], []
    for app, msgctxt, msgid, msgid_plural in entries:
        key = f"{msgctxt}\x04{msgid}" if msgctxt else msgid
        translated = catalogue._catalog.get((key, 0) if msgid_plural else key)
        if not translated:
            missing.append(f"{app}: {msgid}")
            continue
        # With one plural form, msgstr[0] serves every count: it follows msgid_plural.
        source = msgid_plural or msgid
        if sorted(PLACEHOLDER.findall(translated)) != sorted(PLACEHOLDER.findall(source)):
            broken.append(f"{app}: {msgid}")
    assert not missing, f"untranslated Wagtail strings (a Wagtail upgrade added strings?): {missing}"
    assert not broken, f"placeholders changed: {broken}"


def test_the_catalogue_uses_the_projects_spellings():
    text = VI_PO.read_text(encoding="utf-8")
    for old_spelling in ("khoá", "huỷ", "xoá", "Khoá", "Huỷ", "Xoá"):
        assert old_spelling not in text


def test_wagtail_strings_come_out_in_vietnamese():
    # Called under other names so that makemessages does not copy Wagtail's msgids into the project catalogue.
    lookup, lookup_plural = translation.gettext, translation.ngettext
    with translation.override("vi"):
        assert lookup("Or choose from your computer") == "Hoặc chọn từ máy tính của bạn"
        assert lookup("Save draft") == "Lưu bản nháp"
        assert lookup("Unpublish") == "Hủy xuất bản"
        assert lookup_plural("Delete 1 page", "Delete %(counter)s pages", 3) % {"counter": 3} == "Xóa 3 trang"


@pytest.mark.django_db
def test_the_image_upload_page_of_the_admin_is_in_vietnamese(make_person, unit_a, mfa_client):
    trainer = make_person(unit=unit_a, roles=[Role.TRAINER]).user
    page = mfa_client(trainer).get(reverse("wagtailimages:add_multiple")).content.decode()
    assert "Hoặc chọn từ máy tính của bạn" in page
    assert "Kéo và thả hình ảnh vào vùng này để tải lên ngay." in page
    for english in ("Or choose from your computer", "Drag and drop images into this area"):
        assert english not in page


@pytest.mark.django_db
def test_the_document_upload_page_of_the_admin_is_in_vietnamese(make_person, unit_a, mfa_client):
    trainer = make_person(unit=unit_a, roles=[Role.TRAINER]).user
    page = mfa_client(trainer).get(reverse("wagtaildocs:add_multiple")).content.decode()
    assert "Kéo và thả tài liệu vào vùng này để tải lên ngay." in page
    assert "Drag and drop documents into this area" not in page
