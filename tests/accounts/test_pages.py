"""allauth's pages render in the site's layout, with labelled controls and errors tied to their fields."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.flows import post_login
from tests.factories import TEST_PASSWORD
from tests.helpers import give_totp

CONTROLS = "input:not([type=hidden]):not([type=submit]), select, textarea"


def page_of(response):
    assert response.status_code == 200, response.get("Location")
    return BeautifulSoup(response.content, "html.parser")


def assert_accessible(page):
    """Every control has a label; every control marked invalid points at the text that says why."""
    main = page.find("main")
    for form in main.find_all("form"):
        if form.select(CONTROLS):
            assert "card" in form.get("class", []), "allauth forms use the site's card style"
    for control in main.select(CONTROLS):
        assert control.get("id"), control
        assert page.find("label", attrs={"for": control["id"]}), f"no label for {control}"
    for control in main.select("[aria-invalid=true]"):
        owner = control if control.get("aria-describedby") else control.find_parent("fieldset")
        for described_by in owner["aria-describedby"].split():
            assert page.find(id=described_by), f"{control} points at missing #{described_by}"
        assert any("errorlist" in (page.find(id=i).get("class") or []) for i in owner["aria-describedby"].split())


def text_of(page) -> str:
    return " ".join(page.find("main").get_text(" ").split())


ANONYMOUS_PAGES = {
    "account_login": ["Sign In", "E-mail or employee code", "Password", "Forgot your password?"],
    "account_signup": [
        "Full name",
        "I am",
        "Commune or ward where you live",
        "Email",
        "Password (again)",
        "I have read the personal data protection notice",
    ],
    "account_reset_password": ["Password Reset", "Email"],
    "account_reset_password_done": ["We have sent you an email"],
    "account_email_verification_sent": ["Verify Your Email Address"],
}


@pytest.mark.parametrize("url_name", ANONYMOUS_PAGES)
def test_anonymous_pages(client, db, url_name):
    page = page_of(client.get(reverse(url_name)))

    text = text_of(page)
    for label in ANONYMOUS_PAGES[url_name]:
        assert label in text, label
    assert page.find("header", class_="site-header"), "rendered inside templates/base.html"
    if page.find("main").find("form"):
        assert_accessible(page)


def test_signup_errors_are_tied_to_their_fields(client, db):
    page = page_of(client.post(reverse("account_signup"), {"email": "not-an-address"}))

    assert_accessible(page)
    for name in ("full_name", "email", "password1", "consent"):
        control = page.find(attrs={"name": name})
        assert control["aria-invalid"] == "true", name
        assert f"id_{name}_error" in control["aria-describedby"].split(), name
    audience = page.find("fieldset")
    assert audience.find("legend") and "id_audience_error" in audience["aria-describedby"]


def test_login_error_is_announced(client, make_account):
    make_account(email="a@nghean.gov.vn")

    page = page_of(post_login(client, "a@nghean.gov.vn", "wrong-password-123"))

    assert page.find(attrs={"role": "alert"}).get_text(strip=True) == (
        "The email address and/or password you specified are not correct."
    )


MANAGE_PAGES = {
    "account_email": ["Email Address", "Change to"],
    "account_change_password": ["Change Password", "Current Password", "New Password"],
    "mfa_index": ["Two-Factor Authentication", "Authenticator App", "Recovery Codes"],
    "account_logout": ["Sign Out", "Are you sure you want to sign out?"],
}


@pytest.mark.parametrize("url_name", MANAGE_PAGES)
def test_account_management_pages(client, make_account, url_name):
    post_login(client, make_account(email="hoc.vien@nghean.gov.vn").email)

    page = page_of(client.get(reverse(url_name)))

    text = text_of(page)
    for label in MANAGE_PAGES[url_name]:
        assert label in text, label
    assert_accessible(page)


def test_totp_activation_page(client, make_account):
    post_login(client, make_account(email="can.bo@nghean.gov.vn", roles=[Role.UNIT_OFFICER]).email)
    client.post(f"{reverse('account_reauthenticate')}?next={reverse('mfa_activate_totp')}", {"password": TEST_PASSWORD})

    page = page_of(client.get(reverse("mfa_activate_totp")))

    text = text_of(page)
    assert "Activate Authenticator App" in text and "Authenticator secret" in text
    assert page.find("img", src=lambda src: src and src.startswith("data:image/svg+xml"))
    assert_accessible(page)


def test_totp_code_page_at_login(client, make_account):
    officer = make_account(email="can.bo@nghean.gov.vn", roles=[Role.UNIT_OFFICER])
    give_totp(officer)
    post_login(client, officer.email)

    page = page_of(client.get(reverse("mfa_authenticate")))

    assert "Two-Factor Authentication" in text_of(page) and page.find("label", attrs={"for": "id_code"})
    assert_accessible(page)


def test_pages_render_in_vietnamese_too(client, db, settings):
    settings.LANGUAGE_CODE = "vi"

    for url_name in ANONYMOUS_PAGES:
        response = client.get(reverse(url_name))
        assert response.status_code == 200 and '<html lang="vi">' in response.content.decode()
