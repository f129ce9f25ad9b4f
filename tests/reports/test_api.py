"""The statistics API: token scoping (as the web roles, URL guessing included), filters, pagination,
CSV export and the OpenAPI schema at its stable address."""

import csv
import io

import pytest
from django.core.management import call_command

from accounts.roles import Role
from reports.tokens import api_token_create
from reports.models import ApiToken
from reports.rollups import rollups_rebuild

from .conftest import YEAR

BASE = "/api/statistics/v1"
Q1 = {"period": "quarter", "year": YEAR, "number": 1}


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_openapi_schema_is_served_at_a_stable_address(client):
    schema = client.get(f"{BASE}/openapi.json").json()
    assert f"{BASE}/statistics" in schema["paths"] and f"{BASE}/statistics.csv" in schema["paths"]


def test_tokens_read_what_their_owner_reads(world, client):
    rollups_rebuild()
    _token, home_affairs = api_token_create(user=world.home_affairs_user, name="Cổng dữ liệu tỉnh")
    _token, officer = api_token_create(user=world.officer_user, name="Báo cáo đơn vị")
    assert ApiToken.objects.filter(key_hash__contains=home_affairs).count() == 0  # only the hash is stored

    assert client.get(f"{BASE}/statistics", Q1).status_code == 401
    assert client.get(f"{BASE}/statistics", Q1, **bearer("lms_not-a-token")).status_code == 401
    data = client.get(f"{BASE}/statistics", Q1, **bearer(home_affairs)).json()
    assert data["total"]["enrolled"] == 7 and data["live"] is True
    assert (data["total"]["pass_rate"], data["total"]["average_score"], data["total"]["quiz_attempts"]) == (60.0, 65.0, 5)
    assert (data["total"]["classes_held"], data["total"]["participant_times"], data["total"]["hours"]) == (1, 3, 14.5)
    assert data["count"] == 3

    mine = client.get(f"{BASE}/statistics", Q1, **bearer(officer)).json()
    assert mine["unit_id"] == world.units["a"].pk and mine["total"]["enrolled"] == 4
    for unit in (world.units["b"], world.province, world.units["c"]):
        assert client.get(f"{BASE}/statistics", {**Q1, "unit": unit.pk}, **bearer(officer)).status_code == 404
        assert client.get(f"{BASE}/statistics.csv", {**Q1, "unit": unit.pk}, **bearer(officer)).status_code == 404


def test_filters_pagination_and_csv(world, client):
    rollups_rebuild()
    _token, raw = api_token_create(user=world.home_affairs_user, name="x")
    page = client.get(f"{BASE}/statistics", {**Q1, "offset": 1, "limit": 1}, **bearer(raw)).json()
    assert page["count"] == 3 and len(page["rows"]) == 1
    women = client.get(f"{BASE}/statistics", {**Q1, "gender": "female"}, **bearer(raw)).json()
    assert women["total"]["enrolled"] == 3  # Bình, Dung, Giang (her December enrolment is outside Q1)
    bad = client.get(f"{BASE}/statistics", {"period": "custom", "start": "2026-05-01", "end": "2026-04-01"}, **bearer(raw))
    assert bad.status_code == 422
    response = client.get(f"{BASE}/statistics.csv", Q1, **bearer(raw))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {row["unit"] for row in rows} == {"Sở Nội vụ", "Sở Y tế", "Xã Hưng Nguyên"}
    assert sum(int(row["enrolled"]) for row in rows) == 7
    assert sum(int(row["quiz_attempts"]) for row in rows) == 5 and "pass_rate" in rows[0]


def test_revoked_tokens_and_roles_without_statistics(world, client, make_person, capsys):
    learner = make_person(unit=world.units["a"], roles=[Role.LEARNER]).user
    with pytest.raises(PermissionError):
        api_token_create(user=learner, name="x")
    call_command("reports_api_token", world.home_affairs_user.username, "--name", "Cổng dữ liệu")
    raw = capsys.readouterr().out.strip()
    assert client.get(f"{BASE}/statistics", Q1, **bearer(raw)).status_code == 200
    call_command("reports_api_token", world.home_affairs_user.username, "--revoke", raw[:8])
    assert client.get(f"{BASE}/statistics", Q1, **bearer(raw)).status_code == 401


def test_tokens_of_a_deactivated_user_are_refused(world, client):
    _token, raw = api_token_create(user=world.home_affairs_user, name="Cổng dữ liệu")
    assert client.get(f"{BASE}/statistics", Q1, **bearer(raw)).status_code == 200
    world.home_affairs_user.is_active = False
    world.home_affairs_user.save()
    assert client.get(f"{BASE}/statistics", Q1, **bearer(raw)).status_code == 401


def test_coverage_skill_levels_and_targets_with_their_csv(world, client):
    rollups_rebuild()
    _token, raw = api_token_create(user=world.home_affairs_user, name="x")
    _token, officer = api_token_create(user=world.officer_user, name="y")
    schema = client.get(f"{BASE}/openapi.json").json()
    for path in ("coverage", "coverage.csv", "skill-levels", "skill-levels.csv", "targets", "targets.csv"):
        assert f"{BASE}/{path}" in schema["paths"], path

    coverage = client.get(f"{BASE}/coverage", Q1, **bearer(raw)).json()
    basic = next(row for row in coverage["standards"] if row["code"] == "it_basic")
    assert basic["people"] == 1 and coverage["people"] > 0 and coverage["live"] is True
    rows = list(csv.DictReader(io.StringIO(client.get(f"{BASE}/coverage.csv", Q1, **bearer(raw)).content.decode())))
    assert {"kind": "standard", "code": "it_basic"}.items() <= next(r for r in rows if r["code"] == "it_basic").items()

    levels = client.get(f"{BASE}/skill-levels", Q1, **bearer(raw)).json()
    assert levels["people"] == 3
    iu01 = next(module for module in levels["modules"] if module["code"] == "IU01")
    assert iu01["levels"] == {"not_yet": 1, "basic": 0, "proficient": 1, "advanced": 1} and iu01["total"] == 3
    rows = list(csv.DictReader(io.StringIO(client.get(f"{BASE}/skill-levels.csv", Q1, **bearer(raw)).content.decode())))
    assert [row["module"] for row in rows] == ["IU01", "IU02", "IU03", "IU04", "IU05", "IU06"]
    assert client.get(f"{BASE}/skill-levels", Q1, **bearer(officer)).json()["people"] == 2

    targets = client.get(f"{BASE}/targets", {"year": YEAR}, **bearer(raw)).json()
    assert targets and {"indicator", "value", "target", "status"} <= set(targets[0])
    assert client.get(f"{BASE}/targets.csv", {"year": YEAR}, **bearer(raw))["Content-Type"].startswith("text/csv")

    for path in ("coverage", "coverage.csv", "skill-levels", "skill-levels.csv"):
        assert client.get(f"{BASE}/{path}", {**Q1, "unit": world.units["b"].pk}, **bearer(officer)).status_code == 404
    assert client.get(f"{BASE}/targets", {"year": YEAR}).status_code == 401


def test_the_csv_neutralises_unit_names_a_spreadsheet_would_run(world, client):
    from organisations.models import OrganisationUnit

    OrganisationUnit.objects.filter(name="Sở Y tế").update(name='=HYPERLINK("http://evil.example","Sở Y tế")')
    _token, raw = api_token_create(user=world.home_affairs_user, name="x")
    rows = list(csv.DictReader(io.StringIO(client.get(f"{BASE}/statistics.csv", Q1, **bearer(raw)).content.decode())))
    assert '\'=HYPERLINK("http://evil.example","Sở Y tế")' in {row["unit"] for row in rows}
    assert not [row for row in rows if row["unit"].startswith(("=", "+", "-", "@"))]
