"""The unit officer's matrix (people × competencies, filterable, paginated, exportable to XLSX) and Home
Affairs' read-only coverage by unit."""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from organisations.models import Audience, OrganisationUnit
from organisations.selectors import province_root

from .choices import CompetencyGroup, RecordState
from .selectors.matrix import (
    can_view_coverage,
    can_view_matrix,
    coverage_by_unit,
    matrix_competencies,
    matrix_people,
    matrix_rows,
    matrix_units,
)

PAGE_SIZE = 50
EXPORT_BATCH = 500
STATE_MARKS = {RecordState.ACTIVE: "✓", RecordState.EXPIRED: "H", RecordState.REVOKED: "T"}


def _filters(request):
    units = matrix_units(request.user)
    unit = None
    if request.GET.get("unit", "").isdecimal():
        unit = get_object_or_404(units, pk=int(request.GET["unit"]))
    audience = request.GET.get("audience", "")
    audience = audience if audience in Audience.values else ""
    group = request.GET.get("group", "")
    group = group if group in CompetencyGroup.values else ""
    query = request.GET.get("q", "").strip()[:100]
    return units, unit, audience, group, query


def matrix(request):
    if not request.user.is_authenticated or not can_view_matrix(request.user):
        raise PermissionDenied
    units, unit, audience, group, query = _filters(request)
    competencies = matrix_competencies(group)
    people = matrix_people(request.user, unit=unit, audience=audience, query=query)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = matrix_rows(page.object_list, competencies)
    return render(request, "certification/matrix.html", {
        "page": page, "rows": rows, "competencies": competencies, "units": units, "unit": unit,
        "audience": audience, "group": group, "query": query, "audiences": Audience.choices,
        "groups": CompetencyGroup.choices, "marks": STATE_MARKS, "querystring": request.GET.urlencode(),
    })


def matrix_xlsx(request):
    """Every person of the filter (not just a page), in batches, with openpyxl's write-only workbook."""
    from openpyxl import Workbook

    from lms.spreadsheets import safe_row
    from privacy.models import AccessAction
    from privacy.services import describe_filters, personal_data_accessed

    if not request.user.is_authenticated or not can_view_matrix(request.user):
        raise PermissionDenied
    _units, unit, audience, group, query = _filters(request)
    competencies = matrix_competencies(group)
    people = matrix_people(request.user, unit=unit, audience=audience, query=query)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Competencies"))
    sheet.append([_("Full name"), _("Employee code"), _("Unit"), _("Audience")]
                 + [c.code for c in competencies] + [_("Standards met")])
    paginator = Paginator(people, EXPORT_BATCH)
    labels = dict(RecordState.choices)
    exported = []
    for number in paginator.page_range:
        for row in matrix_rows(paginator.page(number).object_list, competencies):
            person = row.person
            exported.append(person.pk)
            sheet.append(safe_row(
                [person.full_name, person.employee_code or "", person.unit.name if person.unit else "",
                 person.get_audience_display()]
                + [str(labels[state]) if state else "" for state, _record in row.cells]
                + [", ".join(standard.name for standard in row.standards)]
            ))
    personal_data_accessed(user=request.user, action=AccessAction.EXPORT, what="certification:matrix_xlsx",
                           person_ids=exported, filters=describe_filters(request.GET))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(True, f"nang-luc-{timezone.localdate():%Y%m%d}.xlsx")
    return response


def coverage(request):
    if not request.user.is_authenticated or not can_view_coverage(request.user):
        raise PermissionDenied
    parent = None
    if request.GET.get("unit", "").isdecimal():
        parent = get_object_or_404(OrganisationUnit, pk=int(request.GET["unit"]))
    group = request.GET.get("group", "")
    group = group if group in CompetencyGroup.values else CompetencyGroup.IT_BASIC
    result = coverage_by_unit(parent=parent, group=group)
    return render(request, "certification/coverage.html", {
        "coverage": result, "group": group, "groups": CompetencyGroup.choices, "province": province_root(),
    })
