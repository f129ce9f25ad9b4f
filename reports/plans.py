"""Training plans: the transition services (draft → submitted → approved, or returned with a comment;
an approved plan is locked and revised as a new version) and plan against actual.

Officers draft plans for the units they manage (`units_managed_by`); Home Affairs (and site
administrators) decide. Every service checks its actor and the current status, locking the plan row,
and refuses anything else with a localised `PlanError`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, user_roles
from organisations.models import OrganisationUnit
from organisations.selectors import units_managed_by

from .models import DailyFigures, PlanStatus, TrainingPlan, TrainingPlanLine
from .selectors import statistics_scope


class PlanError(Exception):
    """A refused plan operation; the message is localised and shown as it is."""


def can_decide_plans(user) -> bool:
    return bool(user_roles(user) & {Role.HOME_AFFAIRS, Role.SITE_ADMIN})


def plans_visible_to(user):
    """Plans of the units whose statistics the user reads (Home Affairs: all; officers: their subtree)."""
    scope = statistics_scope(user)
    if scope is None or scope.audiences is not None:
        return TrainingPlan.objects.none()
    return TrainingPlan.objects.filter(unit__path__startswith=scope.root.path).select_related("unit")


def plan_for(user, plan_id) -> TrainingPlan:
    try:
        return plans_visible_to(user).get(pk=int(plan_id))
    except (TrainingPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def _locked(plan: TrainingPlan) -> TrainingPlan:
    return TrainingPlan.objects.select_for_update().get(pk=plan.pk)


def _check_manager(user, unit: OrganisationUnit) -> None:
    if not units_managed_by(user).filter(pk=unit.pk).exists():
        raise PlanError(_("You do not manage this unit's training."))


@transaction.atomic
def plan_create(*, user, unit: OrganisationUnit, year: int) -> TrainingPlan:
    _check_manager(user, unit)
    if TrainingPlan.objects.select_for_update().filter(unit=unit, year=year).exists():
        raise PlanError(_("This unit already has a plan for %(year)s: open it, or revise it once approved.") % {"year": year})
    plan = TrainingPlan(unit=unit, year=year, version=1, created_by=user)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_line_add(*, user, plan: TrainingPlan, **fields) -> TrainingPlanLine:
    plan = _locked(plan)
    _check_manager(user, plan.unit)
    if not plan.is_editable:
        raise PlanError(_("This plan can no longer be changed: it is %(status)s.") % {"status": plan.get_status_display()})
    line = TrainingPlanLine(plan=plan, **fields)
    try:
        line.full_clean()
    except ValidationError as error:
        raise PlanError(" ".join(error.messages)) from None
    line.save()
    return line


@transaction.atomic
def plan_line_delete(*, user, line: TrainingPlanLine) -> None:
    plan = _locked(line.plan)
    _check_manager(user, plan.unit)
    if not plan.is_editable:
        raise PlanError(_("This plan can no longer be changed: it is %(status)s.") % {"status": plan.get_status_display()})
    line.delete()


@transaction.atomic
def plan_submit(*, user, plan: TrainingPlan) -> TrainingPlan:
    plan = _locked(plan)
    _check_manager(user, plan.unit)
    if not plan.is_editable:
        raise PlanError(_("Only a draft or a returned plan can be submitted."))
    if not plan.lines.exists():
        raise PlanError(_("Add at least one line before submitting the plan."))
    plan.status, plan.submitted_at = PlanStatus.SUBMITTED, timezone.now()
    plan.full_clean()
    plan.save()
    return plan


def _decide(user, plan: TrainingPlan) -> TrainingPlan:
    if not can_decide_plans(user):
        raise PlanError(_("Only Home Affairs decides on training plans."))
    plan = _locked(plan)
    if plan.status != PlanStatus.SUBMITTED:
        raise PlanError(_("Only a submitted plan can be approved or returned."))
    return plan


@transaction.atomic
def plan_approve(*, user, plan: TrainingPlan) -> TrainingPlan:
    plan = _decide(user, plan)
    plan.status, plan.decided_at, plan.decided_by, plan.return_comment = PlanStatus.APPROVED, timezone.now(), user, ""
    plan.full_clean()
    plan.save()
    return plan


# What the return form accepts, and the service as well (a comment longer than this is a pasted document).
RETURN_COMMENT_MAX_LENGTH = 2000


@transaction.atomic
def plan_return(*, user, plan: TrainingPlan, comment: str) -> TrainingPlan:
    comment = (comment or "").strip()
    if not comment:
        raise PlanError(_("Say what should change when returning a plan."))
    if len(comment) > RETURN_COMMENT_MAX_LENGTH or "\x00" in comment:
        raise PlanError(_("The comment must be at most %(max)d characters of text.")
                        % {"max": RETURN_COMMENT_MAX_LENGTH})
    plan = _decide(user, plan)
    plan.status, plan.decided_at, plan.decided_by, plan.return_comment = PlanStatus.RETURNED, timezone.now(), user, comment
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_revise(*, user, plan: TrainingPlan) -> TrainingPlan:
    """Start a new draft version of an approved plan, with its lines; the approved one stays as it was."""
    plan = _locked(plan)
    _check_manager(user, plan.unit)
    if plan.status != PlanStatus.APPROVED:
        raise PlanError(_("Only an approved plan is revised as a new version; edit this one instead."))
    if TrainingPlan.objects.filter(previous=plan).exists():
        raise PlanError(_("A newer version of this plan already exists."))
    latest = TrainingPlan.objects.filter(unit=plan.unit, year=plan.year).order_by("-version").first()
    revision = TrainingPlan(unit=plan.unit, year=plan.year, version=latest.version + 1, previous=plan, created_by=user)
    revision.full_clean()
    revision.save()
    TrainingPlanLine.objects.bulk_create(
        TrainingPlanLine(plan=revision, course_id=line.course_id, track=line.track, audience=line.audience,
                         people=line.people, quarter=line.quarter, form=line.form, budget_vnd=line.budget_vnd)
        for line in plan.lines.all()
    )
    return revision


@dataclass(frozen=True)
class PlanActual:
    line: TrainingPlanLine
    enrolled: int
    completed: int

    @property
    def share(self) -> float | None:
        return round(100 * self.enrolled / self.line.people, 1) if self.line.people else None


def plan_vs_actual(plan: TrainingPlan) -> list[PlanActual]:
    """Each line against the enrolments and completions of its quarter, course or track and audience
    in the unit's subtree, from the rollups (two queries)."""
    lines = list(plan.lines.select_related("course"))
    rows = (
        DailyFigures.objects.filter(unit__path__startswith=plan.unit.path, day__year=plan.year)
        .values("course_id", "track", "audience", "day__quarter")
        .annotate(enrolled=Sum("enrolled"), completed=Sum("completed"))
        .order_by()
    )
    actual = [
        (row["course_id"], row["track"], row["audience"], row["day__quarter"], row["enrolled"] or 0, row["completed"] or 0)
        for row in rows
    ]
    result = []
    for line in lines:
        enrolled = completed = 0
        for course_id, track, audience, quarter, n_enrolled, n_completed in actual:
            if quarter != line.quarter or audience != line.audience:
                continue
            if (line.course_id and course_id == line.course_id) or (not line.course_id and track == line.track):
                enrolled += n_enrolled
                completed += n_completed
        result.append(PlanActual(line, enrolled, completed))
    return result
