"""The statistics page: scoped drill-down, people links only for roles that may see people, the SVG
chart with the numbers in a table, and a fixed number of queries whatever the data size."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from reports.rollups import rollups_rebuild

from .conftest import YEAR, at, enrol

Q1 = {"period": "quarter", "year": YEAR, "number": 1}


def test_home_affairs_sees_the_province_with_drill_down_links(world, mfa_client):
    rollups_rebuild()
    client = mfa_client(world.home_affairs_user)
    response = client.get(reverse("reports:statistics"), Q1)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Live figures" in html
    assert "<svg" in html and "<table" in html
    for key in ("a", "b", "c"):
        assert reverse("reports:unit_statistics", args=[world.units[key].pk]) in html
        assert reverse("reports:unit_people", args=[world.units[key].pk]) in html
    assert "including Xã Hưng Tây (merged)" in html
    stats = response.context["stats"]
    assert stats.total.enrolled == 7
    assert "Pass rate" in html and "Average score" in html and "65.0%" in html and "60.0%" in html
    assert "IT skill levels per module" in html and response.context["skill_levels"].people == 3

    child = client.get(reverse("reports:unit_statistics", args=[world.units["a"].pk]), Q1)
    assert child.status_code == 200
    assert child.context["stats"].total.enrolled == 4
    assert [unit.pk for unit in child.context["ancestors"]] == [world.province.pk]

    people = client.get(reverse("reports:unit_people", args=[world.units["a"].pk]))
    names = {person.full_name for person in people.context["page"].object_list}
    assert {"Lê Văn An", "Phạm Thị Bình", "Trịnh Thị Giang"} <= names
    assert "Hoàng Văn Cường" not in names


def test_unit_officer_is_confined_to_their_subtree_by_url_guessing_too(world, mfa_client):
    rollups_rebuild()
    client = mfa_client(world.officer_user)
    response = client.get(reverse("reports:statistics"), Q1)
    assert response.status_code == 200
    assert response.context["unit"] == world.units["a"]
    assert response.context["stats"].total.enrolled == 4
    for name in ("reports:unit_statistics", "reports:unit_people"):
        for unit in (world.units["b"], world.province, world.units["c"]):
            assert client.get(reverse(name, args=[unit.pk])).status_code == 404
    assert client.get(reverse("reports:unit_statistics", args=[999999])).status_code == 404
    assert client.get(reverse("reports:unit_statistics", args=[world.units["a_child"].pk])).status_code == 200


def test_learners_read_no_statistics(world, client):
    client.force_login(world.people["an"].user)
    assert client.get(reverse("reports:statistics")).status_code == 404
    assert client.get(reverse("reports:unit_statistics", args=[world.units["a"].pk])).status_code == 404


def test_farmer_coordinator_sees_figures_but_no_people_links_outside_their_audiences(world, make_person, mfa_client):
    coordinator = make_person(unit=world.province, roles=[Role.FARMER_COORDINATOR])
    rollups_rebuild()
    client = mfa_client(coordinator.user)
    response = client.get(reverse("reports:statistics"), Q1)
    assert response.status_code == 200
    assert response.context["stats"].total.enrolled == 0  # no farmer or resident enrolled
    # Plans and periodic reports cover every audience: not linked for them, since they answer 404.
    html = response.content.decode()
    for url in (reverse("reports:plan_list"), reverse("reports:unit_report_list", args=[world.province.pk])):
        assert f'href="{url}"' not in html
        assert client.get(url).status_code == 404
    home_affairs = mfa_client(world.home_affairs_user).get(reverse("reports:statistics"), Q1).content.decode()
    assert f'href="{reverse("reports:plan_list")}"' in home_affairs


def test_bad_filters_fall_back_to_the_current_quarter_with_errors(world, mfa_client):
    client = mfa_client(world.home_affairs_user)
    response = client.get(reverse("reports:statistics"), {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"})
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    response = client.get(reverse("reports:statistics"), {"period": "quarter", "year": YEAR, "number": 7})
    assert response.status_code == 200 and response.context["form"].errors


@pytest.mark.parametrize("extra_people", [0, 12])
def test_the_page_runs_a_fixed_number_of_queries(world, mfa_client, make_person, django_assert_num_queries, extra_people):
    for index in range(extra_people):
        person = make_person(unit=world.units["b" if index % 2 else "c"])
        enrol(person, world.courses["general"], enrolled=at(2, 1 + index), opened=at(2, 2 + index),
              completed=at(3, 1 + index))
    rollups_rebuild()
    client = mfa_client(world.home_affairs_user)
    url = reverse("reports:unit_statistics", args=[world.province.pk])
    client.get(url, Q1)  # warm the session and the role cache
    with django_assert_num_queries(QUERIES):
        response = client.get(url, {**Q1, "gender": "female"})
    assert response.status_code == 200


QUERIES = 25  # whatever the data size; the IT skill levels section included (29 before roles were cached, 26
# before the rollup version was read from the cache)


def test_counts_of_people_are_headed_as_a_number_not_as_the_people_list_in_vietnamese(world, mfa_client):
    rollups_rebuild()
    client = mfa_client(world.home_affairs_user)
    client.cookies["django_language"] = "vi"
    html = client.get(reverse("reports:statistics"), Q1).content.decode()
    assert "Tình hình đạt năng lực hiện nay" in html  # the competency coverage table
    assert '<th scope="col">Số người</th>' in html  # how many hold each competency: "Danh sách cá nhân" before
    assert ">Danh sách cá nhân</a>" in html  # the link to the people of a unit keeps its name


def test_the_chart_shows_the_units_with_most_enrolments_when_there_are_many(world, mfa_client, monkeypatch):
    """145 units drew 5,500 px of unreadable bars: past CHART_ROWS the chart keeps the largest, the table all."""
    from reports import dashboard

    monkeypatch.setattr(dashboard, "CHART_ROWS", 2)
    rollups_rebuild()
    client = mfa_client(world.home_affairs_user)
    response = client.get(reverse("reports:statistics"), Q1)
    rows = response.context["stats"].rows
    assert len(rows) > 2
    charted = [group.label for group in response.context["chart"].groups]
    largest = sorted(rows, key=lambda row: row.figures.enrolled, reverse=True)[:2]
    assert len(charted) == 2 and set(charted) == {str(row.unit)[:32] for row in largest}
    html = response.content.decode()
    assert "more are in the table below" in html or "more is in the table below" in html
    for row in rows:
        assert reverse("reports:unit_people", args=[row.unit.pk]) in html  # every unit is in the table
