"""Numbers typed into addresses and search boxes: a Unicode digit that is not a decimal ("²", "½") is not a
number there. `str.isdigit()` let "²" through to `int()`, which raised (a 500); the checks use
`str.isdecimal()`, whose every match `int()` reads ("٣" included)."""

import pytest
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db

ODD = ["²", "#²", "1²", "½", "٣", "99999999999999999999999"]


@pytest.mark.parametrize("value", ODD)
@pytest.mark.parametrize(
    ("name", "parameter", "role"),
    [
        ("certification:matrix", "unit", Role.UNIT_OFFICER),
        ("certification:matrix_xlsx", "unit", Role.UNIT_OFFICER),
        ("certification:coverage", "unit", Role.HOME_AFFAIRS),
        ("privacy:queue", "q", Role.UNIT_OFFICER),
    ],
)
def test_odd_numbers_in_parameters_are_not_a_server_error(make_person, unit_a, mfa_client, name, parameter, role,
                                                          value):
    client = mfa_client(make_person(unit=unit_a, roles=[role]).user)
    response = client.get(reverse(name), {parameter: value})  # the test client raises what the view raises
    assert response.status_code in (200, 404)


def test_the_checks_take_only_what_int_reads():
    for value in ["²", "½", "Ⅻ", "1²"]:
        assert not value.isdecimal()
    for value in ["٣", "12", "０７"]:
        assert value.isdecimal() and int(value) >= 0
