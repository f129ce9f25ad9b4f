import datetime

from django.utils import timezone

from organisations.models import RosterImport
from organisations.tasks import expire_roster_previews


def _import(officer, *, status, age_days):
    roster_import = RosterImport.objects.create(
        uploaded_by=officer.user, scope_unit=officer.unit, file_name="ds.xlsx", file_sha256="0" * 64,
        status=status, rows=[{"employee_code": "NV1", "full_name": "Lê Văn Ân"}],
    )
    RosterImport.objects.filter(pk=roster_import.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=age_days)
    )
    return roster_import


def test_unconfirmed_previews_lose_their_rows_after_a_week(officer_a):
    stale = _import(officer_a, status=RosterImport.Status.PREVIEWED, age_days=8)
    fresh = _import(officer_a, status=RosterImport.Status.PREVIEWED, age_days=1)

    assert expire_roster_previews.delay().get() == 1

    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.rows) == (RosterImport.Status.DISCARDED, [])
    assert fresh.status == RosterImport.Status.PREVIEWED and fresh.rows
    assert expire_roster_previews.delay().get() == 0
