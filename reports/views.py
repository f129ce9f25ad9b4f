"""Statistics pages: thin views over reports.selectors, which decide scope (404 outside it)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from organisations.selectors import people_search
from privacy.models import AccessAction
from privacy.services import describe_filters, personal_data_accessed

from .dashboard import dashboard_figures, refreshed_until, rollups_version
from .forms import StatisticsForm
from .selectors import (
    people_for_statistics,
    statistics_scope,
    statistics_unit,
    unit_ancestors,
)
from .targets import target_years, targets_dashboard, trend_dates

PAGE_SIZE = 50


@login_required
def statistics(request, unit_id: int | None = None):
    scope, unit = statistics_unit(request.user, unit_id)
    form = StatisticsForm(request.GET or None)
    version = rollups_version()
    figures = dashboard_figures(request.user, scope=scope, unit=unit, form=form, version=version,
                                query_string=request.GET.urlencode())
    return render(
        request,
        "reports/statistics.html",
        {**figures, "form": form, "unit": unit, "ancestors": unit_ancestors(scope, unit),
         "refreshed_until": refreshed_until(version),
         # Plans and periodic reports cover every audience: a reader limited to some (the Farmers' Union) has none.
         "sees_plans_and_reports": scope.audiences is None},
    )


@login_required
def unit_people(request, unit_id: int):
    """The people of a unit's subtree: the last step of the drill-down, for roles that may see people."""
    scope, unit = statistics_unit(request.user, unit_id)
    if not scope.may_see_people:
        raise Http404
    form = StatisticsForm(request.GET or None)
    query = request.GET.get("q", "")
    people = people_for_statistics(request.user, unit=unit, filters=form.filters(), today=timezone.localdate())
    people = people_search(people, query).order_by("full_name", "id")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    personal_data_accessed(user=request.user, action=AccessAction.LIST, what="reports:unit_people",
                           person_ids=[person.pk for person in page.object_list],
                           filters=describe_filters({"unit": unit.pk, **request.GET.dict()}))
    return render(request, "reports/unit_people.html", {"unit": unit, "page": page, "query": query})


@login_required
def targets(request):
    """The programme targets of a year: current value over the reader's scope, target, status, trend."""
    scope = statistics_scope(request.user)
    if scope is None:
        raise Http404
    years = target_years()
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    if year not in years:
        past = [candidate for candidate in years if candidate <= today.year]
        year = past[-1] if past else (years[0] if years else today.year)
    rows = targets_dashboard(request.user, year=year, today=today)
    dates = trend_dates(rows)
    trend_table = [
        (row, [next((point for point in row.trend if point.measured_on == day), None) for day in dates]) for row in rows
    ]
    return render(
        request,
        "reports/targets.html",
        {"rows": rows, "year": year, "years": years, "unit": scope.root, "trend_dates": dates,
         "trend_table": trend_table},
    )
