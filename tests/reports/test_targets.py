"""Programme targets: the data migration, each indicator on generated data, red / amber / green, the
recorded trend, the dashboard's scoping and the admin's permissions."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from certification.choices import RecordState
from certification.models import Competency
from courses.tracks import Track
from organisations.models import Audience, ITQualification, StaffCategory, UnitKind
from reports.indicators import IndicatorScope, measure
from reports.models import Indicator, IndicatorMeasurement, ProgrammeTarget
from reports.targets import TargetStatus, indicators_measure, target_status, targets_dashboard
from tests.factories import make_unit

from .conftest import enrol, make_course, record

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def programme(db, province, unit_a, unit_a_child, unit_b, make_person):
    commune_c = make_unit("Phường Vinh Tân", parent=province, kind=UnitKind.WARD, code="NA-VT")
    commune_d = make_unit("Xã Nghi Phú", parent=province, kind=UnitKind.COMMUNE, code="NA-NP")
    commune_d.valid_to = datetime.date(2025, 6, 30)  # closed: not counted any more
    commune_d.save()
    cio_codes = list(Competency.objects.filter(group="cio", is_active=True).values_list("code", flat=True))
    people = {
        # Sở Nội vụ's CIO works in a sub-unit and holds every CIO competency.
        "cio_a": make_person(unit=unit_a_child, is_cio=True, is_leader=True, audience=Audience.LEADER_CIO),
        "cio_b": make_person(unit=unit_b, is_cio=True, audience=Audience.LEADER_CIO),
        "cio_c": make_person(unit=commune_c, is_cio=True, audience=Audience.LEADER_CIO),
        "it_a": make_person(unit=unit_a, audience=Audience.IT_STAFF, it_qualification=ITQualification.COLLEGE),
        "it_c": make_person(unit=commune_c, audience=Audience.IT_STAFF, it_qualification=ITQualification.CERTIFICATE),
        "clerk": make_person(unit=unit_b, staff_category=StaffCategory.CONG_CHUC),
        "contract": make_person(unit=unit_b, staff_category=StaffCategory.CONTRACT),
        "farmer": make_person(unit=None, commune=commune_c, audience=Audience.FARMER,
                              staff_category=StaffCategory.NON_STATE),
        "resident": make_person(unit=None, commune=commune_c, audience=Audience.RESIDENT,
                                staff_category=StaffCategory.NON_STATE),
    }
    for code in cio_codes:
        record(people["cio_a"], code)
        record(people["cio_c"], code)
    record(people["cio_b"], cio_codes[0])  # one of seven: not enough
    record(people["it_a"], "CT03")
    record(people["it_a"], "CT04", valid_until=datetime.date(2027, 1, 1))
    record(people["it_c"], "CT03")
    record(people["it_c"], "CT04", valid_until=datetime.date(2026, 1, 1), achieved=datetime.date(2024, 1, 1))  # expired
    for code in ["IU01", "IU02", "IU03", "IU04", "IU05", "IU06"]:
        record(people["clerk"], code)
        record(people["contract"], code)  # not state staff: outside the denominator
    record(people["cio_a"], "IU01", state=RecordState.REVOKED)
    course = make_course("ND01", Track.FARMERS, "2.0")
    enrol(people["farmer"], course, enrolled=datetime.datetime(2026, 3, 1, tzinfo=datetime.timezone.utc))
    home_affairs = make_person(unit=province, roles=[Role.HOME_AFFAIRS])
    officer = make_person(unit=unit_a, roles=[Role.UNIT_OFFICER])
    return {"people": people, "home_affairs": home_affairs.user, "officer": officer.user, "province": province,
            "unit_a": unit_a}


def test_the_programme_targets_are_loaded_as_data(db):
    targets = {t.indicator: t.target_value for t in ProgrammeTarget.objects.filter(year=2026)}
    assert set(targets) == set(Indicator.values)
    assert targets[Indicator.BASIC_IT_STANDARD] == 100 and targets[Indicator.COMMUNES_CIO] == 70


def test_each_indicator_on_generated_data(programme):
    scope = IndicatorScope(root=programme["province"], audiences=None, today=TODAY)
    values = {indicator: measure(indicator, scope) for indicator in Indicator.values}

    # State staff: three CIOs, two IT staff, the clerk and the two officers (the contract worker and
    # self-registered people are not); only the clerk holds IU01–IU06.
    assert (values[Indicator.BASIC_IT_STANDARD].numerator, values[Indicator.BASIC_IT_STANDARD].denominator) == (1, 8)
    assert (values[Indicator.DEPARTMENTS_CIO].numerator, values[Indicator.DEPARTMENTS_CIO].denominator) == (1, 2)
    assert values[Indicator.DEPARTMENTS_CIO].value == Decimal("50.0")
    assert (values[Indicator.COMMUNES_CIO].numerator, values[Indicator.COMMUNES_CIO].denominator) == (1, 1)
    assert (values[Indicator.UNITS_WITH_IT_STAFF].numerator, values[Indicator.UNITS_WITH_IT_STAFF].denominator) == (2, 3)
    assert values[Indicator.UNITS_WITH_IT_STAFF].value == Decimal("66.7")
    assert (values[Indicator.IT_STAFF_DEGREE].numerator, values[Indicator.IT_STAFF_DEGREE].denominator) == (1, 2)
    assert values[Indicator.IT_STAFF_SECURITY_SYSADMIN].numerator == 1  # it_c's security competency expired
    assert (values[Indicator.FARMERS_REACHED].numerator, values[Indicator.FARMERS_REACHED].value) == (1, Decimal(1))


def test_indicators_follow_the_readers_subtree(programme):
    scope = IndicatorScope(root=programme["unit_a"], audiences=None, today=TODAY)
    assert measure(Indicator.DEPARTMENTS_CIO, scope).denominator == 1  # only Sở Nội vụ itself
    assert measure(Indicator.FARMERS_REACHED, scope).numerator == 0


@pytest.mark.parametrize(
    ("indicator", "target", "value", "status"),
    [
        (Indicator.BASIC_IT_STANDARD, "100", "100", TargetStatus.GREEN),
        (Indicator.BASIC_IT_STANDARD, "100", "90", TargetStatus.AMBER),
        (Indicator.BASIC_IT_STANDARD, "100", "89.9", TargetStatus.RED),
        (Indicator.FARMERS_REACHED, "1000", "900", TargetStatus.AMBER),
        (Indicator.FARMERS_REACHED, "1000", "899", TargetStatus.RED),
        (Indicator.COMMUNES_CIO, "70", None, TargetStatus.UNKNOWN),
    ],
)
def test_red_amber_green(indicator, target, value, status):
    target = ProgrammeTarget(indicator=indicator, year=2026, target_value=Decimal(target), amber_margin=Decimal(10))
    assert target_status(Decimal(value) if value else None, target) == status


def test_measurements_make_the_trend_and_repeat_safely(programme):
    indicators_measure(on=datetime.date(2026, 3, 31))
    indicators_measure(on=datetime.date(2026, 3, 31))
    indicators_measure(on=datetime.date(2026, 6, 30))
    assert IndicatorMeasurement.objects.count() == 2 * len(Indicator.values)
    rows = {row.target.indicator: row for row in targets_dashboard(programme["home_affairs"], year=2026, today=TODAY)}
    assert [point.measured_on for point in rows[Indicator.DEPARTMENTS_CIO].trend] == [
        datetime.date(2026, 3, 31), datetime.date(2026, 6, 30)]
    assert rows[Indicator.DEPARTMENTS_CIO].status == TargetStatus.RED
    officer_rows = targets_dashboard(programme["officer"], year=2026, today=TODAY)
    assert all(row.trend == [] for row in officer_rows)  # the trend is province-wide


def test_dashboard_page_is_scoped(programme, mfa_client, client):
    response = mfa_client(programme["home_affairs"]).get(reverse("reports:targets"), {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Live figures" in html and "rag-red" in html
    assert len(response.context["rows"]) == len(Indicator.values)

    client.logout()
    client.force_login(programme["people"]["clerk"].user)
    assert client.get(reverse("reports:targets")).status_code == 404


def test_only_site_administrators_edit_targets_in_the_admin(programme, make_person, mfa_client):
    admin = make_person(unit=programme["province"], roles=[Role.SITE_ADMIN])
    client = mfa_client(admin.user)
    target = ProgrammeTarget.objects.get(year=2026, indicator=Indicator.COMMUNES_CIO)
    url = reverse("wagtailsnippets_reports_programmetarget:edit", args=[target.pk])
    response = client.get(url)
    assert response.status_code == 200
    response = client.post(url, {"indicator": target.indicator, "year": 2026, "target_value": "80",
                                 "amber_margin": "5", "note": "", "is_active": "on"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.target_value == 80

    manager = make_person(unit=programme["province"], roles=[Role.CURRICULUM_MANAGER])
    client.logout()
    denied = mfa_client(manager.user).get(url)
    assert denied.status_code in (302, 403)
    target.refresh_from_db()
    assert target.target_value == 80


def test_the_dashboard_draws_each_targets_trend_with_the_numbers_in_a_table(programme, mfa_client):
    from reports.charts import trend_chart

    IndicatorMeasurement.objects.create(indicator=Indicator.BASIC_IT_STANDARD, measured_on=datetime.date(2026, 3, 31),
                                        numerator=1, denominator=4, value=Decimal("25.0"))
    IndicatorMeasurement.objects.create(indicator=Indicator.BASIC_IT_STANDARD, measured_on=datetime.date(2026, 6, 30),
                                        numerator=2, denominator=4, value=Decimal("50.0"))
    response = mfa_client(programme["home_affairs"]).get(reverse("reports:targets"), {"year": 2026})
    html = response.content.decode()
    assert html.count('class="bar-trend"') == 2 and 'class="trend-target"' in html
    assert "Trend of “State staff meeting the basic IT skill standard (%)”" in html
    assert response.context["trend_dates"] == [datetime.date(2026, 3, 31), datetime.date(2026, 6, 30)]
    row, points = next(entry for entry in response.context["trend_table"]
                       if entry[0].target.indicator == Indicator.BASIC_IT_STANDARD)
    assert [point.value for point in points] == [Decimal("25.0"), Decimal("50.0")]
    assert "<td>25%</td>" in html and "<td>50%</td>" in html
    # A head count reads as a whole number with grouping, not "10000.0".
    farmers = ProgrammeTarget.objects.get(year=2026, indicator=Indicator.FARMERS_REACHED).target_value
    assert f"<td>{int(farmers):,}</td>" in html and f"{farmers}</td>" not in html
    # Bars scale to the target: 50% of a 100% target is half the plot's height, the line at the top.
    chart = trend_chart([("03/2026", 25.0), ("06/2026", 50.0)], 100.0)
    assert [bar.height for bar in chart.bars] == [12, 23] and chart.target_y == 14
