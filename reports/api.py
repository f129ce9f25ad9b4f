"""The read-only statistics API (Django Ninja): per-user tokens scoped like the web roles, the same
filters as the statistics page, paginated unit rows, competency coverage, the IT skill survey's levels
and the programme targets, each table also as CSV, OpenAPI at /api/statistics/v1/openapi.json.

Not to be confused with the `api.py` other apps expose to each other: nothing imports this module but
the URL configuration.
"""

from __future__ import annotations

import csv
import io

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from lms.spreadsheets import safe_row
from placement.modules import Level

from .forms import StatisticsForm
from .models import ApiToken
from .selectors import FIGURES, StatisticsFilter, coverage_for, skill_levels_for, statistics_for, statistics_unit
from .targets import targets_dashboard
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


def _unit(request, unit_id):
    try:
        _scope, unit = statistics_unit(request.auth, unit_id)
    except Http404:
        raise HttpError(404, _("Not found.")) from None
    return unit


def _statistics(request, unit_id, filters: Filters):
    return statistics_for(request.auth, unit=_unit(request, unit_id), filters=_filters(filters))


def _csv(header: list[str], rows, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow(safe_row("" if value is None else value for value in row))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


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
    rows = []
    for row in stats.rows:
        figures = _figures(row.figures)
        rows.append([row.unit.pk, row.unit.name, *(figures[name] for name in FIGURES)])
    return _csv(["unit_id", "unit", *FIGURES], rows, f"thong-ke-{stats.filters.period.start:%Y%m%d}.csv")


class ShareOut(Schema):
    code: str
    name: str
    people: int
    share: float | None


class CoverageOut(Schema):
    unit_id: int
    unit: str
    live: bool = True
    people: int
    standards: list[ShareOut]
    competencies: list[ShareOut]


def _coverage(request, unit_id, filters: Filters) -> dict:
    unit = _unit(request, unit_id)
    coverage = coverage_for(request.auth, unit=unit, filters=_filters(filters))
    return {
        "unit_id": unit.pk, "unit": unit.name, "people": coverage.people,
        "standards": [{"code": standard.code, "name": standard.name, "people": count, "share": coverage.share(count)}
                      for standard, count in coverage.standards],
        "competencies": [{"code": item.code, "name": item.name, "people": count, "share": coverage.share(count)}
                         for item, count in coverage.competencies],
    }


@api.get("/coverage", response=CoverageOut, summary="Share of people holding each competency and meeting each standard now")
def coverage(request, filters: Query[Filters], unit: int | None = None):
    return _coverage(request, unit, filters)


@api.get("/coverage.csv", summary="The same table as CSV")
def coverage_csv(request, filters: Query[Filters], unit: int | None = None):
    data = _coverage(request, unit, filters)
    rows = [["standard", row["code"], row["name"], row["people"], row["share"]] for row in data["standards"]]
    rows += [["competency", row["code"], row["name"], row["people"], row["share"]] for row in data["competencies"]]
    return _csv(["kind", "code", "name", "people", "share"], rows, f"nang-luc-{data['unit_id']}.csv")


class ModuleLevelsOut(Schema):
    code: str
    name: str
    levels: dict[str, int]
    total: int


class SkillLevelsOut(Schema):
    unit_id: int
    unit: str
    period_start: str
    period_end: str
    people: int
    modules: list[ModuleLevelsOut]


def _skill_levels(request, unit_id, filters: Filters) -> dict:
    unit = _unit(request, unit_id)
    statistics_filter = _filters(filters)
    levels = skill_levels_for(request.auth, unit=unit, filters=statistics_filter)
    return {
        "unit_id": unit.pk, "unit": unit.name, "people": levels.people,
        "period_start": statistics_filter.period.start.isoformat(),
        "period_end": statistics_filter.period.end.isoformat(),
        "modules": [{"code": module.code, "name": module.name, "total": module.total,
                     "levels": {level.name.lower(): count for level, count in zip(Level, module.counts)}}
                    for module in levels.modules],
    }


@api.get("/skill-levels", response=SkillLevelsOut, summary="The IT skill survey's levels per basic module")
def skill_levels(request, filters: Query[Filters], unit: int | None = None):
    return _skill_levels(request, unit, filters)


@api.get("/skill-levels.csv", summary="The same table as CSV")
def skill_levels_csv(request, filters: Query[Filters], unit: int | None = None):
    data = _skill_levels(request, unit, filters)
    names = [level.name.lower() for level in Level]
    rows = [[module["code"], module["name"], *(module["levels"][name] for name in names), module["total"]]
            for module in data["modules"]]
    return _csv(["module", "name", *names, "total"], rows, f"trinh-do-cntt-{data['period_start']}.csv")


class TargetOut(Schema):
    indicator: str
    name: str
    year: int
    value: float | None
    numerator: int
    denominator: int | None
    target: float
    status: str


def _targets(request, year: int | None) -> list[dict]:
    year = year or timezone.localdate().year
    return [
        {"indicator": row.target.indicator, "name": str(row.target.get_indicator_display()), "year": row.target.year,
         "value": None if row.measure.value is None else float(row.measure.value), "numerator": row.measure.numerator,
         "denominator": row.measure.denominator, "target": float(row.target.target_value), "status": row.status}
        for row in targets_dashboard(request.auth, year=year)
    ]


@api.get("/targets", response=list[TargetOut], summary="The programme targets of a year over the token's scope")
def targets(request, year: int | None = None):
    return _targets(request, year)


@api.get("/targets.csv", summary="The same table as CSV")
def targets_csv(request, year: int | None = None):
    rows = _targets(request, year)
    header = ["indicator", "name", "year", "value", "numerator", "denominator", "target", "status"]
    return _csv(header, [[row[name] for name in header] for row in rows], "chi-tieu.csv")
