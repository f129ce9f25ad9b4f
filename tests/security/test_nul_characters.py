"""A NUL character ("%00") in an address or its query string. PostgreSQL refuses NUL in any text, so a search
box, the access log of a list's filters or a slug lookup turned it into a 500 there (SQLite let it through):
such requests are refused with a 400 page, in Vietnamese, before any view runs."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from privacy.models import AccessLog

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "query"), [
    ("organisations:people_list", "q=a%00b"),  # a search
    ("organisations:people_list", "zzz=a%00b"),  # a parameter no page reads still reached the access log
    ("certification:manage", "q=%00"),
    ("privacy:queue", "status=open%00"),
])
def test_a_nul_in_the_query_string_is_a_400_in_vietnamese(make_person, unit_a, mfa_client, name, query):
    client = mfa_client(make_person(unit=unit_a, roles=[Role.UNIT_OFFICER]).user)
    client.cookies["django_language"] = "vi"
    response = client.get(f"{reverse(name)}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Yêu cầu không hợp lệ" in html and "(NUL)" in html
    assert not AccessLog.objects.exists()  # no view ran


def test_a_nul_in_the_path_is_a_400_and_the_same_page_without_it_answers(client):
    assert client.get("/khoa-hoc/%00/").status_code == 400
    assert client.get("/khoa-hoc/?q=tin%20h%E1%BB%8Dc").status_code in (200, 404)  # "%E1" is not a NUL


def test_a_refused_host_header_gets_the_400_page_not_a_server_error():
    response = Client(HTTP_HOST="evil.example.com", raise_request_exception=False).get("/")
    assert response.status_code == 400 and 'class="button" href="/"' in response.content.decode()
