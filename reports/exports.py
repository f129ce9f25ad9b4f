"""Exports of enrolments (CSV or XLSX) of a unit's subtree, with the statistics page's filters.

The same pattern as the gradebook's large exports (assessments.gradebook.exports): the request only
records what was asked and enqueues a Celery task; the task re-checks what the requester may see now,
streams the rows from the database (`.iterator(chunk_size=…)`, openpyxl's write-only mode) into a
private file (MEDIA_ROOT/reports/exports/, never served by the web server) written atomically, so
memory stays flat however many rows, and records its progress; the file goes out only through a link
signed for the requester, which the download view checks against the export's owner. Every cell goes
through `lms.spreadsheets.safe_cell`; the export is entered in the privacy access log.

Readers who may see people only (they export people's names): Home Affairs and unit officers in their
scope, the Farmers' Union coordinator for farmers and residents.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import os
import secrets
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connections, router, transaction
from django.db.models import F
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from courses.choices import EnrolmentSource, EnrolmentStatus
from courses.models import Enrolment
from courses.tracks import Track
from lms.spreadsheets import FORMULA_TRIGGERS, safe_cell, safe_row
from privacy.models import AccessAction
from privacy.services import personal_data_accessed

from .choices import TrainingForm
from .models import EnrolmentExport, ExportFormat, SnapshotState
from .selectors import StatisticsFilter, people_for_statistics, statistics_unit

logger = logging.getLogger(__name__)

CHUNK = 5000  # rows fetched per round trip
PROGRESS_EVERY = 50_000  # rows between two progress updates
SALT = "reports.exports.download"
MAX_AGE_SECONDS = 24 * 3600  # how long a download link works
COPY_WORK_MEM = "64MB"  # PostgreSQL's sort memory for the COPY of a CSV export
COLUMNS = ("pk", "person__full_name", "person__employee_code", "person__unit__name", "person__commune__name",
           "course__code", "course__title", "course__track", "status", "source", "cohort_id", "enrolled_at",
           "completed_at")


def export_file(export: EnrolmentExport) -> Path:
    return Path(settings.MEDIA_ROOT) / "reports" / "exports" / export.file_name


def export_filename(export: EnrolmentExport) -> str:
    """The name the browser saves the file under."""
    return f"ghi-danh-{export.unit_id}-{timezone.localtime(export.requested_at):%Y%m%d-%H%M}.{export.format}"


def filters_query(filters: StatisticsFilter) -> str:
    """The filters as a query string the statistics form reads back, the period written out as dates
    (so the task exports the period the page showed, whenever it runs)."""
    params = {"period": "custom", "start": filters.period.start.isoformat(), "end": filters.period.end.isoformat()}
    for name in ("audience", "staff_category", "gender", "age_band", "track", "form"):
        if getattr(filters, name):
            params[name] = getattr(filters, name)
    if filters.is_leader is not None:
        params["leader"] = "yes" if filters.is_leader else "no"
    if filters.course_id:
        params["course"] = filters.course_id
    return urlencode(params)


def _filters_of(export: EnrolmentExport) -> StatisticsFilter:
    """The filters the export was asked with; ValidationError if the form now refuses them (a course since
    deleted, a period out of bounds), rather than the current quarter the page would fall back to."""
    from .forms import StatisticsForm

    form = StatisticsForm(QueryDict(export.filters))
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form.filters()


def _export_scope(user, unit_id: int):
    """The unit, if the user may export its people now; Http404 otherwise."""
    if user is None or not user.is_active:
        raise Http404
    scope, unit = statistics_unit(user, unit_id)
    if not scope.may_see_people:
        raise Http404
    return unit


@transaction.atomic
def enrolment_export_request(*, user, unit_id: int, filters: StatisticsFilter, fmt: str) -> EnrolmentExport:
    """Record an export of the unit's enrolments and enqueue its task (Http404 outside the user's scope)."""
    unit = _export_scope(user, unit_id)
    if fmt not in ExportFormat.values:
        raise Http404
    export = EnrolmentExport.objects.create(
        requested_by=user, unit=unit, filters=filters_query(filters), format=fmt,
        file_name=f"enrolments-{secrets.token_hex(16)}.{fmt}",
    )
    from .tasks import export_enrolments

    export_enrolments.delay_on_commit(export.pk)
    return export


def enrolments_for_export(user, *, unit, filters: StatisticsFilter, today: datetime.date):
    """The enrolments made in the period by the people of the unit's subtree the user may see (with the
    person filters), of the chosen track, course and form of training."""
    people = people_for_statistics(user, unit=unit, filters=filters, today=today)
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(filters.period.start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(filters.period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    rows = Enrolment.objects.filter(person__in=people.values("pk"), enrolled_at__gte=start, enrolled_at__lt=end)
    if filters.track:
        rows = rows.filter(course__track=filters.track)
    if filters.course_id:
        rows = rows.filter(course_id=filters.course_id)
    if filters.form:
        rows = rows.filter(cohort__isnull=filters.form != TrainingForm.CLASS)
    return rows.order_by("pk")


def header() -> list[str]:
    return [_("Enrolment"), _("Full name"), _("Employee code"), _("Unit"), _("Course code"), _("Course"), _("Track"),
            _("Enrolment status"), _("Source"), _("Form of training"), _("Enrolled at"), _("Completed at")]


def _values(rows):
    """Each enrolment's cells, formula-safe, from plain tuples (no model objects): the export's hot loop."""
    zone = timezone.get_current_timezone()
    tracks = {key: str(label) for key, label in Track.choices}
    statuses = {key: str(label) for key, label in EnrolmentStatus.choices}
    sources = {key: str(label) for key, label in EnrolmentSource.choices}
    forms = {True: str(TrainingForm.CLASS.label), False: str(TrainingForm.ONLINE.label)}
    for (pk, name, code, unit, commune, course_code, course_title, track, status, source, cohort_id, enrolled_at,
         completed_at) in rows.values_list(*COLUMNS).iterator(chunk_size=CHUNK):
        # Only the typed-in texts can start a formula; the labels, numbers and dates are the product's own.
        yield [
            pk, safe_cell(name), safe_cell(code), safe_cell(unit or commune or ""), safe_cell(course_code),
            safe_cell(course_title), tracks.get(track, track), statuses.get(status, status),
            sources.get(source, source), forms[cohort_id is not None],
            enrolled_at.astimezone(zone).isoformat(" ", "minutes")[:16],
            completed_at.astimezone(zone).isoformat(" ", "minutes")[:16] if completed_at else "",
        ]


def _csv_header() -> bytes:
    """The header row as the csv module writes it, after the BOM (Excel then reads the file as UTF-8)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerow(safe_row(header()))
    return buffer.getvalue().encode("utf-8-sig")


def _progress(export: EnrolmentExport, **fields) -> None:
    # Written outside any transaction, so the status page sees it while the task runs.
    EnrolmentExport.objects.filter(pk=export.pk).update(**fields)


def _safe_sql(expression: str) -> str:
    """`safe_cell` in SQL: the text with a leading quote when it starts with a formula trigger."""
    triggers = ", ".join("'" + trigger.replace("'", "''") + "'" for trigger in FORMULA_TRIGGERS)
    return f"CASE WHEN left({expression}, 1) IN ({triggers}) THEN '''' || {expression} ELSE {expression} END"


def _label_sql(column: str, choices, params: list) -> str:
    """The column's choice labels (in the export's language) in SQL; an unknown key is written as it is."""
    params.extend(str(item) for key, label in choices for item in (key, label))
    return f"CASE {column} " + " ".join("WHEN %s THEN %s" for _ in choices) + f" ELSE {column} END"


def _copy_sql(rows) -> tuple[str, list]:
    """The rows' cells as one SELECT that PostgreSQL writes as CSV itself: the same cells `_values` makes in
    Python (labels in the current language, form of training, local minutes, the formula guard). Every empty
    cell is NULL, which COPY writes unquoted, as the csv module writes an empty string (COPY would quote '')."""
    aliases = {f"c{index}": F(column) for index, column in enumerate(COLUMNS)}
    inner, inner_params = rows.order_by().values(**aliases).query.sql_with_params()
    params: list = []

    def text(expression: str) -> str:
        return f"NULLIF({_safe_sql(expression)}, '')"

    cells = ["q.c0", text("q.c1"), text("q.c2"), text("COALESCE(NULLIF(q.c3, ''), q.c4)"), text("q.c5"),
             text("q.c6")]
    for column, choices in (("q.c7", Track.choices), ("q.c8", EnrolmentStatus.choices),
                            ("q.c9", EnrolmentSource.choices)):
        cells.append(f"NULLIF({_label_sql(column, choices, params)}, '')")
    cells.append("NULLIF(CASE WHEN q.c10 IS NOT NULL THEN %s ELSE %s END, '')")
    params.extend((str(TrainingForm.CLASS.label), str(TrainingForm.ONLINE.label)))
    zone = timezone.get_current_timezone_name()
    for column in ("q.c11", "q.c12"):
        cells.append(f"to_char({column} AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')")
        params.append(zone)
    # The cells' parameters come before the subquery's in the statement.
    return f"SELECT {', '.join(cells)} FROM ({inner}) AS q ORDER BY q.c0", [*params, *inner_params]


class _CopyProgress:
    """The rows written while a COPY streams, recorded on a connection of its own (the COPY's is busy until
    the last row): opened on the first update due, so a small export opens none, in autocommit (each update
    is visible at once and holds no lock past its statement), closed by `close`. Progress is a courtesy:
    when an update fails (no connection to be had, a lock held too long) a warning is logged and the export
    goes on without further updates. Inside the caller's transaction none is made (the export's row may be
    locked by it, and what it wrote is not visible to anyone else yet)."""

    LOCK_TIMEOUT = "1s"  # how long an update may wait for the export's row before it gives up

    def __init__(self, export: EnrolmentExport):
        self.export = export
        self.alias = router.db_for_write(EnrolmentExport, instance=export)  # where `_progress` writes
        self.enabled = not connections[self.alias].in_atomic_block
        self.connection = None

    def __call__(self, written: int) -> None:
        if not self.enabled:
            return
        try:
            if self.connection is None:
                self.connection = connections.create_connection(self.alias)  # not shared: this thread's own
                if self.connection.vendor == "postgresql":
                    with self.connection.cursor() as cursor:
                        cursor.execute(f"SET lock_timeout = '{self.LOCK_TIMEOUT}'")
                        cursor.execute("SET synchronous_commit = off")  # no wait for the WAL: only progress
            meta = EnrolmentExport._meta
            quote = self.connection.ops.quote_name
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quote(meta.db_table)} SET {quote(meta.get_field('rows_written').column)} = %s "
                    f"WHERE {quote(meta.pk.column)} = %s",
                    [written, self.export.pk],
                )
        except Exception:
            logger.warning("export %s: progress not recorded; the export goes on without it", self.export.pk,
                           exc_info=True)
            self.enabled = False

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:
                logger.warning("export %s: the progress connection did not close", self.export.pk, exc_info=True)
            self.connection = None


def _copy_csv(export: EnrolmentExport, rows, handle) -> int:
    """Stream `COPY (…) TO STDOUT` into the file. PostgreSQL ends each row with LF where the csv module writes
    CRLF: libpq hands over one row per COPY message, so its last byte is the row's end (a line break inside a
    quoted cell stays as it is, as the csv module leaves it). The rows written are recorded every
    PROGRESS_EVERY rows, as the Python path does, through a second connection (`_CopyProgress`: the COPY's
    own is busy until its last row). The COPY waits only for that one short UPDATE every PROGRESS_EVERY rows
    (and once for the connection to open); a failed update only stops the progress. The total is recorded
    at the end by the caller."""
    sql, params = _copy_sql(rows)
    written = 0
    due = PROGRESS_EVERY  # the row count at which the next progress update is due
    pending: list[bytes] = []
    connection = connections[rows.db]  # where the Python path would read them
    progress = _CopyProgress(export)
    try:
        with transaction.atomic(using=rows.db), connection.cursor() as cursor:
            # The rows are sorted by id after the joins: in memory rather than in temporary files (the
            # database server's memory, for this statement only; the worker's stays flat).
            cursor.execute(f"SET LOCAL work_mem = '{COPY_WORK_MEM}'")
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
                for data in copy:
                    pending.append(bytes(data[:-1]))
                    if len(pending) == CHUNK:
                        written += CHUNK
                        pending.append(b"")
                        handle.write(b"\r\n".join(pending))
                        pending.clear()
                        if written >= due:  # checked once a chunk, not once a row
                            progress(written)
                            due = (written // PROGRESS_EVERY + 1) * PROGRESS_EVERY
    finally:
        progress.close()
    if pending:
        written += len(pending)
        pending.append(b"")
        handle.write(b"\r\n".join(pending))
    return written


def _copy_available(rows) -> bool:
    """Whether the database writes the CSV itself (PostgreSQL's COPY); elsewhere (SQLite) Python does."""
    return connections[rows.db].vendor == "postgresql"


# Data rows per worksheet: Excel's limit of 1,048,576 rows a sheet, less the header row. A province's export
# (2,000,000 enrolments at dataset P) fills two sheets and starts a third, each with the header.
XLSX_SHEET_ROWS = 1_048_575


def _write(export: EnrolmentExport, rows, path: Path) -> int:
    written = 0
    if export.format == ExportFormat.CSV and _copy_available(rows):
        # PostgreSQL writes the rows' CSV itself (no Python per cell); the same bytes as the csv module's.
        with path.open("wb") as handle:
            handle.write(_csv_header())
            return _copy_csv(export, rows, handle)
    rows = _values(rows)
    if export.format == ExportFormat.CSV:
        with path.open("w", newline="", encoding="utf-8-sig") as handle:  # the BOM: Excel reads it as UTF-8
            writer = csv.writer(handle)
            writer.writerow(safe_row(header()))
            for values in rows:
                writer.writerow(values)
                written += 1
                if written % PROGRESS_EVERY == 0:
                    _progress(export, rows_written=written)
        return written
    workbook = Workbook(write_only=True)  # rows go to a temporary file as they come: flat memory
    title, heading = _("Enrolments"), safe_row(header())
    sheet, on_sheet, sheets = None, XLSX_SHEET_ROWS, 0
    for values in rows:
        if on_sheet == XLSX_SHEET_ROWS:  # Excel opens at most 1,048,576 rows a sheet: go on in the next one
            sheets += 1
            sheet = workbook.create_sheet(title=(title if sheets == 1 else f"{title[:24]} ({sheets})")[:31])
            sheet.append(heading)
            on_sheet = 0
        sheet.append(values)
        on_sheet += 1
        written += 1
        if written % PROGRESS_EVERY == 0:
            _progress(export, rows_written=written)
    if sheet is None:  # no rows: the header alone
        workbook.create_sheet(title=title[:31]).append(heading)
    workbook.save(path)
    return written


def enrolment_export_build(*, export_id: int, today: datetime.date | None = None) -> EnrolmentExport:
    """Write the export's file, re-checking what the requester may see now. Idempotent: a finished export
    is left alone; a rerun of an interrupted one writes the file again."""
    export = EnrolmentExport.objects.select_related("requested_by").get(pk=export_id)
    path = export_file(export)
    if export.state == SnapshotState.READY and path.exists():
        return export
    try:
        unit = _export_scope(export.requested_by, export.unit_id)
    except Http404:
        _progress(export, state=SnapshotState.FAILED, error=_("You may no longer export the people of this unit."),
                  finished_at=timezone.now())
        export.refresh_from_db()
        return export
    # Whatever goes wrong from here on leaves the export failed, never "queued" for ever.
    try:
        filters = _filters_of(export)
        rows = enrolments_for_export(export.requested_by, unit=unit, filters=filters,
                                     today=today or timezone.localdate())
        rows_total = rows.count()
    except ValidationError as refusal:
        logger.warning("Enrolment export %s has filters the form now refuses: %s", export.pk, refusal.messages)
        _progress(export, state=SnapshotState.FAILED, finished_at=timezone.now(),
                  error=_("The filters of this export are no longer valid; ask for it again."))
        export.refresh_from_db()
        return export
    except Exception:
        _progress(export, state=SnapshotState.FAILED, error=_("The export failed; ask for it again."),
                  finished_at=timezone.now())
        raise
    _progress(export, state=SnapshotState.RUNNING, rows_total=rows_total, rows_written=0, error="")
    partial = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        written = _write(export, rows, partial)
        os.replace(partial, path)  # the download sees no file or the whole file
    except Exception:
        partial.unlink(missing_ok=True)
        _progress(export, state=SnapshotState.FAILED, error=_("The export failed; ask for it again."),
                  finished_at=timezone.now())
        raise
    personal_data_accessed(user=export.requested_by, action=AccessAction.EXPORT, what="reports:enrolment_export",
                           person_ids=(), count=written, filters=f"unit={export.unit_id}&{export.filters}")
    _progress(export, state=SnapshotState.READY, rows_written=written, finished_at=timezone.now())
    export.refresh_from_db()
    return export


def exports_of(user):
    """The exports the user asked for (nobody else's)."""
    return EnrolmentExport.objects.filter(requested_by_id=user.pk).select_related("unit")


def download_token(export: EnrolmentExport) -> str:
    return signing.dumps({"e": export.pk, "u": export.requested_by_id}, salt=SALT)


def download_allowed(export: EnrolmentExport, user, token: str) -> bool:
    """Whether the token is genuine, recent, for this export and this user, and the user asked for it."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return False
    return payload == {"e": export.pk, "u": user.pk} and export.requested_by_id == user.pk
