"""Gradebook pages: the courses a user may open, a course's gradebook (search, unit filter, pages) and
its XLSX export. Front-end pages, so unit officers (who do not use the Wagtail admin) reach them too;
the admin menu links here for trainers and curriculum managers. Scoping is the selectors'."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from privacy.models import AccessAction
from privacy.services import MAX_IDS, describe_filters, personal_data_accessed

from .exports import export_path, export_token, export_token_read, sync_export_limit
from .selectors import (
    gradebook_columns,
    gradebook_courses_for,
    gradebook_enrolments,
    gradebook_rows,
    gradebook_scope,
    gradebook_units,
    lessons_total,
)
from .tasks import gradebook_export_build
from .xlsx import gradebook_workbook

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _scope_or_404(user, pk):
    scope = gradebook_scope(user, pk)
    if scope is None:
        raise Http404
    return scope


def _log_filters(scope, request) -> str:
    return describe_filters({"course": scope.course.pk, **request.GET.dict()})


def _filters(request) -> tuple[str, str]:
    return request.GET.get("q", "")[:150], request.GET.get("unit", "")[:12]


@login_required
def course_list(request):
    courses = gradebook_courses_for(request.user).order_by("title", "pk")
    page = Paginator(courses, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assessments/gradebook/course_list.html", {"page": page})


@login_required
def course_gradebook(request, pk: int):
    scope = _scope_or_404(request.user, pk)
    query, unit_id = _filters(request)
    columns = gradebook_columns(scope.course)
    page = Paginator(gradebook_enrolments(scope, query=query, unit_id=unit_id), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    personal_data_accessed(user=request.user, action=AccessAction.LIST, what="assessments:gradebook:course",
                           person_ids=[enrolment.person_id for enrolment in page.object_list],
                           filters=_log_filters(scope, request))
    return render(
        request,
        "assessments/gradebook/course.html",
        {
            "course": scope.course, "columns": columns, "page": page,
            "rows": gradebook_rows(list(page.object_list), columns), "lessons_total": lessons_total(scope.course),
            "units": gradebook_units(scope), "query": query, "unit_id": unit_id,
        },
    )


def _filename(course) -> str:
    return f"gradebook-{slugify(course.code) or course.pk}-{timezone.localdate():%Y%m%d}.xlsx"


@login_required
def course_export(request, pk: int):
    """Small courses stream the workbook at once; larger ones are built by Celery (the request only
    enqueues) and the user is sent to a page that offers the file once it is ready."""
    scope = _scope_or_404(request.user, pk)
    query, unit_id = _filters(request)
    enrolments = gradebook_enrolments(scope, query=query, unit_id=unit_id)
    total = enrolments.count()
    # Logged when asked for: the filters replay the export, whether streamed now or built by the worker.
    personal_data_accessed(
        user=request.user, action=AccessAction.EXPORT, what="assessments:gradebook:export",
        person_ids=enrolments.values_list("person_id", flat=True) if total <= MAX_IDS else (), count=total,
        filters=_log_filters(scope, request),
    )
    if total <= sync_export_limit():
        response = HttpResponse(gradebook_workbook(scope, query=query, unit_id=unit_id), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(True, _filename(scope.course))
        return response
    token = export_token(user_id=request.user.pk, course_id=scope.course.pk)
    gradebook_export_build.delay_on_commit(token, request.user.pk, scope.course.pk, query, unit_id)
    return redirect(reverse("assessments:gradebook:export_status", args=[scope.course.pk]) + f"?token={token}")


@login_required
def export_status(request, pk: int):
    scope = _scope_or_404(request.user, pk)
    token = request.GET.get("token", "")
    payload = export_token_read(token, user_id=request.user.pk)
    if payload is None or payload.get("c") != scope.course.pk:
        raise Http404
    ready = export_path(token).exists()
    if ready and request.GET.get("download"):
        return FileResponse(
            export_path(token).open("rb"), as_attachment=True, filename=_filename(scope.course), content_type=XLSX
        )
    return render(
        request, "assessments/gradebook/export_status.html", {"course": scope.course, "token": token, "ready": ready}
    )
