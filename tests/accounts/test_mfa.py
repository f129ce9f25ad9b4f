"""TOTP second factor for privileged roles, through allauth's real views."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from accounts.adapters import MFAAdapter
from accounts.roles import Role
from tests.accounts.flows import NEW_PASSWORD, is_logged_in, post_login, post_totp, reset_password
from tests.helpers import give_totp, totp_code

PEOPLE = "/people/"


def verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_officer_without_totp_is_sent_to_set_it_up_and_cannot_see_people(client, officer_a):
    officer = verified(officer_a.user)

    assert post_login(client, officer.username)["Location"] == "/"  # password only: no TOTP yet

    response = client.get(PEOPLE)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert client.get(reverse("organisations:person_detail", args=[officer_a.pk]))["Location"] == reverse(
        "mfa_activate_totp"
    )


def test_officer_who_activates_totp_can_see_people(client, officer_a):
    officer = verified(officer_a.user)
    post_login(client, officer.username)
    # Straight after the password login, the forced enrolment does not ask for the password again.
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    secret = setup.context["form"].secret

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "123456" if totp_code(secret) != "123456" else "654321"})
    assert wrong.status_code == 200 and not Authenticator.objects.filter(user=officer).exists()
    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=officer, type=Authenticator.Type.TOTP).exists()
    assert client.get(PEOPLE).status_code == 200
    # allauth then shows the new recovery codes, also without a second password prompt.
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200


def test_officer_with_totp_must_pass_the_code_stage(client, officer_a):
    officer = verified(officer_a.user)
    secret = give_totp(officer)

    after_password = post_login(client, officer.username)
    assert after_password["Location"] == reverse("mfa_authenticate")
    assert not is_logged_in(client, officer)
    assert client.get(PEOPLE)["Location"].startswith(reverse("account_login"))

    wrong = post_totp(client, "000000" if totp_code(secret) != "000000" else "111111")
    assert "Incorrect code." in wrong.content.decode() and not is_logged_in(client, officer)

    right = post_totp(client, totp_code(secret))
    assert right.status_code == 302 and is_logged_in(client, officer)
    assert client.get(PEOPLE).status_code == 200


def test_learner_is_not_asked_for_a_code(client, make_person, unit_a):
    learner = verified(make_person(unit=unit_a, roles=[Role.LEARNER]).user)

    assert post_login(client, learner.username)["Location"] == "/"
    assert is_logged_in(client, learner)
    assert client.get(reverse("organisations:profile")).status_code == 200


def test_a_code_cannot_be_used_twice(client, officer_a):
    officer = verified(officer_a.user)
    secret = give_totp(officer)
    code = totp_code(secret, seconds_needed=5)
    post_login(client, officer.username)
    assert post_totp(client, code).status_code == 302
    client.post(reverse("account_logout"))

    post_login(client, officer.username)
    replay = post_totp(client, code)

    assert code == totp_code(secret, seconds_needed=0)  # still the current code: refused for reuse alone
    assert "Incorrect code." in replay.content.decode()
    assert not is_logged_in(client, officer)


def test_the_totp_secret_is_stored_encrypted(officer_a):
    secret = give_totp(officer_a.user)

    stored = Authenticator.objects.get(user=officer_a.user, type=Authenticator.Type.TOTP).data["secret"]

    assert secret not in stored
    assert MFAAdapter().decrypt(stored) == secret


def test_password_reset_does_not_skip_the_code(client, officer_a):
    officer = verified(officer_a.user)
    give_totp(officer)

    reset_password(client, officer.email, NEW_PASSWORD)
    assert not is_logged_in(client, officer)

    response = post_login(client, officer.username, NEW_PASSWORD)
    assert response["Location"] == reverse("mfa_authenticate")
    assert not is_logged_in(client, officer)
    assert any("password" in m.subject.lower() for m in mail.outbox)


def test_a_session_that_skipped_the_code_must_enter_it(client, officer_a):
    # However a session was opened (here Django's force_login), a privileged account with TOTP must
    # still show a code before using the site.
    officer = verified(officer_a.user)
    secret = give_totp(officer)
    client.force_login(officer)

    response = client.get(PEOPLE)
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fpeople%2F"

    entered = client.post(response["Location"], {"code": totp_code(secret)})
    assert entered["Location"] == PEOPLE
    assert client.get(PEOPLE).status_code == 200


def test_every_privileged_role_needs_totp(client, make_person, unit_a):
    for role in (Role.CURRICULUM_MANAGER, Role.FARMER_COORDINATOR, Role.HOME_AFFAIRS, Role.SITE_ADMIN):
        user = verified(make_person(unit=unit_a, roles=[role]).user)
        client.force_login(user)
        assert client.get(reverse("organisations:profile"))["Location"] == reverse("mfa_activate_totp"), role


def test_enrolment_long_after_login_asks_for_the_password_again(client, officer_a):
    import time as real_time
    from unittest import mock

    officer = verified(officer_a.user)
    post_login(client, officer.username)
    later = real_time.time() + 3600
    with mock.patch("time.time", return_value=later):
        confirm = client.get(reverse("mfa_activate_totp"))
    assert confirm["Location"].startswith(reverse("account_reauthenticate"))


def test_changing_an_existing_second_factor_asks_for_the_password(client, officer_a):
    officer = verified(officer_a.user)
    secret = give_totp(officer)
    post_login(client, officer.username)
    post_totp(client, totp_code(secret))
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_reauthenticate"))


def test_roles_are_read_with_the_user_and_a_new_role_needs_the_code_on_the_next_request(
    client, make_person, unit_a
):
    """The second-factor check reads the user's roles on every request: they come with the user's own row,
    no query of their own (issue 8, E1; accounts.authentication), and a change of roles, either way round,
    applies on the very next one."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.services import user_set_roles

    person = make_person(unit=unit_a, roles=[Role.LEARNER])
    client.force_login(person.user)
    profile = reverse("organisations:profile")
    assert client.get(profile).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(profile).status_code == 200
    from accounts.authentication import _compiled

    user_read = _compiled[connection.alias][0].split("%s")[0]
    assert [query["sql"].startswith(user_read) for query in queries.captured_queries if "auth_group" in query["sql"]] == [
        True
    ]

    user_set_roles(user=person.user, roles={Role.LEARNER, Role.UNIT_OFFICER})
    assert client.get(profile)["Location"] == reverse("mfa_activate_totp")
    user_set_roles(user=person.user, roles={Role.LEARNER})
    assert client.get(profile).status_code == 200
    Group.objects.get(name=Role.HOME_AFFAIRS).user_set.add(person.user)  # from the group's side
    assert client.get(profile)["Location"] == reverse("mfa_activate_totp")
    Group.objects.get(name=Role.HOME_AFFAIRS).user_set.clear()
    assert client.get(profile).status_code == 200
