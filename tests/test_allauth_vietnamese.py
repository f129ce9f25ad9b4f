"""django-allauth ships no Vietnamese: the project's own catalogue (locale/allauth/vi) must cover its pages."""

import gettext
import re
from pathlib import Path

import allauth
import pytest
from django.conf import settings

from tests.po_files import po_entries

ALLAUTH_EN_PO = Path(allauth.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"
VI_MO = settings.BASE_DIR / "locale" / "allauth" / "vi" / "LC_MESSAGES" / "django.mo"


def _main(page):
    return page[page.index("<main") : page.index("</main>")]


def _text(fragment):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def _heading(page):
    return _text(re.search(r"<h1[^>]*>(.*?)</h1>", _main(page), re.S).group(1))


def _submit_button(page):
    return _text(re.search(r'<button[^>]*type="submit"[^>]*>(.*?)</button>', _main(page), re.S).group(1))


@pytest.mark.django_db
def test_login_page_uses_allauths_strings_in_vietnamese(client):
    page = client.get("/accounts/login/").content.decode()
    assert _heading(page) == "Đăng nhập"
    assert _submit_button(page) == "Đăng nhập"
    assert "Quên mật khẩu?" in page
    assert "Mật khẩu:" in page
    assert "Nếu bạn chưa có tài khoản, vui lòng" in page
    for english in ("Sign In", "Forgot your password?", "If you have not created an account yet", "Password:"):
        assert english not in page


@pytest.mark.django_db
def test_signup_page_uses_allauths_strings_in_vietnamese(client):
    page = client.get("/accounts/signup/").content.decode()
    assert _heading(page) == "Đăng ký"
    assert _submit_button(page) == "Đăng ký"
    assert "Bạn đã có tài khoản? Vui lòng" in page
    assert "Mật khẩu (nhập lại)" in page
    assert 'placeholder="Địa chỉ email"' in page
    for english in ("Sign Up", "Sign In", "Already have an account?", "Password (again)", "Email address"):
        assert english not in page


@pytest.mark.django_db
def test_password_reset_page_uses_allauths_strings_in_vietnamese(client):
    page = client.get("/accounts/password/reset/").content.decode()
    assert _heading(page) == "Đặt lại mật khẩu"
    assert _submit_button(page) == "Đặt lại mật khẩu"
    assert "Bạn quên mật khẩu? Vui lòng nhập địa chỉ email" in page
    assert "Vui lòng liên hệ với chúng tôi nếu bạn gặp khó khăn khi đặt lại mật khẩu." in page
    for english in ("Password Reset", "Reset My Password", "Forgotten your password?", "Please contact us"):
        assert english not in page


def _allauth_msgids():
    """(msgctxt, msgid, msgid_plural) of every live entry in allauth's English template catalogue."""
    return po_entries(ALLAUTH_EN_PO)


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")


def test_every_allauth_string_has_a_vietnamese_translation_keeping_its_placeholders():
    with VI_MO.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.info()["language"] == "vi"
    msgids = _allauth_msgids()
    assert len(msgids) > 300
    # msgfmt leaves untranslated entries out of the .mo; context entries are keyed "context\x04msgid",
    # plural ones (msgid, 0). Some translations are rightly the English word ("Email", "WebAuthn").
    missing, broken = [], []
    for msgctxt, msgid, msgid_plural in msgids:
        key = f"{msgctxt}\x04{msgid}" if msgctxt else msgid
        translated = catalogue._catalog.get((key, 0) if msgid_plural else key)
        if not translated:
            missing.append(msgid)
        elif sorted(PLACEHOLDER.findall(translated)) != sorted(PLACEHOLDER.findall(msgid)):
            broken.append(msgid)
    assert not missing, f"untranslated allauth strings: {missing}"
    assert not broken, f"placeholders changed: {broken}"


def test_the_second_factor_code_is_not_the_code_blocks_code():
    """The project's code block label ("Mã lệnh", a command) overrode allauth's "Code" on the 2FA page."""
    from django.utils import translation

    code = "Code"  # a variable: makemessages must not take the test's own call for one of the project's msgids
    with translation.override("vi"):
        assert translation.gettext(code) == "Mã"
        assert translation.pgettext("code sample", code) == "Mã lệnh"
