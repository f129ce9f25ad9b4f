"""The Wagtail admin for organisation units: site administrators list, add and edit; nobody deletes."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.services import user_set_roles
from organisations.models import OrganisationUnit, UnitKind
from tests.factories import make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(make_person, unit_a, mfa_client):
    person = make_person(unit=unit_a)
    user_set_roles(user=person.user, roles={Role.SITE_ADMIN})
    return mfa_client(person.user)


def _form(**fields):
    data = {"name": "", "kind": UnitKind.SUB_UNIT, "code": "", "valid_from": "", "valid_to": "", "successor": ""}
    data.update({key: "" if value is None else value for key, value in fields.items()})
    return data


def test_the_list_shows_units_with_their_parent(admin_client, unit_a_child, unit_b, django_assert_max_num_queries):
    make_unit("Xã Anh Sơn", parent=unit_b.get_parent(), kind=UnitKind.COMMUNE, code="17329")
    for n in range(15):
        make_unit(f"Phòng {n}", parent=unit_b, kind=UnitKind.SUB_UNIT, code=f"NA-SYT-{n}")

    with django_assert_max_num_queries(40):
        response = admin_client.get(reverse("organisation_units:index"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Phòng Công chức, viên chức" in content and "NA-SNV-CCVC" in content
    rows = {unit.name: unit for unit in response.context["object_list"]}
    assert rows["Phòng Công chức, viên chức"].parent_name == "Sở Nội vụ"
    assert rows["Tỉnh Nghệ An"].parent_name is None


def test_search_by_name_or_code_and_filter_by_kind_and_status(admin_client, unit_a_child, unit_b):
    closed = make_unit("Thị xã Cửa Lò", parent=unit_b.get_parent(), kind=UnitKind.DISTRICT, code="413")
    OrganisationUnit.objects.filter(pk=closed.pk).update(valid_to=date(2025, 6, 30))
    index = reverse("organisation_units:index")

    def names(**params):
        response = admin_client.get(index, params)
        assert response.status_code == 200
        return {unit.name for unit in response.context["object_list"]}

    assert names(q="công chức") == {"Phòng Công chức, viên chức"}
    assert names(q="NA-SYT") == {"Sở Y tế"}
    assert names(kind=UnitKind.DEPARTMENT) == {"Sở Nội vụ", "Sở Y tế"}
    assert names(status="closed") == {"Thị xã Cửa Lò"}
    assert "Thị xã Cửa Lò" not in names(status="open")


def test_a_unit_is_added_under_its_parent(admin_client, unit_a, unit_a_child):
    response = admin_client.post(
        reverse("organisation_units:add"),
        {"parent": unit_a.pk, **_form(name="Phòng Tổ chức, biên chế", code="NA-SNV-TCBC", valid_from="2025-03-01")},
    )

    assert response.status_code == 302
    unit = OrganisationUnit.objects.get(code="NA-SNV-TCBC")
    assert unit.get_parent() == unit_a
    assert unit.path > unit_a_child.path
    assert unit.valid_from == date(2025, 3, 1)
    unit_a.refresh_from_db()
    assert unit_a.numchild == 2
    assert OrganisationUnit.find_problems() == ([], [], [], [], [])


def test_the_add_form_refuses_provinces_duplicate_codes_and_a_successor_without_closing(admin_client, unit_a, unit_b):
    add = reverse("organisation_units:add")
    count = OrganisationUnit.objects.count()

    province = admin_client.post(add, {"parent": unit_a.pk, **_form(name="Tỉnh Mới", kind=UnitKind.PROVINCE)})
    duplicate = admin_client.post(add, {"parent": unit_a.pk, **_form(name="Sở trùng mã", code="NA-SYT")})
    successor = admin_client.post(add, {"parent": unit_a.pk, **_form(name="Phòng cũ", successor=unit_b.pk)})

    assert province.context["form"].errors["kind"]
    assert duplicate.context["form"].errors
    assert successor.context["form"].errors["valid_to"]
    assert OrganisationUnit.objects.count() == count


def test_editing_changes_the_fields_but_not_the_place_in_the_tree(admin_client, unit_a_child, unit_b):
    path = unit_a_child.path

    response = admin_client.post(
        reverse("organisation_units:edit", args=[unit_a_child.pk]),
        _form(name="Phòng Công chức", code="NA-SNV-CC", valid_from="2025-03-01", valid_to="2026-01-31",
              successor=unit_b.pk),
    )  # fmt: skip

    assert response.status_code == 302
    unit_a_child.refresh_from_db()
    assert (unit_a_child.name, unit_a_child.code, unit_a_child.valid_to) == (
        "Phòng Công chức",
        "NA-SNV-CC",
        date(2026, 1, 31),
    )
    assert unit_a_child.successor == unit_b
    assert unit_a_child.path == path


def test_units_cannot_be_deleted_from_the_admin(admin_client, unit_a_child):
    response = admin_client.post(reverse("organisation_units:delete", args=[unit_a_child.pk]))

    assert response.status_code in (302, 403)
    assert OrganisationUnit.objects.filter(pk=unit_a_child.pk).exists()
    edit_page = admin_client.get(reverse("organisation_units:edit", args=[unit_a_child.pk])).content.decode()
    assert reverse("organisation_units:delete", args=[unit_a_child.pk]) not in edit_page


def test_other_admin_users_cannot_manage_units(client, make_person, unit_a):
    trainer = make_person(unit=unit_a)
    user_set_roles(user=trainer.user, roles={Role.TRAINER})
    client.force_login(trainer.user)

    listing = client.get(reverse("organisation_units:index"))
    adding = client.post(reverse("organisation_units:add"), {"parent": unit_a.pk, **_form(name="Phòng lạ")})

    assert listing.status_code in (302, 403) and adding.status_code in (302, 403)
    assert not OrganisationUnit.objects.filter(name="Phòng lạ").exists()
    assert reverse("organisation_units:index") not in client.get(reverse("wagtailadmin_home")).content.decode()
