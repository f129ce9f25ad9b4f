"""Pages of the IT skill survey: the learner's steps (self-assessment, diagnostic quiz, submit, own
results) and the results per unit for unit officers and Home Affairs. Thin: rules live in services and
selectors; anything outside the reader's scope answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.quizzes.choices import AttemptState
from assessments.quizzes.errors import QuizError
from organisations.models import OrganisationUnit
from organisations.selectors import person_of

from .errors import NoProfile, PlacementError, SurveyClosed
from .forms import PeriodForm, SelfAssessmentForm
from .modules import Level
from .selectors import (
    current_survey,
    level_distribution,
    levels_of,
    ratings_of,
    recommended_courses,
    response_of,
    results_unit,
    submitted_responses_of,
    survey_coverage,
    survey_for_person,
    survey_progress,
    unit_breadcrumbs,
)
from .services import diagnostic_start, response_submit, self_assessment_save

# Bar colours per level (SVG presentation attributes, so no inline style is needed).
LEVEL_COLOURS = ("#b3261e", "#e5a50a", "#2a7ab0", "#1e7b34")
CHART_WIDTH, CHART_LABEL, CHART_ROW = 320, 50, 22


def _survey(survey_id):
    survey = survey_for_person(survey_id)
    if survey is None:
        raise Http404
    return survey


@login_required
def home(request):
    """The open survey's steps for the person, or a note that none is open, with their past results."""
    person = person_of(request.user)
    survey = current_survey()
    context = {"survey": survey, "person": person, "history": []}
    if person is not None:
        context["history"] = list(submitted_responses_of(person))
        if survey is not None:
            context["progress"] = survey_progress(person, survey)
    return render(request, "placement/home.html", context)


@login_required
def self_assessment(request, survey_id):
    survey = _survey(survey_id)
    person = person_of(request.user)
    if person is None or not survey.is_open():
        messages.error(request, (NoProfile() if person is None else SurveyClosed()).message)
        return redirect("placement:home")
    response = response_of(person, survey)
    # Bound on every POST, even an empty one, so is_valid() reports the missing answers.
    form = SelfAssessmentForm(
        request.POST if request.method == "POST" else None, survey=survey, initial_ratings=ratings_of(response)
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = self_assessment_save(person=person, survey=survey, ratings=form.ratings())
            except PlacementError as refusal:
                form.add_error(None, refusal.message)
            else:
                if saved.is_submitted:
                    messages.success(request, _("Your answers are saved and your results updated."))
                    return redirect("placement:my_results", survey_id=survey.pk)
                messages.success(request, _("Your self-assessment is saved."))
                return redirect("placement:home")
        else:
            form.add_error(None, _("Some statements have no answer yet: they are marked below."))
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "placement/self_assessment.html", {"survey": survey, "form": form}, status=status)


@require_POST
@login_required
def diagnostic(request, survey_id):
    survey = _survey(survey_id)
    try:
        attempt = diagnostic_start(person=person_of(request.user), survey=survey)
    except (PlacementError, QuizError) as refusal:
        messages.error(request, refusal.message)
        return redirect("placement:home")
    if attempt.state != AttemptState.IN_PROGRESS:
        messages.info(request, _("Your time ran out; the attempt was submitted with the answers you had saved."))
        return redirect("placement:home")
    return redirect("assessments:attempt", pk=attempt.pk)


@require_POST
@login_required
def submit(request, survey_id):
    survey = _survey(survey_id)
    try:
        response_submit(person=person_of(request.user), survey=survey)
    except PlacementError as refusal:
        messages.error(request, refusal.message)
        return redirect("placement:home")
    messages.success(request, _("Your survey is submitted. Here are your levels and the courses we suggest."))
    return redirect("placement:my_results", survey_id=survey.pk)


@login_required
def my_results(request, survey_id):
    """The person's own levels in a survey they submitted, and the courses recommended for them."""
    person = person_of(request.user)
    # Their own submitted results stay readable when the survey round has been withdrawn since (the history
    # on the survey page links here).
    response = submitted_responses_of(person).filter(survey_id=survey_id).first() if person else None
    if response is None:
        raise Http404
    survey = response.survey
    levels = levels_of(response)
    return render(request, "placement/my_results.html", {
        "survey": survey, "response": response, "levels": levels,
        "recommendations": recommended_courses(person, levels),
        "may_update": survey.is_open(),
    })


@login_required
def results(request, unit_id: int | None = None):
    """Survey results for the reader's scope: level distribution per module and coverage, by unit."""
    scope, unit = results_unit(request.user, unit_id)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    distribution = level_distribution(unit, start, end, audiences=scope.audiences)
    coverage = survey_coverage(request.user, unit, start, end, audiences=scope.audiences)
    bars = [
        {"module": module, "y": index * CHART_ROW, "text_y": index * CHART_ROW + 13,
         "segments": _segments(module.counts, module.total, CHART_WIDTH)}
        for index, module in enumerate(distribution.modules)
    ]
    return render(request, "placement/results.html", {
        "unit": unit, "ancestors": unit_breadcrumbs(scope, unit),
        "children": OrganisationUnit.objects.filter(
            path__startswith=unit.path, depth=unit.depth + 1
        ).order_by("name"),
        "form": form, "distribution": distribution, "coverage": coverage,
        "levels": [(level, LEVEL_COLOURS[level]) for level in Level],
        "bars": bars, "chart": {"width": CHART_LABEL + CHART_WIDTH, "height": len(bars) * CHART_ROW,
                                 "label": CHART_LABEL}, "query_string": request.GET.urlencode(),
    })


def _segments(counts: list[int], total: int, width: int) -> list[dict]:
    """Stacked bar segments (x, width, colour, count) for one module, scaled to the chart width."""
    segments, x = [], 0
    for level, count in enumerate(counts):
        length = round(width * count / total) if total else 0
        if level == len(counts) - 1 and total:
            length = width - x
        segments.append({"x": x + CHART_LABEL, "width": length, "colour": LEVEL_COLOURS[level], "count": count,
                         "label": Level(level).label})
        x += length
    return segments
