"""An officer or administrator edits a self-registered farmer or resident (to answer a correction request, for
instance): their commune instead of a workplace, and they stay a farmer or a resident."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from organisations.models import Audience, UnitKind
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def communes(province, unit_b):
    return (
        make_unit("Xã Nghi Lộc", parent=province, kind=UnitKind.COMMUNE, code="17000"),
        make_unit("Xã Nghi Xuân", parent=province, kind=UnitKind.COMMUNE, code="17001"),
    )


@pytest.fixture
def farmer(make_person, communes):
    return make_person(unit=None, commune=communes[0], audience=Audience.FARMER, full_name="Lò Văn Nong")


def _data(**changes):
    data = {"full_name": "Lò Văn Nông", "audience": "farmer", "gender": "male", "birth_year": "1980", "phone": ""}
    return {**data, **changes}


def test_an_administrator_corrects_a_farmers_name_and_commune(farmer, communes, make_person, unit_b, mfa_client):
    client = mfa_client(make_person(unit=unit_b, roles=[Role.SITE_ADMIN]).user)
    url = reverse("organisations:person_edit", args=[farmer.pk])
    page = client.get(url).content.decode()
    assert 'name="commune"' in page and 'name="unit"' not in page and 'name="staff_category"' not in page

    response = client.post(url, _data(commune=communes[1].pk, audience="resident"))
    assert response.status_code == 302, response.content.decode()[:3000]
    farmer.refresh_from_db()
    assert (farmer.full_name, farmer.commune, farmer.audience, farmer.unit) == (
        "Lò Văn Nông", communes[1], Audience.RESIDENT, None)


def test_a_farmer_cannot_be_turned_into_staff_nor_moved_to_a_department(farmer, communes, make_person, unit_b,
                                                                         mfa_client):
    client = mfa_client(make_person(unit=unit_b, roles=[Role.SITE_ADMIN]).user)
    url = reverse("organisations:person_edit", args=[farmer.pk])
    for wrong in ({"audience": "general", "commune": communes[0].pk}, {"commune": unit_b.pk}, {"commune": ""}):
        response = client.post(url, _data(**wrong))
        assert response.status_code == 200 and response.context["form"].errors, wrong
    farmer.refresh_from_db()
    assert (farmer.full_name, farmer.audience, farmer.commune) == ("Lò Văn Nong", Audience.FARMER, communes[0])
