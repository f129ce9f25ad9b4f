"""Training plan pages: thin views over reports.plans (which checks actors and statuses)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from courses.models import Course
from lms.formfields import bounded_formfield
from organisations.selectors import units_managed_by

from .models import PlanStatus, TrainingPlanLine
from .plans import (
    RETURN_COMMENT_MAX_LENGTH,
    PlanError,
    can_decide_plans,
    plan_approve,
    plan_create,
    plan_for,
    plan_line_add,
    plan_line_delete,
    plan_return,
    plan_revise,
    plan_submit,
    plan_vs_actual,
    plans_visible_to,
)
from .selectors import statistics_scope

PAGE_SIZE = 30


class PlanCreateForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=None)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2020, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_managed_by(user).order_by("path")
        self.fields["year"].initial = timezone.localdate().year + 1


class PlanLineForm(forms.ModelForm):
    class Meta:
        model = TrainingPlanLine
        fields = ["course", "track", "audience", "people", "quarter", "form", "budget_vnd"]
        formfield_callback = bounded_formfield  # -5 people is told "at least 1", not the type's "at least 0"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.order_by("title", "id")
        self.fields["course"].help_text = _("Choose a course, or leave it empty and choose a track.")


class ReturnForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("What should change"), max_length=RETURN_COMMENT_MAX_LENGTH,
                              widget=forms.Textarea(attrs={"rows": 3}))


def _visible_or_404(user):
    scope = statistics_scope(user)
    if scope is None or scope.audiences is not None:
        raise Http404


@login_required
def plan_list(request):
    _visible_or_404(request.user)
    can_draft = units_managed_by(request.user).exists()
    form = PlanCreateForm(request.POST or None, user=request.user) if can_draft else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                plan = plan_create(user=request.user, unit=form.cleaned_data["unit"], year=form.cleaned_data["year"])
            except PlanError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The plan has been created as a draft."))
                return redirect("reports:plan_detail", pk=plan.pk)
    plans = plans_visible_to(request.user).order_by("-year", "unit__path", "-version")
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "reports/plan_list.html", {
        "page": page, "form": form, "status": status, "statuses": PlanStatus.choices,
    })


def _plan_page(request, plan, *, line_form=None, return_form=None, status=200):
    """The plan with its lines; a refused line or return comes back as typed, with why."""
    manages = units_managed_by(request.user).filter(pk=plan.unit_id).exists()
    if line_form is None and manages and plan.is_editable:
        line_form = PlanLineForm()
    return render(request, "reports/plan_detail.html", {
        "plan": plan, "rows": plan_vs_actual(plan), "line_form": line_form, "manages": manages,
        "decides": can_decide_plans(request.user), "return_form": return_form or ReturnForm(),
        "total_budget": sum(line.budget_vnd for line in plan.lines.all()),
    }, status=status)


@login_required
def plan_detail(request, pk: int):
    plan = plan_for(request.user, pk)
    if request.method != "POST":
        return _plan_page(request, plan)
    if not (plan.is_editable and units_managed_by(request.user).filter(pk=plan.unit_id).exists()):
        raise Http404
    line_form = PlanLineForm(request.POST)
    if line_form.is_valid():
        try:
            plan_line_add(user=request.user, plan=plan, **line_form.cleaned_data)
        except PlanError as error:
            line_form.add_error(None, str(error))
        else:
            messages.success(request, _("The line has been added."))
            return redirect("reports:plan_detail", pk=plan.pk)
    return _plan_page(request, plan, line_form=line_form, status=400)


@login_required
def plan_line_remove(request, pk: int, line_id: int):
    plan = plan_for(request.user, pk)
    line = get_object_or_404(plan.lines, pk=line_id)
    if request.method == "POST":
        try:
            plan_line_delete(user=request.user, line=line)
        except PlanError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The line has been removed."))
        return redirect("reports:plan_detail", pk=plan.pk)
    return render(request, "reports/plan_line_confirm_delete.html", {"plan": plan, "line": line})


@login_required
@require_POST
def plan_transition(request, pk: int, action: str):
    plan = plan_for(request.user, pk)
    try:
        if action == "submit":
            plan = plan_submit(user=request.user, plan=plan)
            messages.success(request, _("The plan has been submitted to Home Affairs."))
        elif action == "approve":
            plan = plan_approve(user=request.user, plan=plan)
            messages.success(request, _("The plan has been approved."))
        elif action == "return":
            return_form = ReturnForm(request.POST)
            if not return_form.is_valid():
                return _plan_page(request, plan, return_form=return_form, status=400)
            plan = plan_return(user=request.user, plan=plan, comment=return_form.cleaned_data["comment"])
            messages.success(request, _("The plan has been returned with your comment."))
        elif action == "revise":
            plan = plan_revise(user=request.user, plan=plan)
            messages.success(request, _("A new draft version has been started."))
        else:
            raise Http404
    except PlanError as error:
        messages.error(request, str(error))
    return redirect("reports:plan_detail", pk=plan.pk)
