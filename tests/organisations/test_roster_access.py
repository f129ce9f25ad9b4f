"""Roster import, who may do what: officers manage their own imports, Home Affairs only reads (403),
other officers cannot even see an import (404), site administrators may open and apply any."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from organisations.models import Person, RosterImport
from tests.organisations.roster_files import in_english, staff_row, upload, upload_ok, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_import(mfa_client, officer_a):
    roster_import = upload_ok(mfa_client(officer_a.user), xlsx_bytes([staff_row("NV100")]))
    mfa_client(officer_a.user).logout()
    return roster_import


def import_urls(roster_import) -> dict[str, str]:
    return {
        name: reverse(f"organisations:{name}", args=[roster_import.pk])
        for name in ("roster_preview", "roster_apply", "roster_discard")
    }


def test_another_officer_cannot_see_apply_or_discard_an_import(mfa_client, make_person, unit_b, pending_import):
    other = mfa_client(make_person(unit=unit_b, roles=[Role.UNIT_OFFICER]).user)
    urls = import_urls(pending_import)
    assert other.get(urls["roster_preview"]).status_code == 404
    assert other.get(urls["roster_apply"]).status_code == 404
    assert other.post(urls["roster_apply"]).status_code == 404
    assert other.post(urls["roster_discard"]).status_code == 404
    pending_import.refresh_from_db()
    assert pending_import.status == RosterImport.Status.PREVIEWED
    assert not Person.objects.filter(employee_code="NV100").exists()
    assert "NV100" not in other.get(reverse("organisations:roster_upload")).content.decode()


@pytest.mark.parametrize("role", [Role.HOME_AFFAIRS, Role.FARMER_COORDINATOR, Role.TRAINER])
def test_roles_that_do_not_manage_people_get_403(mfa_client, make_person, unit_a, pending_import, role):
    client = mfa_client(make_person(unit=unit_a, roles=[role]).user)
    assert client.get(reverse("organisations:roster_upload")).status_code == 403
    assert client.get(reverse("organisations:roster_template")).status_code == 403
    assert upload(client, xlsx_bytes([staff_row("NV200")])).status_code == 403
    urls = import_urls(pending_import)
    assert client.get(urls["roster_preview"]).status_code == 403
    assert client.post(urls["roster_apply"]).status_code == 403
    assert client.post(urls["roster_discard"]).status_code == 403
    assert RosterImport.objects.count() == 1


def test_a_learner_gets_403_and_a_visitor_is_sent_to_log_in(client, make_person, unit_a):
    assert client.get(reverse("organisations:roster_upload")).status_code == 302
    learner = make_person(unit=unit_a, roles=[Role.LEARNER])
    client.force_login(learner.user)
    assert client.get(reverse("organisations:roster_upload")).status_code == 403


def test_a_site_administrator_may_open_and_apply_an_officers_import(
    mfa_client, make_person, unit_b, officer_a, pending_import, django_capture_on_commit_callbacks, mailoutbox
):
    admin = mfa_client(make_person(unit=unit_b, roles=[Role.SITE_ADMIN]).user)
    urls = import_urls(pending_import)
    assert admin.get(urls["roster_preview"]).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert admin.post(urls["roster_apply"]).status_code == 302
    # The rows are checked in the uploader's scope: the new person joins the officer's unit.
    assert Person.objects.get(employee_code="NV100").unit == officer_a.unit
    assert len(mailoutbox) == 1


def test_an_officer_moved_since_the_preview_cannot_apply_it(mfa_client, officer_a, unit_b, pending_import):
    client = in_english(mfa_client(officer_a.user))
    officer_a.unit = unit_b
    officer_a.save()
    response = client.post(reverse("organisations:roster_apply", args=[pending_import.pk]), follow=True)
    assert "has changed since it was checked" in response.content.decode()
    pending_import.refresh_from_db()
    assert pending_import.status == RosterImport.Status.PREVIEWED
    assert not Person.objects.filter(employee_code="NV100").exists()


def test_apply_and_discard_refuse_get_and_other_methods(mfa_client, officer_a, pending_import):
    client = mfa_client(officer_a.user)
    urls = import_urls(pending_import)
    assert client.get(urls["roster_discard"]).status_code == 405
    assert client.put(urls["roster_apply"]).status_code == 405
