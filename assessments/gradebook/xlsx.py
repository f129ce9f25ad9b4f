"""The gradebook as an XLSX workbook: the course title and the generation time, one header row, then
one row per learner. Written with openpyxl's write-only mode, a batch of rows at a time, so memory
stays flat however large the course."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from io import BytesIO

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from courses.choices import EnrolmentStatus

from lms.spreadsheets import safe_cell

from .selectors import Column, GradebookScope, gradebook_columns, gradebook_enrolments, gradebook_rows, lessons_total

BATCH = 500
def header(columns: list[Column]) -> list[str]:
    return [
        _("Full name"), _("Employee code"), _("Unit"), _("Enrolment status"), _("Completed on"),
        *[column.heading for column in columns],
        _("Lessons completed"), _("Required lessons"), _("Course completed"),
    ]


def _cell_value(cell):
    if cell.percent is None:
        return ""
    if cell.awaiting:
        return _("Awaiting grading (provisional %(percent)s%%)") % {"percent": cell.percent}
    return cell.percent


def row_values(row, total: int) -> list:
    enrolment = row.enrolment
    person = enrolment.person
    completed = enrolment.status == EnrolmentStatus.COMPLETED
    return [
        person.full_name, person.employee_code, str(person.unit) if person.unit_id else "",
        str(enrolment.get_status_display()),
        timezone.localtime(enrolment.completed_at).strftime("%d/%m/%Y") if enrolment.completed_at else "",
        *[_cell_value(cell) for cell in row.cells],
        enrolment.lessons_done, total, _("Yes") if completed else _("No"),
    ]


def _rows(scope: GradebookScope, columns: list[Column], *, query: str, unit_id: str) -> Iterator[list]:
    total = lessons_total(scope.course)
    enrolments = gradebook_enrolments(scope, query=query, unit_id=unit_id)
    last_key = None
    # Keyset batches on (name, id): each batch is one query for the rows and one per activity kind.
    while True:
        batch = enrolments if last_key is None else enrolments.filter(_after(*last_key))
        batch = list(batch[:BATCH])
        if not batch:
            return
        for row in gradebook_rows(batch, columns):
            yield row_values(row, total)
        last_key = (batch[-1].person.full_name, batch[-1].pk)


def _after(name: str, pk: int) -> Q:
    return Q(person__full_name__gt=name) | Q(person__full_name=name, pk__gt=pk)


def gradebook_workbook(scope: GradebookScope, *, query: str = "", unit_id: str = "",
                       generated_at: datetime.datetime | None = None) -> bytes:
    """The workbook's bytes for the rows the scope shows (with the page's search and unit filter)."""
    generated_at = generated_at or timezone.now()
    columns = gradebook_columns(scope.course)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Gradebook")[:31])
    title = WriteOnlyCell(sheet, value=safe_cell(scope.course.title))
    title.font = Font(bold=True, size=13)
    sheet.append([title])
    when = date_format(timezone.localtime(generated_at), "DATETIME_FORMAT")
    sheet.append([_("Generated at %(when)s") % {"when": when}])
    bold = []
    for text in header(columns):
        cell = WriteOnlyCell(sheet, value=safe_cell(text))
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for values in _rows(scope, columns, query=query, unit_id=unit_id):
        sheet.append([safe_cell(value) for value in values])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
