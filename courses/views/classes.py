"""Officers' class pages: list, open a class, its sessions, members and attendance sheets.

Who may do what is decided by courses.selectors (cohorts_visible_to, can_manage_cohort) and the
services; a class the user may not see answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organisations.selectors import can_manage_people

from ..errors import CoursesError
from ..forms import CohortForm, PeopleChoiceForm, SessionForm
from ..models import ClassSession, Enrolment
from ..selectors import (
    can_manage_cohort,
    cohort_members,
    cohort_sessions,
    cohorts_visible_to,
    session_attendance,
)
from ..services import (
    attendance_record,
    cohort_create,
    cohort_member_remove,
    cohort_members_add,
    cohort_members_add_by_audience,
    session_create,
    session_delete,
)

PAGE_SIZE = 30


def _cohort_for(request, pk: int, *, manage: bool):
    cohort = get_object_or_404(cohorts_visible_to(request.user), pk=pk)
    if manage and not can_manage_cohort(request.user, cohort):
        raise PermissionDenied
    return cohort


@login_required
def class_list(request):
    cohorts = cohorts_visible_to(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        cohorts = cohorts.filter(Q(name__icontains=query) | Q(course__title__icontains=query))
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "courses/classes/list.html",
        {"page": page, "query": query, "can_create": can_manage_people(request.user)},
    )


@login_required
def class_create(request):
    if not can_manage_people(request.user):
        raise PermissionDenied
    form = CohortForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = cohort_create(**form.cleaned_data, created_by=request.user)
        except CoursesError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Class “%(name)s” opened. Add its sessions and members.") % {"name": cohort.name})
            return redirect("courses:class_detail", pk=cohort.pk)
    return render(request, "courses/classes/form.html", {"form": form, "title": _("Open a class")})


@login_required
def class_detail(request, pk: int):
    cohort = _cohort_for(request, pk, manage=False)
    members = Paginator(cohort_members(cohort), PAGE_SIZE).get_page(request.GET.get("page"))
    sessions = list(cohort_sessions(cohort))
    return render(
        request,
        "courses/classes/detail.html",
        {
            "cohort": cohort,
            "page": members,
            "sessions": sessions,
            "can_manage": can_manage_cohort(request.user, cohort),
            "now": timezone.now(),
        },
    )


@login_required
def class_members_add(request, pk: int):
    cohort = _cohort_for(request, pk, manage=True)
    form = PeopleChoiceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        if "confirm" not in request.POST:
            return render(
                request,
                "courses/classes/members_confirm.html",
                {"form": form, "cohort": cohort, "count": form.people().count()},
            )
        try:
            if form.uses_audience:
                result = cohort_members_add_by_audience(
                    cohort=cohort, audience=form.cleaned_data["audience"], unit=form.cleaned_data["unit"],
                    added_by=request.user,
                )
            else:
                result = cohort_members_add(cohort=cohort, people=form.people(), added_by=request.user)
        except CoursesError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(added)d person added to the class, %(already)d already in it.",
                    "%(added)d people added to the class, %(already)d already in it.",
                    result.added,
                )
                % {"added": result.added, "already": result.already},
            )
            if result.elsewhere:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)d person follows this course in another class and was left there.",
                        "%(count)d people follow this course in another class and were left there.",
                        result.elsewhere,
                    )
                    % {"count": result.elsewhere},
                )
            return redirect("courses:class_detail", pk=cohort.pk)
    return render(request, "courses/classes/members_add.html", {"form": form, "cohort": cohort})


@login_required
def class_member_remove(request, pk: int, enrolment_pk: int):
    cohort = _cohort_for(request, pk, manage=True)
    enrolment = get_object_or_404(Enrolment.objects.select_related("person"), pk=enrolment_pk, cohort=cohort)
    if request.method == "POST":
        cohort_member_remove(cohort=cohort, enrolment=enrolment, removed_by=request.user)
        messages.success(request, _("%(name)s was taken out of the class.") % {"name": enrolment.person.full_name})
        return redirect("courses:class_detail", pk=cohort.pk)
    return render(
        request,
        "courses/classes/confirm.html",
        {
            "cohort": cohort,
            "question": _("Take %(name)s out of the class “%(class)s”?")
            % {"name": enrolment.person.full_name, "class": cohort.name},
            "detail": _("Their enrolment, progress and attendance records are kept."),
            "action": _("Take out of the class"),
        },
    )


@login_required
def session_add(request, pk: int):
    cohort = _cohort_for(request, pk, manage=True)
    form = SessionForm(request.POST or None, cohort=cohort)
    if request.method == "POST" and form.is_valid():
        starts_at, ends_at = form.times()
        data = form.cleaned_data
        try:
            session_create(
                cohort=cohort, starts_at=starts_at, ends_at=ends_at, place=data["place"], topic=data["topic"],
                trainer=data["trainer"], created_by=request.user,
            )
        except CoursesError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Session scheduled."))
            return redirect("courses:class_detail", pk=cohort.pk)
    return render(
        request, "courses/classes/form.html", {"form": form, "cohort": cohort, "title": _("Schedule a session")}
    )


@login_required
def session_remove(request, pk: int, session_pk: int):
    cohort = _cohort_for(request, pk, manage=True)
    session = get_object_or_404(ClassSession, pk=session_pk, cohort=cohort)
    if request.method == "POST":
        try:
            session_delete(session=session, deleted_by=request.user)
        except CoursesError as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Session cancelled."))
        return redirect("courses:class_detail", pk=cohort.pk)
    local = timezone.localtime(session.starts_at)
    return render(
        request,
        "courses/classes/confirm.html",
        {
            "cohort": cohort,
            "question": _("Cancel the session of %(when)s at %(place)s?")
            % {"when": local.strftime("%d/%m/%Y %H:%M"), "place": session.place},
            "detail": _("Members' attendance requirement is then counted over the remaining sessions."),
            "action": _("Cancel the session"),
        },
    )


@login_required
def session_attendance_sheet(request, pk: int, session_pk: int):
    cohort = _cohort_for(request, pk, manage=False)
    session = get_object_or_404(ClassSession.objects.select_related("trainer"), pk=session_pk, cohort=cohort)
    if not (can_manage_cohort(request.user, cohort) or session.trainer_id == request.user.pk):
        raise PermissionDenied
    ticked = None  # what the refused sheet had ticked, shown again rather than the saved sheet
    if request.method == "POST":
        try:
            present_ids = {int(value) for value in request.POST.getlist("present")}
        except ValueError:
            present_ids = None
        if present_ids is None:
            messages.error(request, _("The attendance sheet was not valid; nothing was saved."))
        else:
            try:
                count = attendance_record(session=session, present_enrolment_ids=present_ids, recorded_by=request.user)
            except CoursesError as refusal:
                messages.error(request, refusal.message)
                ticked = present_ids
            else:
                messages.success(
                    request,
                    ngettext("Attendance saved: %(count)d present.", "Attendance saved: %(count)d present.", count)
                    % {"count": count},
                )
                return redirect("courses:class_detail", pk=cohort.pk)
    members = session_attendance(session)
    if ticked is not None:
        for member in members:  # the members of now: one taken out of the class meanwhile is no longer listed
            member.present = member.pk in ticked
    return render(
        request,
        "courses/classes/attendance.html",
        {"cohort": cohort, "session": session, "members": members, "now": timezone.now()},
    )
