"""The unit matrix (scoped to the officer's units, filterable, exported to XLSX) and Home Affairs'
coverage by unit, computed by aggregate SQL."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from certification.choices import RecordSource
from certification.selectors.matrix import coverage_by_unit
from certification.services import competency_record

pytestmark = pytest.mark.django_db

BASIC = ["IU01", "IU02", "IU03", "IU04", "IU05", "IU06"]


def give(person, codes, achieved_on=datetime.date(2026, 1, 5)):
    for code in codes:
        competency_record(person=person, competency_code=code, source=RecordSource.QUIZ, achieved_on=achieved_on,
                          evidence_ref=f"quiz-attempt:{person.pk}-{code}")


@pytest.fixture
def people(make_person, unit_a, unit_a_child, unit_b):
    basic = make_person(unit=unit_a, full_name="Nguyễn Văn An", audience="general")
    advanced = make_person(unit=unit_a_child, full_name="Trần Thị Bích", audience="it_staff")
    partial = make_person(unit=unit_a, full_name="Lê Đức Cường", audience="general")
    elsewhere = make_person(unit=unit_b, full_name="Phạm Minh Dũng", audience="general")
    give(basic, BASIC)
    give(advanced, BASIC + ["IU07", "IU08", "IU09"])
    give(partial, ["IU01", "IU02"])
    give(elsewhere, BASIC)
    return {"basic": basic, "advanced": advanced, "partial": partial, "elsewhere": elsewhere}


def test_the_matrix_shows_only_the_officers_people(mfa_client, officer_a, people):
    client = mfa_client(officer_a.user)
    page = client.get(reverse("certification:matrix")).content.decode()
    for key in ("basic", "advanced", "partial"):
        assert people[key].full_name in page
    assert "Phạm Minh Dũng" not in page

    only_it_staff = client.get(reverse("certification:matrix"), {"audience": "it_staff"}).content.decode()
    assert "Trần Thị Bích" in only_it_staff and "Nguyễn Văn An" not in only_it_staff


def test_another_units_filter_is_404_and_learners_are_refused(mfa_client, officer_a, unit_b, people, client):
    officer = mfa_client(officer_a.user)
    assert officer.get(reverse("certification:matrix"), {"unit": unit_b.pk}).status_code == 404
    client.force_login(people["basic"].user)
    assert client.get(reverse("certification:matrix")).status_code == 403


def test_the_xlsx_export_reads_back(mfa_client, officer_a, people, unit_a_child):
    client = mfa_client(officer_a.user)
    response = client.get(reverse("certification:matrix_xlsx"), {"group": "it_basic"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Full name", "Employee code", "Unit", "Audience")
    assert list(rows[0][4:10]) == BASIC
    by_name = {row[0]: row for row in rows[1:]}
    # The officer's subtree: the three people and the officer (Sở Nội vụ); never Sở Y tế.
    assert set(by_name) == {"Nguyễn Văn An", "Trần Thị Bích", "Lê Đức Cường", "Trần Thị Cán Bộ"}
    assert by_name["Lê Đức Cường"][4:10] == ("Active", "Active", None, None, None, None)
    assert by_name["Nguyễn Văn An"][-1] == "Basic IT skill standard"
    assert by_name["Trần Thị Bích"][-1] == "Basic IT skill standard, Advanced IT skill standard"
    assert by_name["Lê Đức Cường"][-1] in ("", None)

    child_only = client.get(reverse("certification:matrix_xlsx"), {"unit": unit_a_child.pk})
    sheet = load_workbook(io.BytesIO(child_only.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["Trần Thị Bích"]


def test_coverage_counts_by_unit(province, unit_a, unit_b, unit_a_child, people):
    coverage = coverage_by_unit(group="it_basic")
    codes = [c.code for c in coverage.competencies]
    assert codes == BASIC
    standards = [s.code for s in coverage.standards]
    rows = {row.unit.name: row for row in coverage.rows}
    basic_index, advanced_index = standards.index(coverage.standards[0].code), 1
    # Sở Nội vụ counts its subtree: An (basic), Bích (advanced, in the child unit), Cường (partial).
    assert rows["Sở Nội vụ"].people == 3
    assert rows["Sở Nội vụ"].standards[basic_index] == 2
    assert rows["Sở Nội vụ"].standards[advanced_index] == 1
    assert rows["Sở Nội vụ"].competencies[codes.index("IU01")] == 3
    assert rows["Sở Nội vụ"].competencies[codes.index("IU03")] == 2
    assert (rows["Sở Y tế"].people, rows["Sở Y tế"].standards) == (1, [1, 0])
    assert coverage.total.people == 4 and coverage.total.standards == [3, 1]

    drill = {row.unit.name: row for row in coverage_by_unit(parent=unit_a, group="it_basic").rows}
    assert (drill["Sở Nội vụ"].people, drill["Phòng Công chức, viên chức"].people) == (2, 1)


def test_coverage_is_a_constant_number_of_queries(province, people, make_person, unit_b):
    with CaptureQueriesContext(connection) as few:
        coverage_by_unit(group="it_basic")
    for index in range(5):
        give(make_person(unit=unit_b), BASIC)
    with CaptureQueriesContext(connection) as more:
        coverage_by_unit(group="it_basic")
    assert len(more.captured_queries) == len(few.captured_queries)


def test_an_expired_record_does_not_count(province, make_person, unit_b):
    from certification.models import Competency

    Competency.objects.filter(code="IU06").update(validity_months=12)
    person = make_person(unit=unit_b)
    give(person, BASIC, achieved_on=datetime.date(2020, 1, 1))
    coverage = coverage_by_unit(group="it_basic")
    assert coverage.total.standards[0] == 0
    assert coverage.total.competencies[5] == 0 and coverage.total.competencies[0] == 1


def test_coverage_page_is_for_home_affairs(mfa_client, make_person, province, people, client):
    home_affairs = make_person(unit=province, roles=[Role.HOME_AFFAIRS])
    page = mfa_client(home_affairs.user).get(reverse("certification:coverage"))
    assert page.status_code == 200
    assert "Sở Y tế" in page.content.decode()
    client.force_login(people["basic"].user)
    assert client.get(reverse("certification:coverage")).status_code == 403
