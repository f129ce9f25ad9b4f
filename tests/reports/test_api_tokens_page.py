"""The API token page: a reader of statistics lists, creates (shown once) and revokes (after confirming)
their own tokens; anyone else's token is 404, and roles without statistics have no page."""

from django.urls import reverse

from reports.models import ApiToken
from reports.tokens import api_token_create, token_hash

from .conftest import YEAR

BASE = "/api/statistics/v1"
Q1 = {"period": "quarter", "year": YEAR, "number": 1}


def test_create_shows_the_token_once_and_it_works(world, mfa_client, client):
    browser = mfa_client(world.home_affairs_user)
    response = browser.post(reverse("reports:api_tokens"), {"name": "Cổng dữ liệu tỉnh"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    raw = response.context["raw"]
    html = response.content.decode()
    assert raw.startswith("lms_") and raw in html and "shown only this once" in html
    token = ApiToken.objects.get(user=world.home_affairs_user)
    assert token.key_hash == token_hash(raw) and token.name == "Cổng dữ liệu tỉnh"
    listing = browser.get(reverse("reports:api_tokens")).content.decode()
    assert "Cổng dữ liệu tỉnh" in listing and token.prefix in listing and raw not in listing
    api = client.get(f"{BASE}/statistics", Q1, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.status_code == 200
    empty = browser.post(reverse("reports:api_tokens"), {"name": " "})
    assert empty.context["raw"] is None and empty.context["form"].errors
    assert ApiToken.objects.count() == 1


def test_revoke_asks_first_then_the_api_refuses_the_token(world, mfa_client, client):
    token, raw = api_token_create(user=world.home_affairs_user, name="Tạm thời")
    browser = mfa_client(world.home_affairs_user)
    url = reverse("reports:api_token_revoke", args=[token.pk])
    confirm = browser.get(url)
    assert confirm.status_code == 200 and "Revoke this token?" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # asking is not revoking
    assert browser.post(url).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(f"{BASE}/statistics", Q1, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert "Revoked on" in browser.get(reverse("reports:api_tokens")).content.decode()


def test_other_peoples_tokens_are_404_and_learners_have_no_page(world, mfa_client, client):
    theirs, raw = api_token_create(user=world.home_affairs_user, name="Của Sở Nội vụ")
    officer = mfa_client(world.officer_user)
    listing = officer.get(reverse("reports:api_tokens"))
    assert listing.status_code == 200 and "Của Sở Nội vụ" not in listing.content.decode()
    url = reverse("reports:api_token_revoke", args=[theirs.pk])
    assert officer.get(url).status_code == 404
    assert officer.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    client.logout()
    client.force_login(world.people["an"].user)
    assert client.get(reverse("reports:api_tokens")).status_code == 404
    assert client.post(reverse("reports:api_tokens"), {"name": "x"}).status_code == 404
    assert not ApiToken.objects.filter(user=world.people["an"].user).exists()
