"""Roster import, the rows: dry run, outcomes and reasons, confirmation in one transaction, invitations."""

import datetime
import io
import re
from urllib.parse import urlsplit

import openpyxl

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from organisations.roster import check_rows, services
from organisations.roster.columns import COLUMN_KEYS, EXAMPLE_ROW
from organisations.tasks import send_invitations
from organisations.models import (
    Audience,
    Gender,
    ITQualification,
    Person,
    RosterImport,
    StaffCategory,
    UnitKind,
)
from tests.factories import UserFactory, make_unit
from tests.helpers import login_with_totp
from tests.organisations.roster_files import csv_bytes, in_english, staff_row, upload_ok, xlsx_bytes

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def officer_client(mfa_client, officer_a):
    return in_english(mfa_client(officer_a.user))


def preview_page(client, roster_import, **params) -> str:
    return client.get(reverse("organisations:roster_preview", args=[roster_import.pk]), params).content.decode()


def apply(client, roster_import, capture):
    with capture(execute=True):
        response = client.post(reverse("organisations:roster_apply", args=[roster_import.pk]))
    assert response.status_code == 302
    roster_import.refresh_from_db()
    return response


def outcomes(roster_import) -> dict[str, str]:
    return {row["values"]["employee_code"]: row["outcome"] for row in roster_import.rows}


def reasons(client, roster_import) -> str:
    return preview_page(client, roster_import, outcome="reject")


def check_one(officer, **cells):
    """Check a single row directly, as the file reader hands it over (cell texts)."""
    values = {key: str(value) for key, value in staff_row("NV1100", **cells).items()}
    [row] = check_rows([(2, values)], uploader=officer.user, scope_unit=officer.unit)
    return row


def with_email(person, email: str, *, activated: bool = True):
    person.user.email = email
    if not activated:
        person.user.set_unusable_password()
    person.user.save()
    return person


def test_a_valid_xlsx_creates_people_and_invites_them(
    officer_client, officer_a, unit_a_child, mailoutbox, django_capture_on_commit_callbacks
):
    content = xlsx_bytes(
        [
            staff_row("NV100", staff_category="Công chức", is_leader="x", gender="Nữ", it_qualification="Đại học"),
            staff_row(
                "NV101",
                unit_code="NA-SNV-CCVC",
                staff_category="cong chuc",
                audience="Dedicated IT staff",
                is_cio="có",
                gender="male",
                birth_year="",
                phone=912345678,
            ),
            staff_row("NV102", staff_category="cong_chuc", audience="LEADER_CIO", is_leader="Yes", is_cio=1),
        ]
    )
    roster_import = upload_ok(officer_client, content)
    assert (roster_import.created_count, roster_import.rejected_count) == (3, 0)
    assert roster_import.scope_unit == officer_a.unit
    assert not Person.objects.filter(employee_code__startswith="NV1").exists()

    response = apply(officer_client, roster_import, django_capture_on_commit_callbacks)
    assert response["Location"] == reverse("organisations:roster_preview", args=[roster_import.pk])
    assert roster_import.status == RosterImport.Status.APPLIED and roster_import.rows == []

    first, second, third = Person.objects.filter(employee_code__startswith="NV1").order_by("employee_code")
    assert (first.full_name, first.unit, first.staff_category) == ("Nguyễn Văn NV100", officer_a.unit, "cong_chuc")
    assert (first.is_leader, first.is_cio, first.gender, first.birth_year) == (True, False, Gender.FEMALE, 1988)
    assert first.it_qualification == ITQualification.BACHELOR and first.phone == "0912 345 678"
    assert (second.unit, second.audience, second.is_cio, second.gender) == (
        unit_a_child,
        Audience.IT_STAFF,
        True,
        Gender.MALE,
    )
    assert second.birth_year is None and second.phone == "0912345678"  # Excel's lost leading zero is back
    assert (third.audience, third.is_leader, third.is_cio) == (Audience.LEADER_CIO, True, True)

    user = first.user
    assert user.username == "NV100" and user.email == "nv100@nghean.gov.vn"
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [Role.LEARNER]
    address = EmailAddress.objects.get(user=user)
    assert address.primary and address.email == user.email

    assert sorted(message.to[0] for message in mailoutbox) == [
        "nv100@nghean.gov.vn",
        "nv101@nghean.gov.vn",
        "nv102@nghean.gov.vn",
    ]
    assert not Person.objects.filter(employee_code__startswith="NV1", invited_at__isnull=True).exists()


def test_the_invitation_link_sets_a_password_and_the_person_logs_in(
    officer_client, mailoutbox, django_capture_on_commit_callbacks
):
    roster_import = upload_ok(officer_client, csv_bytes([staff_row("NV200")]), "moi.csv")
    apply(officer_client, roster_import, django_capture_on_commit_callbacks)
    [message] = mailoutbox
    assert "NV200" in message.body
    link = re.search(r"https?://\S+/password/reset/key/\S+", message.body).group(0)

    newcomer = Client()
    form_page = newcomer.get(urlsplit(link).path, follow=True)
    assert form_page.status_code == 200 and b'name="password1"' in form_page.content
    password = "Hoc-tin-hoc-moi-ngay-2026"
    done = newcomer.post(form_page.redirect_chain[-1][0], {"password1": password, "password2": password})
    assert done.status_code == 302
    assert User.objects.get(username="NV200").check_password(password)

    login = newcomer.post(reverse("account_login"), {"login": "NV200", "password": password})
    assert login.status_code == 302
    assert newcomer.get(reverse("organisations:profile")).status_code == 200
    assert int(newcomer.session["_auth_user_id"]) == User.objects.get(username="NV200").pk
    # The link works once.
    assert b'name="password1"' not in Client().get(urlsplit(link).path, follow=True).content


def test_the_preview_changes_nothing(officer_client, make_person, unit_a):
    existing = make_person(unit=unit_a, employee_code="NV300", full_name="Tên Cũ", position="Chuyên viên")
    counts = (User.objects.count(), Person.objects.count(), EmailAddress.objects.count())
    content = xlsx_bytes([staff_row("NV300", full_name="Tên Mới", email=existing.user.email), staff_row("NV301")])
    roster_import = upload_ok(officer_client, content)
    assert (roster_import.created_count, roster_import.updated_count) == (1, 1)
    preview_page(officer_client, roster_import)
    assert (User.objects.count(), Person.objects.count(), EmailAddress.objects.count()) == counts
    existing.refresh_from_db()
    assert existing.full_name == "Tên Cũ"


def test_bad_rows_are_rejected_with_reasons_naming_the_column(officer_client, unit_a, unit_b):
    closed = make_unit("Phòng đã giải thể", parent=unit_a, kind=UnitKind.SUB_UNIT, code="NA-CU")
    closed.valid_to = datetime.date(2025, 6, 30)
    closed.save()
    rows = [
        staff_row("NV400", birth_year=1890),
        staff_row("NV401", phone="gọi cho tôi"),
        staff_row("NV402", unit_code="KHONG-CO"),
        staff_row("NV403", staff_category="thợ lặn"),
        staff_row("NV404", is_leader="có lẽ"),
        staff_row("NV405", email="khong-phai-email"),
        staff_row("NV406", full_name=""),
        staff_row("NV407", audience="Nông dân"),
        staff_row("NV408", email=""),
        staff_row("mã sai!"),
        staff_row("NV410", unit_code="NA-SYT"),
        staff_row("NV411", unit_code="NA-CU"),
        staff_row("NV412"),
    ]
    roster_import = upload_ok(officer_client, xlsx_bytes(rows))
    assert (roster_import.rejected_count, roster_import.created_count) == (12, 1)
    page = reasons(officer_client, roster_import)
    for text in [
        "birth_year: “1890” is not a year between 1920 and 2020.",
        "phone: “gọi cho tôi” is not a phone number.",
        "unit_code: no unit has the code “KHONG-CO”.",
        "staff_category: “thợ lặn” is not one of Official (cán bộ) (can_bo); Civil servant (công chức) (cong_chuc);"
        " Public employee (viên chức) (vien_chuc); Contract staff (contract); Not a state employee (non_state).",
        "is_leader: “có lẽ” is neither yes",
        "email: “khong-phai-email” is not an e-mail address.",
        "full_name: this column is required.",
        "audience: farmers and residents register themselves",
        "email: required for a new person",
        "employee_code: “mã sai!” is not an employee code",
        "unit_code: the unit “NA-SYT” is not one of your units.",
        "unit_code: the unit “NA-CU” has closed.",
    ]:
        assert text in page, text
    assert "NV412" not in page


def test_a_row_gets_every_reason_at_once(officer_client):
    roster_import = upload_ok(officer_client, xlsx_bytes([staff_row("NV500", birth_year=3000, phone="abc")]))
    [row] = roster_import.rows
    assert {reason["code"] for reason in row["reasons"]} == {"invalid_year", "invalid_phone"}


def test_duplicate_codes_and_emails_reject_the_later_rows(officer_client):
    rows = [
        staff_row("NV600"),
        staff_row("NV601", email="chung@nghean.gov.vn"),
        staff_row("nv600", email="khac@nghean.gov.vn"),
        staff_row("NV603", email="CHUNG@nghean.gov.vn"),
    ]
    roster_import = upload_ok(officer_client, xlsx_bytes(rows))
    assert outcomes(roster_import) == {"NV600": "create", "NV601": "create", "nv600": "reject", "NV603": "reject"}
    page = reasons(officer_client, roster_import)
    assert "employee_code: the same employee code as row 2." in page
    assert "email: the same e-mail address as row 3." in page


def test_reimporting_the_same_file_changes_nothing(officer_client, django_capture_on_commit_callbacks, mailoutbox):
    content = xlsx_bytes([staff_row("NV700", is_leader="x"), staff_row("NV701", unit_code="", gender="")])
    apply(officer_client, upload_ok(officer_client, content), django_capture_on_commit_callbacks)
    before = {p.pk: p.updated_at for p in Person.objects.filter(employee_code__in=["NV700", "NV701"])}
    sent = len(mailoutbox)

    again = upload_ok(officer_client, content)
    assert outcomes(again) == {"NV700": "unchanged", "NV701": "unchanged"}
    apply(officer_client, again, django_capture_on_commit_callbacks)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)
    assert {p.pk: p.updated_at for p in Person.objects.filter(employee_code__in=["NV700", "NV701"])} == before
    assert len(mailoutbox) == sent


def test_a_changed_row_updates_the_person_found_by_employee_code(
    officer_client, make_person, unit_a, unit_a_child, django_capture_on_commit_callbacks
):
    person = make_person(
        unit=unit_a_child,
        employee_code="NV800",
        full_name="Lê Thị Cũ",
        position="Chuyên viên",
        staff_category=StaffCategory.VIEN_CHUC,
        is_leader=True,
        phone="0238 384 4000",
    )
    row = staff_row(
        "NV800",
        full_name="Lê Thị Mới",
        email=person.user.email,
        unit_code="NA-SNV",
        position="",  # blank keeps the recorded position
        staff_category="Công chức",
        is_leader="",  # blank means "no" for the flags
        phone="",
        gender="",
        it_qualification="",
        birth_year="",
    )
    roster_import = upload_ok(officer_client, xlsx_bytes([row]))
    assert outcomes(roster_import) == {"NV800": "update"}
    page = preview_page(officer_client, roster_import, outcome="update")
    assert "Lê Thị Cũ → Lê Thị Mới" in page
    assert f"{unit_a_child.name} → {unit_a.name}" in page
    assert "Public employee (viên chức) → Civil servant (công chức)" in page
    assert "yes → no" in page
    changed = {change["field"] for change in roster_import.rows[0]["changes"]}
    assert changed == {"full_name", "unit_code", "staff_category", "is_leader"}

    apply(officer_client, roster_import, django_capture_on_commit_callbacks)
    person.refresh_from_db()
    assert (person.full_name, person.unit, person.staff_category) == ("Lê Thị Mới", unit_a, StaffCategory.CONG_CHUC)
    assert (person.position, person.is_leader, person.phone) == ("Chuyên viên", False, "0238 384 4000")
    assert roster_import.updated_count == 1


def test_blank_unit_code_keeps_existing_people_in_their_unit(officer_client, make_person, unit_a_child):
    person = make_person(unit=unit_a_child, employee_code="NV810")
    row = staff_row("NV810", full_name=person.full_name, email=person.user.email, unit_code="")
    roster_import = upload_ok(officer_client, xlsx_bytes([row]))
    assert not any(change["field"] == "unit_code" for change in roster_import.rows[0]["changes"])


def test_people_and_units_outside_the_subtree_are_rejected_without_details(officer_client, make_person, unit_b):
    stranger = make_person(unit=unit_b, employee_code="NV900", full_name="Hoàng Văn Bí Mật", phone="0999 888 777")
    rows = [
        staff_row("NV900", full_name="Tên Khác", email="khac@nghean.gov.vn"),
        staff_row("NV901", unit_code="NA-SYT"),
    ]
    roster_import = upload_ok(officer_client, xlsx_bytes(rows))
    assert outcomes(roster_import) == {"NV900": "reject", "NV901": "reject"}
    page = reasons(officer_client, roster_import)
    assert "employee_code: this employee code belongs to a person outside your units." in page
    for secret in (stranger.full_name, stranger.user.email, unit_b.name, "0999 888 777"):
        assert secret not in page
    assert roster_import.rows[0]["changes"] == [] and roster_import.rows[0]["unit"] == ""


def test_an_email_or_code_of_another_account_is_rejected(officer_client, make_person, unit_b):
    with_email(make_person(unit=unit_b), "da-dung@nghean.gov.vn")
    UserFactory(username="QUANTRI")
    rows = [staff_row("NV950", email="Da-Dung@nghean.gov.vn"), staff_row("quantri")]
    roster_import = upload_ok(officer_client, xlsx_bytes(rows))
    assert outcomes(roster_import) == {"NV950": "reject", "quantri": "reject"}
    page = reasons(officer_client, roster_import)
    assert "email: this e-mail address is already used by another account." in page
    assert "employee_code: this code is already the login name of another account." in page


def test_the_template_example_row_is_not_imported(officer_client):
    example = dict(EXAMPLE_ROW)
    roster_import = upload_ok(officer_client, xlsx_bytes([example, staff_row("NV960")]))
    assert outcomes(roster_import) == {"MAU-0001": "reject", "NV960": "create"}
    assert "This is the example row of the template: delete it." in reasons(officer_client, roster_import)


def test_the_preview_is_paginated_and_filtered_by_outcome(officer_client, settings):
    rows = [staff_row(f"NV{n:04d}") for n in range(60)] + [staff_row("NV0000")]
    roster_import = upload_ok(officer_client, xlsx_bytes(rows))
    first = preview_page(officer_client, roster_import)
    assert "NV0049" in first and "NV0050" not in first and "Page 1 of 2" in first
    assert "NV0050" in preview_page(officer_client, roster_import, page=2)
    rejected = preview_page(officer_client, roster_import, outcome="reject")
    assert "the same employee code as row 2" in rejected and "NV0001" not in rejected


def test_apply_checks_again_what_changed_since_the_preview(
    officer_client, make_person, unit_b, django_capture_on_commit_callbacks
):
    roster_import = upload_ok(officer_client, xlsx_bytes([staff_row("NV970"), staff_row("NV971")]))
    assert roster_import.created_count == 2
    with_email(make_person(unit=unit_b), "nv971@nghean.gov.vn")
    apply(officer_client, roster_import, django_capture_on_commit_callbacks)
    assert (roster_import.created_count, roster_import.rejected_count) == (1, 1)
    imported = Person.objects.filter(employee_code__in=["NV970", "NV971"])
    assert list(imported.values_list("employee_code", flat=True)) == ["NV970"]


def test_apply_is_all_or_nothing(
    officer_client, make_person, unit_a, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    make_person(unit=unit_a, employee_code="NV980", full_name="Trước")
    content = xlsx_bytes([staff_row("NV981"), staff_row("NV980", full_name="Sau", email="")])
    roster_import = upload_ok(officer_client, content)
    assert (roster_import.created_count, roster_import.updated_count) == (1, 1)
    counts = (User.objects.count(), Person.objects.count(), EmailAddress.objects.count())

    def fail_midway(rows, *, now):
        raise IntegrityError("simulated failure after the new people were written")

    monkeypatch.setattr(services, "_update_people", fail_midway)
    apply(officer_client, roster_import, django_capture_on_commit_callbacks)
    assert (User.objects.count(), Person.objects.count(), EmailAddress.objects.count()) == counts
    assert Person.objects.get(employee_code="NV980").full_name == "Trước"
    assert roster_import.status == RosterImport.Status.PREVIEWED and len(roster_import.rows) == 2
    assert mailoutbox == []
    page = preview_page(officer_client, roster_import)
    assert "nothing was changed" in page


def test_discard_keeps_people_data_and_drops_the_rows(officer_client, django_capture_on_commit_callbacks):
    roster_import = upload_ok(officer_client, xlsx_bytes([staff_row("NV990")]))
    response = officer_client.post(reverse("organisations:roster_discard", args=[roster_import.pk]))
    assert response.status_code == 302
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.DISCARDED and roster_import.rows == []
    apply(officer_client, roster_import, django_capture_on_commit_callbacks)
    assert roster_import.status == RosterImport.Status.DISCARDED
    assert not Person.objects.filter(employee_code="NV990").exists()


def test_the_confirmation_step_states_the_counts_and_posts_with_csrf(officer_client, officer_a, make_person, unit_a):
    make_person(unit=unit_a, employee_code="NV995")
    roster_import = upload_ok(officer_client, xlsx_bytes([staff_row("NV996"), staff_row("NV997"), staff_row("NV995")]))
    page = officer_client.get(reverse("organisations:roster_apply", args=[roster_import.pk])).content.decode()
    assert "2 new people will be created" in page and "1 person will be updated" in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert not Person.objects.filter(employee_code="NV996").exists()
    csrf_client = Client(enforce_csrf_checks=True)
    login_with_totp(csrf_client, officer_a.user)
    assert csrf_client.post(reverse("organisations:roster_apply", args=[roster_import.pk])).status_code == 403


def test_email_of_a_person_not_yet_activated_is_corrected_and_invited_again(
    officer_client, make_person, unit_a, mailoutbox, django_capture_on_commit_callbacks
):
    waiting = with_email(make_person(unit=unit_a, employee_code="NV1000"), "go-sai@nghean.gov.vn", activated=False)
    active = with_email(make_person(unit=unit_a, employee_code="NV1001"), "cua-toi@nghean.gov.vn")
    rows = [
        staff_row("NV1000", full_name=waiting.full_name, email="dung@nghean.gov.vn"),
        staff_row("NV1001", full_name=active.full_name, email="cu@nghean.gov.vn"),
    ]
    blank = ("staff_category", "gender", "it_qualification", "birth_year", "phone", "position")
    rows = [dict(row, **dict.fromkeys(blank, "")) for row in rows]
    roster_import = upload_ok(officer_client, xlsx_bytes(rows))
    assert outcomes(roster_import) == {"NV1000": "update", "NV1001": "unchanged"}
    assert "manages their own e-mail address" in preview_page(officer_client, roster_import)

    apply(officer_client, roster_import, django_capture_on_commit_callbacks)
    waiting.user.refresh_from_db()
    active.user.refresh_from_db()
    assert waiting.user.email == "dung@nghean.gov.vn" and active.user.email == "cua-toi@nghean.gov.vn"
    addresses = EmailAddress.objects.filter(user=waiting.user)
    assert list(addresses.values_list("email", flat=True)) == ["dung@nghean.gov.vn"]
    assert [message.to for message in mailoutbox] == [["dung@nghean.gov.vn"]]


def test_checking_costs_the_same_number_of_queries_for_5_or_200_rows(officer_a, unit_a_child):
    def check(count):
        rows = [(n + 2, staff_row(f"NV{n:05d}", unit_code="NA-SNV-CCVC", birth_year="1990")) for n in range(count)]
        rows = [(number, {key: str(value) for key, value in values.items()}) for number, values in rows]
        return check_rows(rows, uploader=officer_a.user, scope_unit=officer_a.unit)

    check(1)  # the officer's roles are read once, then remembered on the user object
    with CaptureQueriesContext(connection) as small:
        check(5)
    with CaptureQueriesContext(connection) as large:
        check(200)
    assert len(large) == len(small) <= 12


@pytest.mark.parametrize(
    "text, value",
    [
        ("Công chức", StaffCategory.CONG_CHUC),
        ("cong chuc", StaffCategory.CONG_CHUC),
        ("CONG_CHUC", StaffCategory.CONG_CHUC),
        ("Civil servant (công chức)", StaffCategory.CONG_CHUC),
        ("Viên chức", StaffCategory.VIEN_CHUC),
        ("cán bộ", StaffCategory.CAN_BO),
        ("Hợp đồng", StaffCategory.CONTRACT),
    ],
)
def test_choice_cells_accept_values_and_labels_with_or_without_diacritics(officer_a, text, value):
    row = check_one(officer_a, staff_category=text)
    assert row.outcome == "create" and row.cleaned["staff_category"] == value


@pytest.mark.parametrize("text", ["x", "X", "có", "co", "Yes", "true", "1"])
def test_yes_cells(officer_a, text):
    assert check_one(officer_a, is_cio=text).cleaned["is_cio"] is True


@pytest.mark.parametrize("text", ["", "không", "khong", "No", "false", "0"])
def test_no_cells(officer_a, text):
    assert check_one(officer_a, is_cio=text).cleaned["is_cio"] is False


def test_the_invitation_task_is_idempotent(officer_client, mailoutbox, django_capture_on_commit_callbacks):
    roster_import = upload_ok(officer_client, xlsx_bytes([staff_row("NV1400")]))
    apply(officer_client, roster_import, django_capture_on_commit_callbacks)
    person = Person.objects.get(employee_code="NV1400")
    assert person.invited_at is not None and len(mailoutbox) == 1
    assert send_invitations.delay([person.pk]).get() == 0
    assert len(mailoutbox) == 1


def test_the_template_is_a_workbook_with_the_officers_units(officer_client, unit_a, unit_a_child, unit_b):
    response = officer_client.get(reverse("organisations:roster_template"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    staff, units, columns = workbook.worksheets
    assert [cell.value for cell in staff[1]] == list(COLUMN_KEYS)
    assert staff["A1"].comment is not None and "Employee code" in staff["A1"].comment.text
    assert staff.data_validations.dataValidation
    unit_codes = [row[0] for row in units.iter_rows(min_row=2, values_only=True)]
    assert unit_codes == ["NA-SNV", "NA-SNV-CCVC"]
    assert "NA-SYT" not in unit_codes

    # The template itself, filled in, imports; its example row is refused.
    staff.append(["NV1500", "Đặng Thị Mẫu", "nv1500@nghean.gov.vn", "NA-SNV-CCVC", "", "Viên chức"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    roster_import = upload_ok(officer_client, buffer.getvalue())
    assert outcomes(roster_import) == {"MAU-0001": "reject", "NV1500": "create"}


def test_units_sheet_of_a_site_admin_lists_the_province(mfa_client, make_person, unit_a, unit_b, province):
    admin = make_person(unit=unit_b, roles=[Role.SITE_ADMIN])
    make_unit("Xã Không Mã", parent=province, kind=UnitKind.COMMUNE)
    response = mfa_client(admin.user).get(reverse("organisations:roster_template"))
    units = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[1]
    assert [row[0] for row in units.iter_rows(min_row=2, values_only=True)] == ["40", "NA-SNV", "NA-SYT"]


def test_rows_accepted_by_the_check_pass_the_models_own_validation(officer_a, unit_a_child):
    """New people are written without a per-object full_clean(): the check must be as strict as the models."""
    longest = {
        "employee_code": "N" + "v" * 31,
        "full_name": "Ễ" * 150,
        "email": ("a" * 64) + "@" + ("b" * 60) + ".example.com",
        "unit_code": unit_a_child.code,
        "position": "Ở" * 150,
        "phone": "+" + "9" * 19,
        "birth_year": "1920",
    }
    for cells in (longest, {"phone": "0912.345-678", "birth_year": "2020", "is_leader": "x", "is_cio": "có"}):
        row = check_one(officer_a, **cells)
        assert row.outcome == "create", row.reasons
        user = User(username=row.cleaned["employee_code"], email=row.cleaned["email"])
        user.set_unusable_password()
        user.full_clean(validate_unique=False, validate_constraints=False)
        fields = {name: row.cleaned[name] for name in services.UPDATABLE_FIELDS if name in row.cleaned}
        person = Person(user=user, employee_code=row.cleaned["employee_code"], unit=row.unit, **fields)
        person.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)


def test_a_phone_longer_than_the_field_is_rejected_with_a_reason(officer_a):
    row = check_one(officer_a, phone="+" + "9" * 20)
    assert row.outcome == "reject"
    assert row.reasons == [{"code": "too_long", "column": "phone", "max": 20}]


def test_new_accounts_get_an_unusable_password_without_hashing(
    officer_client, monkeypatch, django_capture_on_commit_callbacks
):
    import django.contrib.auth.hashers as hashers

    def no_hashing(*args, **kwargs):
        raise AssertionError("a password was hashed for an imported person")

    monkeypatch.setattr(hashers, "get_hasher", no_hashing)
    roster_import = upload_ok(officer_client, xlsx_bytes([staff_row("NV1200"), staff_row("NV1201")]))
    apply(officer_client, roster_import, django_capture_on_commit_callbacks)
    users = User.objects.filter(username__in=["NV1200", "NV1201"])
    assert len(users) == 2 and not any(user.has_usable_password() for user in users)
    assert len({user.password for user in users}) == 2


def test_an_account_taking_a_login_name_during_the_write_leaves_nothing_written(
    officer_client, officer_a, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    from organisations.roster import RosterConflict

    roster_import = upload_ok(officer_client, xlsx_bytes([staff_row("NV1300"), staff_row("NV1301")]))
    real_check_rows = services.check_rows

    def check_then_race(*args, **kwargs):
        checked = real_check_rows(*args, **kwargs)
        UserFactory(username="NV1301")  # another request wins the login name after the check
        return checked

    monkeypatch.setattr(services, "check_rows", check_then_race)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RosterConflict):
        services.roster_import_apply(roster_import=roster_import, user=officer_a.user)
    assert not User.objects.filter(username__in=["NV1300", "NV1301"]).exists()
    assert not Person.objects.filter(employee_code__in=["NV1300", "NV1301"]).exists()
    assert not EmailAddress.objects.filter(email="nv1300@nghean.gov.vn").exists()
    assert mailoutbox == []


def test_a_name_of_invisible_characters_or_a_phone_without_digits_is_rejected(officer_client):
    rows = [staff_row("NV970", full_name="\u200b\u200c"), staff_row("NV971", phone="........"),
            staff_row("NV972")]
    roster_import = upload_ok(officer_client, xlsx_bytes(rows))
    assert outcomes(roster_import) == {"NV970": "reject", "NV971": "reject", "NV972": "create"}
    page = reasons(officer_client, roster_import)
    assert "full_name: shows nothing (only invisible characters)." in page
    assert "phone: “........” is not a phone number." in page
