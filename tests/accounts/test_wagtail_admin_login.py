"""The Wagtail admin logs in through allauth only, and privileged roles need their second factor there too."""

from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.roles import Role
from tests.accounts.flows import is_logged_in, post_login, post_totp
from tests.factories import TEST_PASSWORD
from tests.helpers import give_totp, totp_code

ADMIN = "/cms-admin/"


def curriculum_manager(make_person, unit):
    user = make_person(unit=unit, roles=[Role.CURRICULUM_MANAGER]).user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_anonymous_admin_visitors_are_sent_to_allauths_login(client, db):
    response = client.get(ADMIN)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/cms-admin/"


def test_wagtails_own_login_form_is_not_reachable(client, make_person, unit_a):
    manager = curriculum_manager(make_person, unit_a)

    shown = client.get("/cms-admin/login/?next=/cms-admin/pages/")
    posted = client.post("/cms-admin/login/", {"username": manager.username, "password": TEST_PASSWORD})

    assert shown["Location"] == f"{reverse('account_login')}?next=/cms-admin/pages/"
    assert posted.status_code == 302 and posted["Location"] == reverse("account_login")
    assert not is_logged_in(client, manager)


def test_wagtails_password_reset_is_switched_off(client, db):
    assert client.get("/cms-admin/password_reset/").status_code == 404


def test_admin_needs_totp_set_up(client, make_person, unit_a):
    manager = curriculum_manager(make_person, unit_a)
    post_login(client, manager.username)

    assert client.get(ADMIN)["Location"] == reverse("mfa_activate_totp")


def test_admin_opens_after_password_and_code(client, make_person, unit_a):
    manager = curriculum_manager(make_person, unit_a)
    secret = give_totp(manager)

    login = client.post(reverse("account_login"), {"login": manager.username, "password": TEST_PASSWORD, "next": ADMIN})
    assert login["Location"] == reverse("mfa_authenticate")
    assert post_totp(client, totp_code(secret))["Location"] == ADMIN

    assert client.get(ADMIN).status_code == 200
