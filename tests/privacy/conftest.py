"""Fixtures of the personal-data workflow: people of two sibling units, their officers, Home Affairs and a
site administrator; the security suite's world for the data export (enrolment, attempt, certificate)."""

import pytest
from django.test import Client
from django.utils import translation

from accounts.roles import Role
from tests.cms.conftest import make_course, make_lesson, media_root  # noqa: F401 (fixtures of the world)
from tests.helpers import login_with_totp
from tests.security.conftest import world  # noqa: F401


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def people(make_person, province, unit_a, unit_a_child, unit_b):
    return {
        "hoa": make_person(unit=unit_a_child, roles=[Role.LEARNER], full_name="Lê Thị Hoa", phone="0912 345 678",
                           birth_year=1988, position="Chuyên viên"),
        "yte": make_person(unit=unit_b, roles=[Role.LEARNER], full_name="Đặng Văn Y"),
        "officer_a": make_person(unit=unit_a, roles=[Role.UNIT_OFFICER, Role.LEARNER], full_name="Cán Bộ A"),
        "officer_b": make_person(unit=unit_b, roles=[Role.UNIT_OFFICER, Role.LEARNER], full_name="Cán Bộ B"),
        "home_affairs": make_person(unit=province, roles=[Role.HOME_AFFAIRS], full_name="Sở Nội Vụ"),
        "admin": make_person(unit=province, roles=[Role.SITE_ADMIN], full_name="Quản Trị"),
    }


@pytest.fixture
def login():
    """A client signed in as `person` (a second factor for the roles that need one)."""

    def _login(person):
        client = Client()
        client.cookies["django_language"] = "en"
        if person.user.groups.exclude(name=Role.LEARNER).exists():
            login_with_totp(client, person.user)
        else:
            client.force_login(person.user)
        return client

    return _login
