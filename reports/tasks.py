"""Background work of the reports app (queue `reports`). Tasks call a service and are safe to repeat."""

from celery import shared_task

from .exports import enrolment_export_build
from .rollups import rollups_rebuild, rollups_refresh
from .snapshots import report_generate, scheduled_reports_issue
from .targets import indicators_measure


@shared_task
def refresh_rollups() -> int:
    """Every few minutes: recompute the summary buckets touched since the last run."""
    return rollups_refresh()


@shared_task
def rebuild_rollups() -> int:
    """Nightly: recompute every summary row from the learning records (catches anything missed)."""
    return rollups_rebuild()


@shared_task
def measure_indicators() -> int:
    """At the start of each quarter: record every indicator's province-wide value (the targets' trend)."""
    return indicators_measure()


@shared_task(acks_late=True)
def generate_report(snapshot_id: int) -> int:
    """Generate a requested periodic report (figures and workbook), once."""
    return report_generate(snapshot_id=snapshot_id).pk


@shared_task
def issue_scheduled_reports() -> list[int]:
    """On the first days after a quarter, half-year or year closes: issue the province's reports of the
    periods just closed (once each; repeating the task issues nothing new)."""
    return [snapshot.pk for snapshot in scheduled_reports_issue()]


@shared_task(acks_late=True)
def export_enrolments(export_id: int) -> int:
    """Write a requested enrolment export (CSV or XLSX) into its private file; a rerun rewrites it."""
    return enrolment_export_build(export_id=export_id).rows_written
