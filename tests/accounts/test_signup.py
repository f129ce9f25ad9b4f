"""Self-registration of farmers and residents: profile, learner role, explicit consent, verified e-mail."""

import re
from datetime import timedelta

from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import ConsentRecord
from accounts.roles import Role, has_role
from accounts.services import PRIVACY_NOTICE_VERSION
from organisations.models import Audience, Person, UnitKind
from tests.accounts.flows import is_logged_in, post_login
from tests.factories import make_unit

EMAIL = "le.van.nong@gmail.com"
PASSWORD = "Lua-chiem-xuan-2026"


def signup_data(commune, **overrides):
    data = {
        "full_name": "Lê Văn Nông",
        "audience": Audience.FARMER,
        "commune": commune.pk,
        "phone": "0912 345 678",
        "email": EMAIL,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "consent": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_signup_without_consent_fails_with_the_reason(client, commune):
    response = client.post(reverse("account_signup"), signup_data(commune, consent=None))

    assert response.status_code == 200
    assert "You must give your consent to register." in response.content.decode()
    assert not get_user_model().objects.filter(email=EMAIL).exists()
    assert not ConsentRecord.objects.exists()


def test_signup_creates_the_person_learner_role_and_dated_consent(client, commune):
    before = timezone.now()

    response = client.post(reverse("account_signup"), signup_data(commune))

    assert response.status_code == 302 and response["Location"] == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(email=EMAIL)
    person = Person.objects.get(user=user)
    assert (person.full_name, person.commune, person.unit, person.audience, person.phone) == (
        "Lê Văn Nông",
        commune,
        None,
        Audience.FARMER,
        "0912 345 678",
    )
    assert user.username.startswith("_r")  # a generated handle, never an employee code
    assert has_role(user, Role.LEARNER) and not has_role(user, Role.UNIT_OFFICER)
    consent = ConsentRecord.objects.get(user=user)
    assert consent.notice_version == PRIVACY_NOTICE_VERSION
    assert before <= consent.given_at <= timezone.now() + timedelta(seconds=1)


def test_consent_box_is_never_ticked_and_sits_with_the_notice_link(client, commune):
    for response in (
        client.get(reverse("account_signup")),
        client.post(reverse("account_signup"), signup_data(commune, consent=None, full_name="")),
    ):
        page = BeautifulSoup(response.content, "html.parser")
        box = page.find("input", attrs={"name": "consent"})
        assert box["type"] == "checkbox" and not box.has_attr("checked")
        field = box.find_parent(class_="field")
        assert field.find("a", href=reverse("privacy_notice"))
        assert page.find("label", attrs={"for": box["id"]})


def test_the_address_must_be_verified_before_the_first_login(client, commune):
    client.post(reverse("account_signup"), signup_data(commune))
    user = get_user_model().objects.get(email=EMAIL)

    refused = post_login(client, EMAIL, PASSWORD)
    assert refused["Location"] == reverse("account_email_verification_sent")
    assert not is_logged_in(client, user)

    (confirmation, *_) = [m for m in mail.outbox if m.to == [EMAIL]]
    confirm_path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", confirmation.body).group(1)
    assert client.post(confirm_path).status_code == 302

    accepted = post_login(client, EMAIL, PASSWORD)
    assert accepted["Location"] == "/"
    assert is_logged_in(client, user)


def test_only_open_communes_are_offered(client, commune, province):
    merged = make_unit("Xã Cũ (đã sáp nhập)", parent=province, kind=UnitKind.COMMUNE, code="17001")
    merged.valid_to = timezone.localdate()
    merged.save()
    department = make_unit("Sở Tài chính", parent=province, code="NA-STC")

    response = client.post(reverse("account_signup"), signup_data(merged))

    assert "Select a valid choice" in response.content.decode()
    options = BeautifulSoup(client.get(reverse("account_signup")).content, "html.parser").select("#id_commune option")
    offered = {option["value"] for option in options if option["value"]}
    assert offered == {str(commune.pk)} and str(department.pk) not in offered


def test_odd_input_is_refused_with_why_and_nothing_is_created(client, commune):
    """An address past 254 characters was cut to 254 when saved (the confirmation went to another address); a
    name of zero-width spaces printed as a blank; "........" passed as a phone number."""
    long_email = "a" * 250 + "@example.com"
    cases = [
        ({"email": long_email}, "An e-mail address has at most 254 characters."),
        ({"full_name": "\u200b\u200b"}, "Enter some letters or digits: this text shows nothing."),
        ({"phone": "........"}, "Enter a valid phone number."),
        ({"phone": "+--------"}, "Enter a valid phone number."),
    ]
    for overrides, why in cases:
        response = client.post(reverse("account_signup"), signup_data(commune, **overrides))
        assert response.status_code == 200 and why in response.content.decode(), overrides
    assert not get_user_model().objects.exists() and not Person.objects.exists()
