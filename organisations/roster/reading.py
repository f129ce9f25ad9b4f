"""Reading an uploaded staff list: size, format (XLSX or UTF-8 CSV), header, then the rows as text."""

import csv
import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any, Iterator

import openpyxl
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .columns import COLUMN_KEYS, REQUIRED_COLUMNS, fold, header_words
from .errors import RosterFileError

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .doc)
# A staff list of 20,000 rows is a few MB unpacked; far more is a zip bomb (openpyxl would hold it in memory).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
# Excel's last row: a sheet claiming rows beyond it would have the reader walk billions of empty rows.
EXCEL_MAX_ROWS = 1_048_576


@dataclass
class RosterFile:
    """The rows of an uploaded file: (spreadsheet row number, {column key: cell text})."""

    rows: list[tuple[int, dict[str, str]]]
    sha256: str


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    # NFC: text pasted from different programs carries Vietnamese diacritics composed or not.
    return unicodedata.normalize("NFC", str(value)).strip()


def _unreadable_workbook() -> RosterFileError:
    return RosterFileError(
        _("This file looks like an Excel workbook but cannot be read. Open it in Excel and save it again as .xlsx.")
    )


def _check_unpacked_size(content: bytes) -> None:
    """Refuse a zip bomb by the sizes the zip declares (reading never yields more than declared)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _unreadable_workbook() from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise RosterFileError(_("The workbook unpacks to far more data than a staff list holds; it is refused."))


def _xlsx_rows(content: bytes) -> Iterator[list[str]]:
    _check_unpacked_size(content)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on damaged or foreign zip files
        raise _unreadable_workbook() from exc
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong "used range" into the file; read_only mode would trust it and
        # silently drop rows and columns, so the sheet is read to its real end instead.
        sheet.reset_dimensions()
        for values in sheet.iter_rows(values_only=True, max_row=EXCEL_MAX_ROWS):
            yield [_cell_text(value) for value in values]
    except Exception as exc:  # a damaged sheet fails while it is streamed, not when the file opens
        raise _unreadable_workbook() from exc
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterFileError(
            _(
                "This file is neither an Excel workbook (.xlsx) nor a CSV file in UTF-8. If it is a CSV file, "
                "open it in Excel and save it again as “CSV UTF-8 (Comma delimited)”, or upload the .xlsx file."
            )
        ) from exc
    if "\x00" in text:
        raise RosterFileError(
            _(
                "This file is neither an Excel workbook (.xlsx) nor a CSV file. "
                "Upload the .xlsx file or a CSV UTF-8 file."
            )
        )
    first_line = text.split("\n", 1)[0]
    # Excel writes ";" instead of "," where the system's list separator says so.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        for values in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [_cell_text(value) for value in values]
    except csv.Error as exc:
        raise RosterFileError(
            _("This CSV file cannot be read. Open it in Excel and save it again as “CSV UTF-8 (Comma delimited)”.")
        ) from exc


def _column_letter(index: int) -> str:
    return openpyxl.utils.get_column_letter(index + 1)


def _read_header(values: list[str]) -> list[str | None]:
    """Column keys by position (None for blank header cells); missing, unknown or repeated columns refused."""
    words = header_words()
    keys: list[str | None] = []
    unknown = []
    for text in values:
        if not text:
            keys.append(None)
            continue
        key = words.get(fold(text))
        if key is None:
            unknown.append(text)
        elif key in keys:
            raise RosterFileError(_("The column %(column)s appears more than once.") % {"column": key})
        keys.append(key)
    if unknown:
        raise RosterFileError(
            _("Unknown columns: %(columns)s. The columns of a staff list are: %(allowed)s.")
            % {"columns": ", ".join(unknown), "allowed": ", ".join(COLUMN_KEYS)}
        )
    missing = [key for key in REQUIRED_COLUMNS if key not in keys]
    if missing:
        raise RosterFileError(_("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    return keys


def read_roster_file(upload) -> RosterFile:
    """Check an uploaded file and return its rows. Raises RosterFileError with a message for the officer."""
    limit = settings.ROSTER_IMPORT_MAX_BYTES
    # The size first, before a single byte is read.
    if upload.size > limit:
        raise RosterFileError(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise RosterFileError(_("The file is empty."))
    content = upload.read()
    if content.startswith(_ZIP_MAGIC):
        lines = _xlsx_rows(content)
    elif content.startswith(_OLE2_MAGIC):
        raise RosterFileError(
            _("This is an old Excel file (.xls). Open it in Excel and save it as “Excel Workbook (.xlsx)”.")
        )
    elif (upload.name or "").lower().endswith((".xlsx", ".xlsm")):
        raise RosterFileError(
            _("This file is named .xlsx but it is not an Excel workbook. Upload the workbook saved by Excel.")
        )
    else:
        lines = _csv_rows(content)

    max_rows = settings.ROSTER_IMPORT_MAX_ROWS
    keys: list[str | None] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(lines, start=1):
        if not any(values):
            continue  # blank lines, and the formatted but empty rows Excel keeps at the end
        if keys is None:
            keys = _read_header(values)
            continue
        for index, text in enumerate(values):
            if text and (index >= len(keys) or keys[index] is None):
                raise RosterFileError(
                    _("Column %(column)s has values (row %(row)s) but no header.")
                    % {"column": _column_letter(index), "row": number}
                )
        if len(rows) == max_rows:
            raise RosterFileError(
                _("The file has more than %(limit)s staff rows. Split it into smaller files.") % {"limit": max_rows}
            )
        rows.append((number, {key: text for key, text in zip(keys, values) if key}))
    if keys is None:
        raise RosterFileError(_("The file is empty."))
    if not rows:
        raise RosterFileError(_("The file has a header row but no staff rows."))
    return RosterFile(rows=rows, sha256=hashlib.sha256(content).hexdigest())
