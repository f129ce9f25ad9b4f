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
import os
import secrets
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from courses.choices import EnrolmentSource, EnrolmentStatus
from courses.models import Enrolment
from courses.tracks import Track
from lms.spreadsheets import safe_cell, safe_row
from privacy.models import AccessAction
from privacy.services import personal_data_accessed

from .choices import TrainingForm
from .models import EnrolmentExport, ExportFormat, SnapshotState
from .selectors import StatisticsFilter, people_for_statistics, statistics_unit

CHUNK = 5000  # rows fetched per round trip
PROGRESS_EVERY = 50_000  # rows between two progress updates
SALT = "reports.exports.download"
MAX_AGE_SECONDS = 24 * 3600  # how long a download link works
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
    from .forms import StatisticsForm

    return StatisticsForm(QueryDict(export.filters)).filters()


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


def _progress(export: EnrolmentExport, **fields) -> None:
    # Written outside any transaction, so the status page sees it while the task runs.
    EnrolmentExport.objects.filter(pk=export.pk).update(**fields)


def _write(export: EnrolmentExport, rows, path: Path) -> int:
    written = 0
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
    sheet = workbook.create_sheet(title=_("Enrolments")[:31])
    sheet.append(safe_row(header()))
    for values in rows:
        sheet.append(values)
        written += 1
        if written % PROGRESS_EVERY == 0:
            _progress(export, rows_written=written)
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
    filters = _filters_of(export)
    rows = enrolments_for_export(export.requested_by, unit=unit, filters=filters, today=today or timezone.localdate())
    _progress(export, state=SnapshotState.RUNNING, rows_total=rows.count(), rows_written=0, error="")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    try:
        written = _write(export, _values(rows), partial)
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
