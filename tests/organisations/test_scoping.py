"""Who sees whom: the selectors decide, and the people pages obey them, URL guessing included."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from organisations.models import Audience, UnitKind
from organisations.selectors import can_manage_people, people_in_scope, people_managed_by, units_managed_by
from tests.factories import make_unit


@pytest.fixture
def people(make_person, province, unit_a, unit_a_child, unit_b):
    commune = make_unit("Xã Anh Sơn", parent=province, kind=UnitKind.COMMUNE, code="17329")
    return {
        "a": make_person(unit=unit_a, full_name="Lê Văn Ân"),
        "a_child": make_person(unit=unit_a_child, full_name="Phạm Thị Bình"),
        "b": make_person(unit=unit_b, full_name="Hoàng Văn Cường"),
        "farmer": make_person(unit=None, commune=commune, audience=Audience.FARMER, employee_code=None),
    }


def visible_ids(user):
    return set(people_in_scope(user).values_list("pk", flat=True))


def test_unit_officer_sees_own_subtree_only(people, officer_a):
    assert visible_ids(officer_a.user) == {officer_a.pk, people["a"].pk, people["a_child"].pk}
    assert set(units_managed_by(officer_a.user)) == {officer_a.unit, people["a_child"].unit}
    assert can_manage_people(officer_a.user)


def test_officer_moved_to_another_unit_is_scoped_to_it_at_once(people, officer_a, unit_b):
    officer_a.unit = unit_b
    officer_a.save()
    user = type(officer_a.user).objects.get(pk=officer_a.user.pk)
    assert visible_ids(user) == {officer_a.pk, people["b"].pk}


@pytest.mark.parametrize("role", [Role.HOME_AFFAIRS, Role.SITE_ADMIN])
def test_province_wide_roles_see_everyone(people, make_person, unit_b, role):
    viewer = make_person(unit=unit_b, roles=[role])
    assert visible_ids(viewer.user) == {p.pk for p in people.values()} | {viewer.pk}


def test_home_affairs_reads_but_does_not_manage(make_person, unit_a):
    officer = make_person(unit=unit_a, roles=[Role.HOME_AFFAIRS])
    assert not can_manage_people(officer.user)


def test_farmer_coordinator_sees_farmers_and_residents_only(people, make_person, unit_b):
    coordinator = make_person(unit=unit_b, roles=[Role.FARMER_COORDINATOR])
    assert visible_ids(coordinator.user) == {coordinator.pk, people["farmer"].pk}
    assert not can_manage_people(coordinator.user)


@pytest.mark.parametrize("role", [Role.LEARNER, Role.TRAINER, Role.CURRICULUM_MANAGER])
def test_other_roles_see_only_themselves(people, make_person, unit_a, role):
    person = make_person(unit=unit_a, roles=[role])
    assert visible_ids(person.user) == {person.pk}
    assert not units_managed_by(person.user).exists()


def test_anonymous_sees_nobody(people, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not people_in_scope(AnonymousUser()).exists()


def test_officer_cannot_open_person_of_another_unit_by_url(people, officer_a, mfa_client):
    client = mfa_client(officer_a.user)
    assert client.get(reverse("organisations:person_detail", args=[people["a_child"].pk])).status_code == 200
    other = client.get(reverse("organisations:person_detail", args=[people["b"].pk]))
    missing = client.get(reverse("organisations:person_detail", args=[999999]))
    # Someone outside the scope is indistinguishable from someone who does not exist.
    assert other.status_code == missing.status_code == 404


def test_people_list_shows_subtree_only_and_searches(people, officer_a, mfa_client):
    client = mfa_client(officer_a.user)
    page = client.get(reverse("organisations:people_list")).content.decode()
    assert "Phạm Thị Bình" in page and "Lê Văn Ân" in page
    assert "Hoàng Văn Cường" not in page
    found = client.get(reverse("organisations:people_list"), {"q": "Bình"}).content.decode()
    assert "Phạm Thị Bình" in found and "Lê Văn Ân" not in found
    # Searching for someone of another unit by their exact code finds nothing.
    hidden = client.get(reverse("organisations:people_list"), {"q": people["b"].employee_code}).content.decode()
    assert "Hoàng Văn Cường" not in hidden


@pytest.mark.parametrize("role", [Role.LEARNER, Role.TRAINER])
def test_people_pages_forbidden_to_roles_without_people_access(people, make_person, unit_a, client, role):
    person = make_person(unit=unit_a, roles=[role])
    client.force_login(person.user)
    assert client.get(reverse("organisations:people_list")).status_code == 403
    assert client.get(reverse("organisations:person_detail", args=[people["a"].pk])).status_code == 403


def test_people_pages_need_login(people, client):
    response = client.get(reverse("organisations:people_list"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_people_list_paginates(make_person, officer_a, unit_a, mfa_client):
    for _ in range(55):
        make_person(unit=unit_a)
    client = mfa_client(officer_a.user)
    first = client.get(reverse("organisations:people_list"))
    assert first.context["page"].paginator.num_pages == 2
    assert len(first.context["page"].object_list) == 50


def _edit_data(person, **changes):
    data = {
        "full_name": person.full_name, "unit": person.unit_id or "", "position": "", "staff_category": "cong_chuc",
        "audience": "general", "it_qualification": "none", "gender": "unspecified", "birth_year": "", "phone": "",
    }
    data.update(changes)
    return data


def test_officer_edits_person_in_subtree_and_moves_them_within_it(people, officer_a, unit_a_child, mfa_client):
    client = mfa_client(officer_a.user)
    url = reverse("organisations:person_edit", args=[people["a"].pk])
    response = client.post(url, _edit_data(people["a"], unit=unit_a_child.pk, audience="it_staff", is_cio="on"))
    assert response.status_code == 302
    people["a"].refresh_from_db()
    assert (people["a"].unit, people["a"].audience, people["a"].is_cio) == (unit_a_child, "it_staff", True)


def test_officer_cannot_move_person_out_of_subtree(people, officer_a, unit_b, mfa_client):
    client = mfa_client(officer_a.user)
    response = client.post(
        reverse("organisations:person_edit", args=[people["a"].pk]), _edit_data(people["a"], unit=unit_b.pk)
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    people["a"].refresh_from_db()
    assert people["a"].unit == officer_a.unit


def test_officer_cannot_edit_person_of_another_unit(people, officer_a, mfa_client):
    client = mfa_client(officer_a.user)
    url = reverse("organisations:person_edit", args=[people["b"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _edit_data(people["b"], full_name="Hacked")).status_code == 404
    people["b"].refresh_from_db()
    assert people["b"].full_name == "Hoàng Văn Cường"


def test_home_affairs_cannot_edit(people, make_person, unit_b, mfa_client):
    viewer = make_person(unit=unit_b, roles=[Role.HOME_AFFAIRS])
    client = mfa_client(viewer.user)
    assert client.get(reverse("organisations:person_edit", args=[people["a"].pk])).status_code == 403


@pytest.mark.parametrize("reading_role", [Role.HOME_AFFAIRS, Role.FARMER_COORDINATOR])
def test_a_reading_role_never_widens_what_an_officer_manages(people, make_person, unit_a, mfa_client, reading_role):
    officer = make_person(unit=unit_a, roles=[Role.UNIT_OFFICER, reading_role])
    assert set(units_managed_by(officer.user)) == {unit_a, people["a_child"].unit}
    assert set(people_managed_by(officer.user)) == {officer, people["a"], people["a_child"]}
    client = mfa_client(officer.user)
    for outsider in (people["b"], people["farmer"]):
        url = reverse("organisations:person_edit", args=[outsider.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, _edit_data(outsider, full_name="Đổi tên")).status_code == 404
    assert "person_edit" not in client.get(reverse("organisations:person_detail", args=[people["b"].pk])).content.decode()


def test_the_update_service_refuses_a_unit_outside_the_officers_scope(people, officer_a, unit_b):
    from organisations.services import person_update

    with pytest.raises(PermissionError):
        person_update(person=people["a"], data={"unit": unit_b}, scope_units=units_managed_by(officer_a.user))
    people["a"].refresh_from_db()
    assert people["a"].unit == officer_a.unit


def test_people_list_runs_a_fixed_number_of_queries(make_person, officer_a, unit_a, mfa_client, django_assert_max_num_queries):
    client = mfa_client(officer_a.user)
    for _ in range(5):
        make_person(unit=unit_a)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("organisations:people_list"))
    for _ in range(40):
        make_person(unit=unit_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("organisations:people_list"))


def test_people_list_pages_keep_the_search(make_person, officer_a, unit_a, mfa_client):
    for n in range(55):
        make_person(unit=unit_a, full_name=f"Trần Văn Tìm {n}")
    page = mfa_client(officer_a.user).get(reverse("organisations:people_list"), {"q": "Tìm"}).content.decode()
    assert "q=T%C3%ACm&amp;page=2" in page
