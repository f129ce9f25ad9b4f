"""The read-only statistics API (Django Ninja): per-user tokens scoped like the web roles, the same
filters as the statistics page, paginated unit rows, CSV export, OpenAPI at /api/statistics/v1/openapi.json.

Not to be confused with the `api.py` other apps expose to each other: nothing imports this module but
the URL configuration.
"""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from .forms import StatisticsForm
from .models import ApiToken
from .selectors import FIGURES, StatisticsFilter, statistics_for, statistics_unit
from .tokens import token_hash

MAX_LIMIT = 200


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = ApiToken.objects.select_related("user").filter(key_hash=token_hash(token), revoked_at__isnull=True).first()
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        return found.user


api = NinjaAPI(
    title="Thống kê đào tạo CNTT", version="1", urls_namespace="statistics_api", auth=TokenAuth(),
    description="Read-only statistics, scoped by the token owner's roles.",
)


class FiguresOut(Schema):
    assigned: int
    enrolled: int
    enrolled_completed: int
    started: int
    completed: int
    hours: float
    certificates: int
    participant_times: int
    quiz_attempts: int
    quiz_passed: int
    quiz_score_sum: float
    classes_held: int
    completion_rate: float | None
    pass_rate: float | None
    average_score: float | None


class RowOut(Schema):
    unit_id: int
    unit: str
    own: bool
    figures: FiguresOut


class StatisticsOut(Schema):
    unit_id: int
    unit: str
    period_start: str
    period_end: str
    live: bool = True
    total: FiguresOut
    count: int
    rows: list[RowOut]


class Filters(Schema):
    period: str = "quarter"
    year: int | None = None
    number: int | None = None
    start: str | None = None
    end: str | None = None
    audience: str = ""
    staff_category: str = ""
    leader: str = ""
    gender: str = ""
    age_band: str = ""
    track: str = ""
    course: int | None = None
    form: str = ""


def _filters(filters: Filters) -> StatisticsFilter:
    data = {key: value for key, value in filters.dict().items() if value not in (None, "")}
    form = StatisticsForm(data)
    if not form.is_valid():
        raise HttpError(422, "; ".join(f"{field}: {' '.join(errors)}" for field, errors in form.errors.items()))
    return form.filters()


DECIMALS = {"hours", "quiz_score_sum"}


def _figures(figures) -> dict:
    return {name: float(getattr(figures, name)) if name in DECIMALS else getattr(figures, name) for name in FIGURES}


def _statistics(request, unit_id, filters: Filters):
    try:
        _scope, unit = statistics_unit(request.auth, unit_id)
    except Http404:
        raise HttpError(404, _("Not found.")) from None
    return statistics_for(request.auth, unit=unit, filters=_filters(filters))


def _row(row) -> dict:
    return {"unit_id": row.unit.pk, "unit": row.unit.name, "own": row.is_own, "figures": _figures(row.figures)}


@api.get("/statistics", response=StatisticsOut, summary="Figures of a unit's subtree and of each child unit")
def statistics(request, filters: Query[Filters], unit: int | None = None, offset: int = 0, limit: int = 50):
    stats = _statistics(request, unit, filters)
    offset, limit = max(offset, 0), min(max(limit, 1), MAX_LIMIT)
    return {
        "unit_id": stats.unit.pk, "unit": stats.unit.name,
        "period_start": stats.filters.period.start.isoformat(), "period_end": stats.filters.period.end.isoformat(),
        "total": _figures(stats.total), "count": len(stats.rows),
        "rows": [_row(row) for row in stats.rows[offset:offset + limit]],
    }


@api.get("/statistics.csv", summary="The same table as CSV")
def statistics_csv(request, filters: Query[Filters], unit: int | None = None):
    stats = _statistics(request, unit, filters)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["unit_id", "unit", *FIGURES])
    for row in stats.rows:
        figures = _figures(row.figures)
        writer.writerow([row.unit.pk, row.unit.name, *("" if figures[name] is None else figures[name] for name in FIGURES)])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="thong-ke-{stats.filters.period.start:%Y%m%d}.csv"'
    return response
