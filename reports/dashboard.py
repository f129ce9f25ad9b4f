"""The statistics page's figures, computed and rendered once per reader's scope, unit, filters and
rollup version, then served from the cache (Redis in production).

The province's page formats thousands of numbers (one row per child unit, the chart, the coverage
table) and renders the filter form's widgets: that, not the SQL, was most of its time. The figures come from the rollups and change only
when a refresh or a rebuild runs, so the computed figures and their rendered section are kept in the
cache under a key holding the rollup state's timestamps (every run of either bumps them, so new
figures make new keys; each run publishes them to the cache as it commits, see `rollups_version`) and for at most CACHE_SECONDS, which bounds how stale the parts read live
(classes held, competency coverage, skill levels) can be.

The key holds everything the section depends on: the reader's scope (subtree, audiences, whether they
may see people) and roles, the unit, the filters, the query string the section's links carry, the
language and the day. An entry is therefore only ever served to a reader who would have computed
exactly the same one: a unit officer's figures never reach a reader of another scope.
"""

from __future__ import annotations

import datetime
import hashlib
import json

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.roles import user_roles
from organisations.models import OrganisationUnit
from placement.modules import Level

from .charts import CHART_ROWS, bar_chart
from .models import RollupState
from .rollups import VERSION_CACHE_KEY, VERSION_CACHE_SECONDS, rollup_version
from .selectors import StatisticsFilter, StatisticsScope, coverage_for, skill_levels_for, statistics_for

CACHE_SECONDS = 300
TEMPLATE = "reports/statistics_figures.html"


def rollups_version() -> dict[str, str | None]:
    """What changes whenever the rollups do (the last rebuild and the last refresh), from the cache:
    every rebuild and refresh publishes it there when it commits, so a page served from the cache
    needs no query for it. When it is missing (expired, or the cache was flushed) it is read from the
    database and put back with `add`, which never overwrites a version a run has just published."""
    version = cache.get(VERSION_CACHE_KEY)
    if version is None:
        version = rollup_version(RollupState.objects.filter(pk=1).first())
        cache.add(VERSION_CACHE_KEY, version, VERSION_CACHE_SECONDS)
    return version


def refreshed_until(version: dict[str, str | None]) -> datetime.datetime | None:
    value = version.get("refreshed_until")
    return datetime.datetime.fromisoformat(value) if value else None


def dashboard_cache_key(user, *, scope: StatisticsScope, unit: OrganisationUnit, filters: StatisticsFilter,
                        version: dict[str, str | None], query_string: str) -> str:
    parts = {
        "roles": sorted(str(role) for role in user_roles(user)),
        "scope": [scope.root.pk, scope.root.path, scope.audiences and sorted(scope.audiences), scope.may_see_people],
        "unit": unit.pk,
        "filters": repr(filters),
        "query": query_string,
        "language": translation.get_language(),
        "today": timezone.localdate().isoformat(),
        "rollups": [version.get("rebuilt_at"), version.get("refreshed_until")],
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"reports:dashboard:v2:{digest}"  # v2: the entry holds only the section and the total


def dashboard_figures(user, *, scope: StatisticsScope, unit: OrganisationUnit, form, version: dict[str, str | None],
                      query_string: str) -> dict:
    """The figures section's context, with the section (the filter form and the figures) rendered as
    `figures_html` and the subtree's `total`: from the cache, or computed (a fixed number of queries,
    whatever the data) and cached. The form is rendered with them: it depends only on the query string
    (in the key) and the list of courses, and rendering its widgets cost as much as the figures. Only
    the rendered section and the total are cached (no model instances: unpickling the ~200 units and
    competencies of a province's figures was most of a cache hit's time); the other figures are in the
    context only when they were just computed."""
    filters = form.filters()
    key = dashboard_cache_key(user, scope=scope, unit=unit, filters=filters, version=version, query_string=query_string)
    shared = {"may_see_people": scope.may_see_people, "query_string": query_string}
    cached = cache.get(key)
    if cached is not None:
        return {**shared, "total": cached["total"], "figures_html": mark_safe(cached["figures_html"])}  # rendered by us, below
    today = timezone.localdate()
    stats = statistics_for(user, unit=unit, filters=filters)
    charted = stats.rows
    if len(charted) > CHART_ROWS:  # the units with the most enrolments, in the table's order
        largest = sorted(range(len(charted)), key=lambda index: charted[index].figures.enrolled, reverse=True)
        charted = [charted[index] for index in sorted(largest[:CHART_ROWS])]
    context = {
        **shared,
        "unit": unit,
        "stats": stats,
        "total": stats.total,
        "coverage": coverage_for(user, unit=unit, filters=filters, today=today),
        "skill_levels": skill_levels_for(user, unit=unit, filters=filters, today=today),
        "chart": bar_chart(
            [(str(row.unit) if not row.is_own else _("Directly in this unit"), [row.figures.enrolled, row.figures.completed])
             for row in charted],
            [(_("Enrolled"), "bar-enrolled"), (_("Completed"), "bar-completed")],
        ),
        "chart_rows_left_out": len(stats.rows) - len(charted),
    }
    html = render_to_string(TEMPLATE, {**context, "form": form, "skill_level_names": Level.labels})
    cache.set(key, {"total": stats.total, "figures_html": str(html)}, CACHE_SECONDS)
    return {**context, "figures_html": html}
