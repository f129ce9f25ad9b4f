"""Reading question files (Moodle XML, GIFT, XLSX) into drafts; `questions_import` writes them.

`read_question_file` checks size and format first, then hands the bytes to the right parser.
"""

from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .base import ImportProblem, ImportRejected, ParseResult, file_problem
from .gift import parse_gift
from .moodle_xml import parse_moodle_xml
from .xlsx import parse_xlsx

FORMATS = ("moodle_xml", "gift", "xlsx")

_EXTENSIONS = {".xml": "moodle_xml", ".gift": "gift", ".txt": "gift", ".xlsx": "xlsx"}

__all__ = ["FORMATS", "ImportProblem", "ImportRejected", "ParseResult", "detect_format", "read_question_file"]


def detect_format(filename: str) -> str | None:
    name = (filename or "").lower()
    return next((fmt for extension, fmt in _EXTENSIONS.items() if name.endswith(extension)), None)


def read_question_file(*, data: bytes, file_format: str) -> ParseResult:
    limit, max_items = settings.QUESTION_IMPORT_MAX_BYTES, settings.QUESTION_IMPORT_MAX_ITEMS
    if len(data) > limit:
        raise file_problem(
            _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files.")
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)}
        )
    if not data.strip():
        raise file_problem(_("The file is empty."))
    if file_format == "xlsx":
        if not data.startswith(b"PK\x03\x04"):
            raise file_problem(_("This is not an Excel workbook (.xlsx)."))
        result = parse_xlsx(data, max_items=max_items)
    elif file_format == "moodle_xml":
        if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise file_problem(_("This is not an XML file."))
        result = parse_moodle_xml(data)
    elif file_format == "gift":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise file_problem(_("A GIFT file must be plain text in UTF-8.")) from error
        if "\x00" in text:
            raise file_problem(_("A GIFT file must be plain text in UTF-8."))
        result = parse_gift(text)
    else:
        raise file_problem(_("Unknown file format."))
    if len(result.questions) + len(result.problems) > max_items:
        raise file_problem(
            _("The file has more than %(limit)s questions. Split it into smaller files.") % {"limit": max_items}
        )
    if not result.questions and not result.problems:
        raise file_problem(_("The file holds no questions."))
    return result
