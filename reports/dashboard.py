"""The statistics page's figures, computed and rendered once per reader's scope, unit, filters and
rollup version, then served from the cache (Redis in production).

The province's page formats thousands of numbers (one row per child unit, the chart, the coverage
table) and renders the filter form's widgets: that, not the SQL, was most of its time. The figures come from the rollups and change only
when a refresh or a rebuild runs, so the computed figures and their rendered section are kept in the
cache under a key holding the rollup state's timestamps (every run of either bumps them, so new
figures make new keys) and for at most CACHE_SECONDS, which bounds how stale the parts read live
(classes held, competency coverage, skill levels) can be.

The key holds everything the section depends on: the reader's scope (subtree, audiences, whether they
may see people) and roles, the unit, the filters, the query string the section's links carry, the
language and the day. An entry is therefore only ever served to a reader who would have computed
exactly the same one: a unit officer's figures never reach a reader of another scope.
"""

from __future__ import annotations

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

from .charts import bar_chart
from .models import RollupState
from .selectors import StatisticsFilter, StatisticsScope, coverage_for, skill_levels_for, statistics_for

CACHE_SECONDS = 300
TEMPLATE = "reports/statistics_figures.html"


def rollup_version(state: RollupState | None) -> list[str | None]:
    """What changes whenever the rollups do: the last rebuild and the last refresh."""
    if state is None:
        return [None, None]
    return [state.rebuilt_at and state.rebuilt_at.isoformat(), state.refreshed_until and state.refreshed_until.isoformat()]


def dashboard_cache_key(user, *, scope: StatisticsScope, unit: OrganisationUnit, filters: StatisticsFilter,
                        state: RollupState | None, query_string: str) -> str:
    parts = {
        "roles": sorted(str(role) for role in user_roles(user)),
        "scope": [scope.root.pk, scope.root.path, scope.audiences and sorted(scope.audiences), scope.may_see_people],
        "unit": unit.pk,
        "filters": repr(filters),
        "query": query_string,
        "language": translation.get_language(),
        "today": timezone.localdate().isoformat(),
        "rollups": rollup_version(state),
    }
    digest = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()
    return f"reports:dashboard:{digest}"


def dashboard_figures(user, *, scope: StatisticsScope, unit: OrganisationUnit, form, state: RollupState | None,
                      query_string: str) -> dict:
    """The figures section's context, with the section (the filter form and the figures) rendered as
    `figures_html`: from the cache, or computed (a fixed number of queries, whatever the data) and
    cached. The form is rendered with them: it depends only on the query string (in the key) and the
    list of courses, and rendering its widgets cost as much as the figures."""
    filters = form.filters()
    key = dashboard_cache_key(user, scope=scope, unit=unit, filters=filters, state=state, query_string=query_string)
    cached = cache.get(key)
    if cached is not None:
        return {**cached, "figures_html": mark_safe(cached["figures_html"])}  # rendered by us, below
    today = timezone.localdate()
    stats = statistics_for(user, unit=unit, filters=filters)
    context = {
        "unit": unit,
        "stats": stats,
        "coverage": coverage_for(user, unit=unit, filters=filters, today=today),
        "skill_levels": skill_levels_for(user, unit=unit, filters=filters, today=today),
        "chart": bar_chart(
            [(str(row.unit) if not row.is_own else _("Directly in this unit"), [row.figures.enrolled, row.figures.completed])
             for row in stats.rows],
            [(_("Enrolled"), "bar-enrolled"), (_("Completed"), "bar-completed")],
        ),
        "may_see_people": scope.may_see_people,
        "query_string": query_string,
    }
    html = render_to_string(TEMPLATE, {**context, "form": form, "skill_level_names": Level.labels})
    cache.set(key, {**context, "figures_html": str(html)}, CACHE_SECONDS)
    return {**context, "figures_html": html}
