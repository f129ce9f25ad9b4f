"""The CSV enrolment export on PostgreSQL records its progress while the COPY streams (every PROGRESS_EVERY rows,
as the Python path does), through a second connection: the status page, reading from its own connection, sees
the rows written grow before the file is done; the file is the same bytes; a small export opens no second
connection; a progress write that fails never fails the export."""

import logging
import time
from urllib.parse import urlencode

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, connections
from psycopg.pq import TransactionStatus

from courses.choices import EnrolmentSource
from courses.models import Enrolment
from organisations.models import Person
from reports import exports
from reports.models import EnrolmentExport, SnapshotState

from .conftest import YEAR, at

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]
# Committed data, so the other connections (the export's progress, the status page's reader) see it; the
# framework data is restored afterwards.
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PEOPLE = 150  # each enrolled in the world's two courses: 300 rows, with the world's own 8 in the year
CHUNK = 10
PROGRESS_EVERY = 50
TOTAL = 8 + 2 * PEOPLE  # the rows of the export


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def small_steps(monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", CHUNK)
    monkeypatch.setattr(exports, "PROGRESS_EVERY", PROGRESS_EVERY)


@pytest.fixture
def many_enrolments(world):
    """PEOPLE more people of unit A, each enrolled in both courses during the year."""
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"many{n:04d}", email=f"many{n}@example.gov.vn") for n in range(PEOPLE))
    people = Person.objects.bulk_create(
        Person(user=user, full_name=f"Người Thứ {n}", employee_code=f"NVM{n:04d}", unit=world.units["a"])
        for n, user in enumerate(users))
    Enrolment.objects.bulk_create(
        Enrolment(person=person, course=course, source=EnrolmentSource.SELF)
        for person in people for course in world.courses.values())
    Enrolment.objects.filter(person__in=people).update(enrolled_at=at(5, 1))
    return world


def new_export(world, name: str) -> EnrolmentExport:
    return EnrolmentExport.objects.create(
        requested_by=world.home_affairs_user, unit=world.province, format="csv",
        filters=urlencode({"period": "custom", "start": f"{YEAR}-01-01", "end": f"{YEAR}-12-31"}),
        file_name=f"enrolments-{name}.csv",
    )


def build(world, name: str, *, copy: bool, monkeypatch) -> tuple[EnrolmentExport, bytes]:
    export = new_export(world, name)
    with monkeypatch.context() as patch:
        patch.setattr(exports, "_copy_available", lambda rows: copy)
        export = exports.enrolment_export_build(export_id=export.pk)
    assert export.state == SnapshotState.READY
    return export, exports.export_file(export).read_bytes()


class Reader:
    """The status page's view: the export's row read through a connection of its own (autocommit)."""

    def __init__(self):
        self.connection = connections.create_connection("default")

    def rows_written(self, export_id: int) -> int:
        meta = EnrolmentExport._meta
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT {meta.get_field('rows_written').column} FROM {meta.db_table} "
                           f"WHERE {meta.pk.column} = %s", [export_id])
            return cursor.fetchone()[0]

    def backends(self) -> int:
        """The connections to the test database, this one included."""
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            return cursor.fetchone()[0]

    def close(self):
        self.connection.close()


@pytest.fixture
def reader():
    reader = Reader()
    yield reader
    reader.close()


def copy_running() -> bool:
    """Whether the export's own connection is in the middle of a statement (the COPY)."""
    return connection.connection.info.transaction_status == TransactionStatus.ACTIVE


class Watched:
    """The export file's handle, noting at each write of the COPY's rows how many rows the file already holds,
    what the status page reads at that moment and whether the COPY is still streaming."""

    def __init__(self, handle, on_write):
        self.handle, self.on_write, self.in_file = handle, on_write, 0

    def write(self, data: bytes):
        self.on_write(self.in_file, copy_running())
        self.in_file += data.count(b"\n")  # the rows' ends (no line breaks in these cells)
        return self.handle.write(data)


def watch_writes(monkeypatch, on_write):
    copy_csv = exports._copy_csv
    monkeypatch.setattr(exports, "_copy_csv",
                        lambda export, rows, handle: copy_csv(export, rows, Watched(handle, on_write)))



@committed
def test_the_status_page_sees_the_rows_written_grow_while_the_copy_streams(many_enrolments, small_steps, reader,
                                                                         monkeypatch):
    world = many_enrolments
    _, python_bytes = build(world, "python", copy=False, monkeypatch=monkeypatch)
    export = new_export(world, "copy")
    seen = []  # (rows in the file, rows written as the status page reads them, COPY still streaming) at each write
    watch_writes(monkeypatch, lambda in_file, running: seen.append(
        (in_file, reader.rows_written(export.pk), running)))
    backends_before = reader.backends()
    export = exports.enrolment_export_build(export_id=export.pk)

    assert export.state == SnapshotState.READY
    assert export.rows_written == export.rows_total == TOTAL
    assert exports.export_file(export).read_bytes() == python_bytes
    # Seen from another connection while the COPY streams: every PROGRESS_EVERY rows, once the file holds them.
    while_running = [(in_file, written) for in_file, written, running in seen if running]
    assert [written for _, written in while_running] == [in_file // PROGRESS_EVERY * PROGRESS_EVERY
                                                         for in_file, _ in while_running]
    assert {written for _, written in while_running} == {0, 50, 100, 150, 200, 250}
    assert seen[-1] == (300, 300, False)  # the last 8 rows are written after the COPY, then the total recorded
    # The progress connection is closed once the COPY is done.
    for _ in range(50):
        if reader.backends() == backends_before:
            break
        time.sleep(0.05)
    assert reader.backends() == backends_before


@committed
def test_a_small_export_opens_no_second_connection(many_enrolments, monkeypatch):
    # PROGRESS_EVERY is 50,000: these rows never reach it.
    monkeypatch.setattr(exports.connections, "create_connection",
                        lambda alias: pytest.fail("a connection was opened for progress"))
    export, _ = build(many_enrolments, "small", copy=True, monkeypatch=monkeypatch)
    assert export.rows_written == TOTAL


@committed
def test_no_connection_for_progress_does_not_fail_the_export(many_enrolments, small_steps, monkeypatch, caplog):
    world = many_enrolments
    _, python_bytes = build(world, "python", copy=False, monkeypatch=monkeypatch)
    attempts = []

    def no_connection(alias):
        attempts.append(alias)
        raise OperationalError("sorry, too many clients already")

    monkeypatch.setattr(exports.connections, "create_connection", no_connection)
    with caplog.at_level(logging.WARNING, logger="reports.exports"):
        export, copy_bytes = build(world, "copy", copy=True, monkeypatch=monkeypatch)
    assert export.state == SnapshotState.READY and export.rows_written == TOTAL
    assert copy_bytes == python_bytes
    assert attempts == ["default"]  # tried once, then the export went on without progress
    assert "progress not recorded" in caplog.text


@committed
def test_a_progress_update_kept_waiting_gives_up_and_the_export_goes_on(many_enrolments, small_steps, reader,
                                                                        monkeypatch, caplog):
    """Someone holds the export's row while the COPY streams: the progress update waits its lock timeout, then
    gives up for good; the COPY goes on and the export completes once the row is free again."""
    world = many_enrolments
    _, python_bytes = build(world, "python", copy=False, monkeypatch=monkeypatch)
    export = new_export(world, "copy")
    meta = EnrolmentExport._meta

    def on_write(in_file, running):
        if in_file == 0:  # the first rows: take the row
            reader.connection.set_autocommit(False)
            with reader.connection.cursor() as cursor:
                # Should the update wait for ever, the row is freed after a while (the test then fails, not hangs).
                cursor.execute("SET idle_in_transaction_session_timeout = '5s'")
                cursor.execute(f"SELECT 1 FROM {meta.db_table} WHERE {meta.pk.column} = %s FOR UPDATE", [export.pk])
        elif not running:  # the COPY is over: let the export record its end
            reader.connection.rollback()
            reader.connection.set_autocommit(True)

    watch_writes(monkeypatch, on_write)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="reports.exports"):
        export = exports.enrolment_export_build(export_id=export.pk)
    assert time.monotonic() - started < 4  # the lock timeout (1 s), not the wait for the row
    assert export.state == SnapshotState.READY and export.rows_written == TOTAL
    assert exports.export_file(export).read_bytes() == python_bytes
    assert caplog.text.count("progress not recorded") == 1  # one wait of the lock timeout, then no more tries
    assert "lock timeout" in caplog.text


def test_inside_the_caller_s_transaction_no_second_connection_is_opened(many_enrolments, small_steps, monkeypatch):
    # The export's row is the caller's until it commits: a second connection would wait for it.
    monkeypatch.setattr(exports.connections, "create_connection",
                        lambda alias: pytest.fail("a connection was opened for progress"))
    export, _ = build(many_enrolments, "atomic", copy=True, monkeypatch=monkeypatch)
    assert export.rows_written == TOTAL
