"""“Survey results” for unit officers and Home Affairs: their scope only (404 by URL guessing), the
distribution table and SVG bars, coverage, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from placement.models import ModuleLevel, ResponseStatus, SurveyResponse
from placement.modules import MODULE_CODES, Level

from .conftest import make_survey

pytestmark = pytest.mark.django_db


def answered(person, survey, level: int, unit=None):
    response = SurveyResponse.objects.create(
        survey=survey, person=person, status=ResponseStatus.SUBMITTED, submitted_at=timezone.now(),
        unit=unit or person.unit, audience=person.audience,
    )
    ModuleLevel.objects.bulk_create([
        ModuleLevel(response=response, module_code=code, self_score=1, combined=0.5, level=level)
        for code in MODULE_CODES
    ])


@pytest.fixture
def world(make_person, province, unit_a, unit_a_child, unit_b):
    survey = make_survey()
    for level in (Level.BASIC, Level.BASIC, Level.ADVANCED):
        answered(make_person(unit=unit_a), survey, level)
    answered(make_person(unit=unit_a_child), survey, Level.PROFICIENT)
    make_person(unit=unit_a_child)  # not surveyed
    answered(make_person(unit=unit_b), survey, Level.NOT_YET)
    return survey


@pytest.fixture
def home_affairs(make_person, province):
    return make_person(unit=province, roles=[Role.HOME_AFFAIRS], full_name="Vũ Thị Nội Vụ").user


def test_officer_sees_their_subtree_with_table_bars_and_coverage(world, officer_a, mfa_client, unit_a, unit_a_child):
    client = mfa_client(officer_a.user)
    page = client.get(reverse("placement:results"))
    assert page.status_code == 200
    assert page.context["unit"] == unit_a
    distribution = page.context["distribution"]
    assert distribution.people == 4
    assert distribution.counts_by_code()["IU04"] == {0: 0, 1: 2, 2: 1, 3: 1}
    coverage = page.context["coverage"]
    # Officer, three surveyed staff in unit A, one surveyed and one not in the child unit.
    assert (coverage.surveyed, coverage.in_scope) == (4, 6)
    html = page.content.decode()
    assert "<svg" in html and "<table" in html and "<caption>" in html
    assert reverse("placement:unit_results", args=[unit_a_child.pk]) in html
    child = client.get(reverse("placement:unit_results", args=[unit_a_child.pk]))
    assert child.status_code == 200
    assert child.context["distribution"].people == 1
    assert [unit.pk for unit in child.context["ancestors"]] == [unit_a.pk]


def test_officer_of_unit_a_gets_404_for_unit_b_and_above(world, officer_a, mfa_client, unit_b, province):
    client = mfa_client(officer_a.user)
    for unit_id in (unit_b.pk, province.pk, 999999):
        assert client.get(reverse("placement:unit_results", args=[unit_id])).status_code == 404


def test_home_affairs_reads_the_province(world, home_affairs, mfa_client, unit_b):
    client = mfa_client(home_affairs)
    page = client.get(reverse("placement:results"))
    assert page.status_code == 200
    assert page.context["distribution"].people == 5
    assert client.get(reverse("placement:unit_results", args=[unit_b.pk])).context["distribution"].counts_by_code()[
        "IU01"
    ] == {0: 1, 1: 0, 2: 0, 3: 0}


def test_learners_read_no_results(world, client, make_person, unit_a):
    client.force_login(make_person(unit=unit_a, roles=[Role.LEARNER]).user)
    assert client.get(reverse("placement:results")).status_code == 404
    assert client.get(reverse("placement:unit_results", args=[unit_a.pk])).status_code == 404


def test_period_filter_is_validated(world, home_affairs, mfa_client):
    client = mfa_client(home_affairs)
    page = client.get(reverse("placement:results"), {"start": "2026-12-01", "end": "2026-01-01"})
    assert "The end of the period must not be before its start." in page.content.decode()
    assert page.context["distribution"].people == 5  # an invalid filter shows the whole time
    empty = client.get(reverse("placement:results"), {"start": "2020-01-01", "end": "2020-12-31"})
    assert empty.context["distribution"].people == 0


def test_the_page_runs_a_fixed_number_of_queries(world, home_affairs, mfa_client, make_person, unit_a):
    client = mfa_client(home_affairs)
    url = reverse("placement:unit_results", args=[unit_a.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(10):
        answered(make_person(unit=unit_a), world, Level.ADVANCED)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).context["distribution"].people == 14
    assert len(before) == len(after)


def test_farmers_union_coordinator_reads_farmers_and_residents_only(world, make_person, province, mfa_client):
    from organisations.models import Audience, UnitKind
    from tests.factories import make_unit

    commune = make_unit("Xã Nghi Lộc", parent=province, kind=UnitKind.COMMUNE, code="NA-XNL")
    farmer = make_person(unit=None, commune=commune, audience=Audience.FARMER, full_name="Lò Văn Nông")
    answered(farmer, world, Level.BASIC, unit=commune)
    make_person(unit=None, commune=commune, audience=Audience.RESIDENT)  # not surveyed
    coordinator = make_person(unit=province, roles=[Role.FARMER_COORDINATOR], full_name="Hà Thị Hội").user
    page = mfa_client(coordinator).get(reverse("placement:results"))
    assert page.status_code == 200
    assert page.context["distribution"].people == 1
    assert page.context["distribution"].counts_by_code()["IU02"] == {0: 0, 1: 1, 2: 0, 3: 0}
    assert (page.context["coverage"].surveyed, page.context["coverage"].in_scope) == (1, 2)
