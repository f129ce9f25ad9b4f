"""The XLSX template officers fill in for a roster import, with the units they may import into."""

import io

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from lms.spreadsheets import safe_row

from ..models import OrganisationUnit
from ..selectors import units_managed_by
from .columns import BOOLEAN_COLUMNS, CHOICE_COLUMNS, COLUMNS, EXAMPLE_ROW, REQUIRED_COLUMNS, importable_choices

# Rows of the staff sheet that get drop-down lists.
_VALIDATED_ROWS = 5000
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
_EXAMPLE_FONT = Font(italic=True, color="6B7280")
# Cells Excel must keep as text: codes and phone numbers lose their leading zeros as numbers.
_TEXT_COLUMNS = ("employee_code", "unit_code", "phone")


def _list_validation(sheet, column_index: int, formula: str, prompt: str) -> None:
    # Lenient: the list offers the usual values, and labels such as "Công chức" may still be typed.
    validation = DataValidation(
        type="list", formula1=formula, allow_blank=True, showErrorMessage=False, showInputMessage=True
    )
    validation.prompt = prompt[:255]
    letter = get_column_letter(column_index)
    validation.add(f"{letter}2:{letter}{_VALIDATED_ROWS}")
    sheet.add_data_validation(validation)


def _units_sheet(workbook: Workbook, units: list[OrganisationUnit]):
    sheet = workbook.create_sheet(_("Units")[:31])
    sheet.append(["unit_code", _("Unit"), _("Kind")])
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for unit in units:
        sheet.append(safe_row([unit.code, unit.name, unit.get_kind_display()]))
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 40
    sheet.freeze_panes = "A2"
    return sheet


def _columns_sheet(workbook: Workbook) -> None:
    sheet = workbook.create_sheet(_("Columns")[:31])
    sheet.append([_("Column"), _("Meaning"), _("Required"), _("Accepted values"), _("Notes")])
    for cell in sheet[1]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for column in COLUMNS:
        if column.key in CHOICE_COLUMNS:
            accepted = "; ".join(
                f"{value} ({CHOICE_COLUMNS[column.key](value).label})" for value in importable_choices(column.key)
            )
        elif column.key in BOOLEAN_COLUMNS:
            accepted = _("x, có, yes, 1 / blank, không, no, 0")
        else:
            accepted = ""
        required = _("yes") if column.key in REQUIRED_COLUMNS else ""
        sheet.append([column.key, str(column.label), required, accepted, str(column.note)])
    sheet.append([])
    sheet.append(
        [
            _(
                "Keep the first row of the first sheet as it is. Choice columns accept the value or its label, "
                "with or without diacritics. For people already recorded, blank cells keep the current value, "
                "except the leader and CIO columns, where blank means no. Delete the example row before uploading."
            )
        ]
    )
    for letter, width in zip("ABCDE", (18, 28, 10, 70, 70)):
        sheet.column_dimensions[letter].width = width


def roster_template_workbook(*, user) -> bytes:
    """The template as XLSX bytes: header of column keys (labels and notes as comments), an example row,
    drop-down lists, a sheet of the user's units with their codes and a sheet explaining the columns."""
    open_units = Q(valid_to__isnull=True) | Q(valid_to__gte=timezone.localdate())
    units = list(units_managed_by(user).exclude(code="").filter(open_units).order_by("path"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Staff")[:31]
    sheet.append([column.key for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        comment = Comment(f"{column.label}. {column.note}", "LMS")
        comment.width, comment.height = 300, 110
        cell.comment = comment
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(column.key) + 4)
        if column.key in _TEXT_COLUMNS:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.column_dimensions["B"].width = 28
    sheet.column_dimensions["C"].width = 30

    sheet.append([EXAMPLE_ROW[column.key] for column in COLUMNS])
    for cell in sheet[2]:
        cell.font = _EXAMPLE_FONT
        if COLUMNS[cell.column - 1].key in _TEXT_COLUMNS:
            cell.number_format = "@"
    sheet.freeze_panes = "A2"

    units_sheet = _units_sheet(workbook, units)
    for index, column in enumerate(COLUMNS, start=1):
        if column.key in CHOICE_COLUMNS:
            formula = '"{}"'.format(",".join(importable_choices(column.key)))
            _list_validation(sheet, index, formula, str(column.note))
        elif column.key in BOOLEAN_COLUMNS:
            _list_validation(sheet, index, '"có,không"', str(column.note))
        elif column.key == "unit_code" and units:
            formula = f"{quote_sheetname(units_sheet.title)}!$A$2:$A${len(units) + 1}"
            _list_validation(sheet, index, formula, str(column.note))
    _columns_sheet(workbook)

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
