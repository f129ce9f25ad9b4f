"""Lock-out: failed logins are limited per account (whichever identifier is typed) and per IP address.

The counters live in the Django cache (Redis in production), so every worker sees the same ones.
"""

from datetime import timedelta

from django.utils import timezone
from freezegun import freeze_time

from tests.accounts.flows import is_logged_in, post_login, post_totp
from tests.helpers import give_totp, totp_code

LOCKED = "Too many failed login attempts. Try again later."
PER_ACCOUNT_LIMIT = 5  # ACCOUNT_RATE_LIMITS["login_failed"]: 5/15m/key
PER_IP_LIMIT = 30  # ACCOUNT_RATE_LIMITS["login_failed"]: 30/10m/ip


def fail(client, login, times, **extra):
    for _ in range(times):
        response = post_login(client, login, "wrong-password-123", **extra)
        assert response.status_code == 200


def test_after_repeated_failures_even_the_right_password_is_refused(client, make_account):
    victim = make_account(email="nan.nhan@nghean.gov.vn")
    fail(client, victim.email, PER_ACCOUNT_LIMIT)

    response = post_login(client, victim.email)

    assert not is_logged_in(client, victim)
    assert LOCKED in response.content.decode()


def test_another_account_on_the_same_address_still_logs_in(client, make_account):
    victim = make_account(email="nan.nhan@nghean.gov.vn")
    colleague = make_account(email="dong.nghiep@nghean.gov.vn")
    fail(client, victim.email, PER_ACCOUNT_LIMIT)

    response = post_login(client, colleague.email)

    assert response.status_code == 302
    assert is_logged_in(client, colleague)


def test_email_and_employee_code_share_one_counter(client, make_account):
    victim = make_account(username="NA-SYT-0007", email="bac.si@nghean.gov.vn")
    fail(client, victim.email, 3)
    fail(client, "na-syt-0007", PER_ACCOUNT_LIMIT - 3)

    by_code = post_login(client, victim.username)
    by_email = post_login(client, victim.email.upper())

    assert LOCKED in by_code.content.decode() and LOCKED in by_email.content.decode()
    assert not is_logged_in(client, victim)


def test_the_lock_lifts_after_fifteen_minutes(client, make_account):
    victim = make_account(email="nan.nhan@nghean.gov.vn")
    start = timezone.now()
    with freeze_time(start):
        fail(client, victim.email, PER_ACCOUNT_LIMIT)
        assert LOCKED in post_login(client, victim.email).content.decode()
    with freeze_time(start + timedelta(minutes=16)):
        response = post_login(client, victim.email)

    assert response.status_code == 302 and is_logged_in(client, victim)


def test_one_address_spraying_many_accounts_is_stopped_there_only(client, make_account):
    target = make_account(email="muc.tieu@nghean.gov.vn")
    for n in range(PER_IP_LIMIT):
        fail(client, f"khong-ton-tai-{n}@example.vn", 1, REMOTE_ADDR="203.0.113.9")

    from_attacker = post_login(client, target.email, REMOTE_ADDR="203.0.113.9")
    assert LOCKED in from_attacker.content.decode() and not is_logged_in(client, target)

    from_elsewhere = post_login(client, target.email, REMOTE_ADDR="198.51.100.20")
    assert from_elsewhere.status_code == 302 and is_logged_in(client, target)


def test_wrong_totp_codes_lock_the_second_step_too(client, make_account):
    officer = make_account(email="can.bo@nghean.gov.vn")
    secret = give_totp(officer)
    post_login(client, officer.email)
    for _ in range(PER_ACCOUNT_LIMIT):
        assert "Incorrect code." in post_totp(client, "000000").content.decode()

    response = post_totp(client, totp_code(secret))

    assert LOCKED in response.content.decode()
    assert not is_logged_in(client, officer)
