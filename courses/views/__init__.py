"""Learner and officer pages of enrolment and assignment. Rules live in services and selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from organisations.selectors import can_manage_people, person_of

from ..errors import CoursesError
from ..forms import AssignmentForm
from ..models import Course
from ..selectors import DUE_SOON_DAYS, assignments_in_scope, learning_dashboard
from ..services import assignment_create, assignment_create_for_audience, enrolment_create

PAGE_SIZE = 50


@require_POST
@login_required
def enrol(request, pk: int):
    course = get_object_or_404(Course.objects.select_related("page"), pk=pk)
    person = person_of(request.user)
    if person is None:
        messages.error(request, _("Only people with a learner profile can enrol."))
    else:
        try:
            enrolment_create(person=person, course=course)
        except CoursesError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("You are enrolled in “%(title)s”.") % {"title": course.title})
    return redirect(course.page.get_url(request) or "/")


@login_required
def assign(request):
    if not can_manage_people(request.user):
        raise PermissionDenied
    form = AssignmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "confirm" not in request.POST:
            return render(request, "courses/assign_confirm.html", {"form": form, "count": form.people().count()})
        try:
            if form.uses_audience:
                result = assignment_create_for_audience(
                    course=data["course"], audience=data["audience"], unit=data["unit"],
                    due_date=data["due_date"], assigned_by=request.user,
                )
            else:
                result = assignment_create(
                    course=data["course"], people=form.people(), due_date=data["due_date"], assigned_by=request.user
                )
        except CoursesError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(created)d person assigned, %(updated)d already assigned (due date updated).",
                    "%(created)d people assigned, %(updated)d already assigned (due date updated).",
                    result.created,
                )
                % {"created": result.created, "updated": result.updated},
            )
            return redirect("courses:assignments", pk=data["course"].pk)
    return render(request, "courses/assign.html", {"form": form})


@login_required
def assignments(request, pk: int):
    if not can_manage_people(request.user):
        raise PermissionDenied
    course = get_object_or_404(Course, pk=pk)
    rows = assignments_in_scope(user=request.user, course=course)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "courses/assignments.html", {"course": course, "page": page, "today": timezone.localdate()}
    )


@login_required
def my_learning(request):
    person = person_of(request.user)
    dashboard = learning_dashboard(person) if person is not None else None
    return render(
        request,
        "courses/my_learning.html",
        {"dashboard": dashboard, "today": timezone.localdate(), "due_soon_days": DUE_SOON_DAYS},
    )
