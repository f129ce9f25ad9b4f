"""No account enumeration: login, sign-up and password reset answer alike for known and unknown people.

Mails do go out, but only to the address typed, so only its owner learns anything.
"""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from organisations.models import Audience
from tests.accounts.flows import post_login

KNOWN = "co.that@nghean.gov.vn"
UNKNOWN = "khong.co@nghean.gov.vn"


def normalised(response, typed: str) -> str:
    """The page without what legitimately differs: the CSRF token and the text the visitor typed."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken"', html)
    return html.replace(typed, "TYPED")


def visitors():
    """Two browsers, so that one's session messages cannot show up on the other's page."""
    return Client(), Client()


def test_login_failure_is_the_same_for_known_and_unknown_email(client, make_account):
    make_account(email=KNOWN)

    known = post_login(client, KNOWN, "wrong-password-123")
    unknown = post_login(client, UNKNOWN, "wrong-password-123")

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors
    assert normalised(known, KNOWN) == normalised(unknown, UNKNOWN)


def test_login_failure_is_the_same_for_known_and_unknown_employee_code(client, make_account):
    make_account(username="NA-SNV-0001")

    known = post_login(client, "NA-SNV-0001", "wrong-password-123")
    unknown = post_login(client, "NA-SNV-9999", "wrong-password-123")

    assert normalised(known, "NA-SNV-0001") == normalised(unknown, "NA-SNV-9999")


def test_unknown_logins_lock_out_like_known_ones(client, make_account):
    make_account(email=KNOWN)
    for _ in range(5):
        post_login(client, KNOWN, "wrong-password-123")
        post_login(client, UNKNOWN, "wrong-password-123")

    known = post_login(client, KNOWN, "wrong-password-123")
    unknown = post_login(client, UNKNOWN, "wrong-password-123")

    assert "Too many failed login attempts" in known.content.decode()
    assert normalised(known, KNOWN) == normalised(unknown, UNKNOWN)


def signup(client, email, commune):
    return client.post(
        reverse("account_signup"),
        {
            "full_name": "Lê Văn Nông",
            "audience": Audience.FARMER,
            "commune": commune.pk,
            "email": email,
            "password1": "Lua-chiem-xuan-2026",
            "password2": "Lua-chiem-xuan-2026",
            "consent": "on",
        },
    )


def test_signup_with_a_taken_address_looks_like_a_fresh_signup(make_account, commune):
    owner = make_account(email=KNOWN)
    users_before = get_user_model().objects.count()
    first, second = visitors()

    taken = signup(first, KNOWN.upper(), commune)
    fresh = signup(second, UNKNOWN, commune)

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"] == reverse("account_email_verification_sent")
    assert normalised(first.get(taken["Location"]), KNOWN) == normalised(second.get(fresh["Location"]), UNKNOWN)
    # Only the fresh address got an account; the owner of the taken one is told, nobody else.
    assert get_user_model().objects.count() == users_before + 1
    assert not hasattr(get_user_model().objects.get(pk=owner.pk), "person")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([KNOWN, UNKNOWN])
    (to_owner,) = [m for m in mail.outbox if m.to == [KNOWN]]
    assert "already exists" in to_owner.body


def test_password_reset_answers_alike_and_mails_only_the_address_typed(make_account):
    make_account(email=KNOWN)
    url = reverse("account_reset_password")
    first, second = visitors()

    known = first.post(url, {"email": KNOWN})
    unknown = second.post(url, {"email": UNKNOWN})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_reset_password_done")
    assert normalised(first.get(known["Location"]), KNOWN) == normalised(second.get(unknown["Location"]), UNKNOWN)
    to_known, to_unknown = mail.outbox
    assert to_known.to == [KNOWN] and "/accounts/password/reset/key/" in to_known.body
    assert to_unknown.to == [UNKNOWN] and "/accounts/password/reset/key/" not in to_unknown.body
