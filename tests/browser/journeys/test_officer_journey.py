"""Journey 3 (issue 9), the unit training officer: the two-factor login, a staff list imported from the
template (one bad row refused with its reason and nothing written; the corrected file applied), a course
assigned to the unit's general civil servants with a due date, their progress, and a person of another
unit refused by URL."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from courses.choices import EnrolmentStatus
from courses.models import Assignment, Course, Enrolment
from organisations.models import Audience, Person
from tests.browser.journeys.conftest import axe_check, keyboard_check
from tests.cms.conftest import make_course  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAFF = [
    ("SNV-101", "Nguyễn Thị Hoa", "hoa.nt@snv.example.gov.vn", "NA-SNV", "Chuyên viên", "1988"),
    ("SNV-102", "Trần Văn Bình", "binh.tv@snv.example.gov.vn", "NA-SNV-CCVC", "Chuyên viên", "1979"),
    ("SNV-103", "Lê Thị Cúc", "cuc.lt@snv.example.gov.vn", "NA-SNV", "Trưởng phòng", "1975"),
]


def _roster(template: bytes, rows) -> bytes:
    """The downloaded template, its example row replaced by `rows`, as an officer fills it in."""
    workbook = openpyxl.load_workbook(io.BytesIO(template))
    sheet = workbook.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    sheet.delete_rows(2)
    for code, name, email, unit_code, position, birth_year in rows:
        values = {
            "employee_code": code, "full_name": name, "email": email, "unit_code": unit_code,
            "position": position, "birth_year": birth_year, "audience": Audience.GENERAL.value,
        }
        sheet.append([values.get(key, "") for key in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _upload(page, name: str, content: bytes):
    page.get_by_label("Danh sách cán bộ (.xlsx hoặc .csv)").set_input_files(
        {"name": name, "mimeType": XLSX, "buffer": content}
    )
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.wait_for_url("**/people/import/*/")


def test_unit_training_officer_imports_assigns_follows_and_is_refused_elsewhere(
    site_url, page, shot, log_in_with_totp, officer_a, unit_a, unit_a_child, unit_b, make_person, make_course
):
    course = make_course(title="Kỹ năng an toàn thông tin cơ bản", code="ATTT-01")
    stranger = make_person(unit=unit_b, full_name="Phạm Văn Khác")

    log_in_with_totp(page, officer_a.user, shot=shot)
    menu = page.get_by_role("navigation", name="Menu chính")
    assert menu.get_by_role("link", name="Nhập danh sách cán bộ").is_visible()
    shot("logged in with two factors")
    axe_check(page)
    keyboard_check(page)

    # The template, downloaded from the import page.
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Nhập danh sách cán bộ").click()
    axe_check(page)
    keyboard_check(page)
    shot("import page")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải về tệp mẫu (.xlsx)").click()
    template = open(download.value.path(), "rb").read()

    # One bad row: an e-mail address that is not one. The dry run names it; nothing is written.
    bad = list(STAFF)
    bad[1] = bad[1][:2] + ("binh.tv-at-snv",) + bad[1][3:]
    _upload(page, "danh-sach-snv.xlsx", _roster(template, bad))
    axe_check(page)
    keyboard_check(page)
    shot("dry run with a rejected row")
    rejected = page.locator("tr.row-reject")
    assert rejected.count() == 1
    assert rejected.locator("td").first.inner_text() == "3"  # the spreadsheet's row number
    assert "SNV-102" in rejected.inner_text() and "email" in rejected.inner_text().lower()
    assert not Person.objects.filter(employee_code__startswith="SNV-").exists()
    page.get_by_role("button", name="Hủy tệp này").click()
    page.wait_for_url("**/people/import/")
    assert not Person.objects.filter(employee_code__startswith="SNV-").exists()
    shot("discarded")

    # The corrected file: three new people, after the confirmation step.
    _upload(page, "danh-sach-snv-da-sua.xlsx", _roster(template, STAFF))
    assert page.locator("tr.row-reject").count() == 0 and page.locator("tr.row-create").count() == 3
    shot("dry run, all rows fine")
    page.get_by_role("link", name="Tiếp tục nhập…").click()
    axe_check(page)
    keyboard_check(page)
    shot("confirmation")
    page.get_by_role("button", name="Nhập ngay").click()
    page.wait_for_url("**/people/import/*/")
    axe_check(page)
    keyboard_check(page)
    shot("applied")
    assert set(Person.objects.filter(employee_code__startswith="SNV-").values_list("employee_code", flat=True)) == {
        code for code, *_ in STAFF
    }

    # The course, for the unit's general civil servants (sub-units included), due in a month.
    due = timezone.localdate() + datetime.timedelta(days=30)
    page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Phân công khóa học").click()
    axe_check(page)
    keyboard_check(page)
    page.get_by_label("Khóa học").select_option(label=str(Course.objects.get(page=course)))
    page.get_by_label("Đối tượng").select_option(Audience.GENERAL.value)
    page.get_by_label("Đơn vị").select_option(label=unit_a.name)
    page.get_by_label("Hạn hoàn thành").fill(due.isoformat())
    shot("assignment form")
    page.get_by_role("button", name="Tiếp tục").click()
    axe_check(page)
    keyboard_check(page)
    shot("assignment confirmation")
    general = Person.objects.filter(unit__path__startswith=unit_a.path, audience=Audience.GENERAL)
    assert general.count() == 4  # the three imported and the officer
    page.get_by_role("button", name="Phân công", exact=True).click()
    page.wait_for_url("**/assign/*/")
    axe_check(page)
    keyboard_check(page)
    assignments = Assignment.objects.filter(course__page=course)
    assert assignments.count() == 4 and {a.due_date for a in assignments} == {due}

    # Progress: one of them completes the course; the officer sees it, the others still in progress.
    hoa = Person.objects.get(employee_code="SNV-101")
    Enrolment.objects.filter(person=hoa, course__page=course).update(
        status=EnrolmentStatus.COMPLETED, completed_at=timezone.now()
    )
    page.reload()
    shot("progress of the assigned people")
    rows = {row.locator("td").first.inner_text(): row.inner_text() for row in page.locator("tbody tr").all()}
    assert "Đã hoàn thành" in rows["Nguyễn Thị Hoa"]
    assert "Đang học" in rows["Trần Văn Bình"]
    assert "Phạm Văn Khác" not in rows

    # Someone of another unit, by URL: the same "not found" as a person who does not exist.
    response = page.goto(f"{site_url}/people/{stranger.pk}/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Không tìm thấy trang").is_visible()
    assert "Phạm Văn Khác" not in page.content()
    axe_check(page)
    keyboard_check(page)
    shot("another unit's person: not found")
