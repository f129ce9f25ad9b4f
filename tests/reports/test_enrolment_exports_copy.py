"""The CSV enrolment export on PostgreSQL: the database writes the rows itself (COPY … TO STDOUT), and the file
is byte for byte the one the Python path (the csv module, used on SQLite and for XLSX) writes from the same
data: the BOM and header, the labels in the export's language, local minutes, the formula guard, quoting of
commas, quotes and line breaks, empty cells, CRLF row ends."""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.utils import translation

from courses.models import Course, Enrolment
from organisations.models import Person
from reports import exports
from reports.models import EnrolmentExport, SnapshotState

from .conftest import YEAR, at, enrol

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")

# Names a spreadsheet would misread (formula triggers), and texts the CSV must quote.
AWKWARD_NAMES = {
    "an": 'Lê Văn "An", con',
    "binh": "=HYPERLINK(\"http://x\";\"Bình\")",
    "cuong": "+84 Hoàng Văn Cường",
    "dung": "-Đỗ Thị Dung\nxuống dòng",
    "em": "@Vũ Văn Em",
    "giang": "\tTrịnh Thị Giang\r\n",
}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def awkward_world(world, make_person):
    for key, name in AWKWARD_NAMES.items():
        Person.objects.filter(pk=world.people[key].pk).update(full_name=name)
    Person.objects.filter(pk=world.people["an"].pk).update(employee_code="=1+1")
    Person.objects.filter(pk=world.people["binh"].pk).update(employee_code="NV,001")
    Person.objects.filter(pk=world.people["cuong"].pk).update(employee_code="")
    Person.objects.filter(pk=world.people["dung"].pk).update(employee_code=None)
    Course.objects.filter(pk=world.courses["general"].pk).update(title='Kỹ năng "số", cơ bản\r\nphần 1')
    Course.objects.filter(pk=world.courses["it"].pk).update(code="-IT01")
    # A resident known only by commune (no unit), with an enrolment completed at local midnight.
    resident = make_person(unit=None, commune=world.units["c"], full_name="Nguyễn Thị Hằng, 'xã'",
                           employee_code=None)
    enrol(resident, world.courses["general"], enrolled=at(2, 28, 23), completed=at(3, 1, 0))
    Enrolment.objects.filter(person=resident).update(source="unknown-source")
    return world


def build(world, *, copy: bool, monkeypatch) -> tuple[EnrolmentExport, bytes]:
    export = EnrolmentExport.objects.create(
        requested_by=world.home_affairs_user, unit=world.province, format="csv",
        filters=urlencode({"period": "custom", "start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}),
        file_name=f"enrolments-{'copy' if copy else 'python'}.csv",
    )
    with monkeypatch.context() as patch:
        patch.setattr(exports, "_copy_available", lambda rows: copy)
        if copy:  # the rows must not go through Python
            patch.setattr(exports, "_values", lambda rows: pytest.fail("the COPY path formatted rows in Python"))
        export = exports.enrolment_export_build(export_id=export.pk)
    assert export.state == SnapshotState.READY
    return export, exports.export_file(export).read_bytes()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_copy_writes_the_same_bytes_as_the_csv_module(awkward_world, monkeypatch, language):
    with translation.override(language):
        by_python, python_bytes = build(awkward_world, copy=False, monkeypatch=monkeypatch)
        by_copy, copy_bytes = build(awkward_world, copy=True, monkeypatch=monkeypatch)
    assert copy_bytes == python_bytes
    assert by_copy.rows_written == by_copy.rows_total == by_python.rows_written == 9
    # The fixture really holds what needs care: BOM, quoted line breaks, guarded formulas, empty cells.
    assert copy_bytes.startswith(b"\xef\xbb\xbf") and copy_bytes.endswith(b"\r\n")
    rows = list(csv.reader(io.StringIO(copy_bytes.decode("utf-8-sig"), newline="")))
    assert len(rows) == 10
    names = {row[1] for row in rows[1:]}
    assert {"'=HYPERLINK(\"http://x\";\"Bình\")", "'-Đỗ Thị Dung\nxuống dòng", "'\tTrịnh Thị Giang\r\n",
            'Lê Văn "An", con'} <= names
    resident = next(row for row in rows[1:] if row[1].startswith("Nguyễn"))
    assert resident[2] == "" and resident[3] == "Xã Hưng Nguyên"
    assert resident[8] == "unknown-source"  # a key without a label is written as it is
    assert resident[10:] == [f"{YEAR}-02-28 23:00", f"{YEAR}-03-01 00:00"]
