"""Trainer pages of quiz results in the Wagtail admin: the quizzes one grades, the essay grading queue
and a hand mark, a quiz's attempts and one attempt, a regrade (confirmed), the item analysis.

Thin: reads in selectors (scope: `quizzes_gradable_by`), writes in services. A quiz, attempt or slot
outside the user's scope answers 404 whatever the id; every change is a POST with CSRF. Wagtail wraps
these URLs with its admin-access check, so learners and anonymous visitors never reach them.
"""

from __future__ import annotations


from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from assessments.models import AttemptSlot, Question, RegradeRecord

from .analysis import item_analysis
from .choices import FINISHED_STATES, AttemptState
from .errors import QuizError
from .forms import ManualGradeForm, RegradeForm
from .presenters import correct_answers, response_text, slot_grading
from .selectors import (
    gradable_attempt,
    gradable_quiz,
    gradable_slot,
    grading_queue,
    quiz_attempts,
    quizzes_gradable_by,
    regradable_attempts,
)
from .services import quiz_regrade, slot_grade_manually

PER_PAGE = 25


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("p"))


def _render(request, template, context, status=200):
    if page := context.get("page_obj"):  # Wagtail's pagination_nav numbers the pages from this
        context["elided_page_range"] = page.paginator.get_elided_page_range(page.number)
    return TemplateResponse(request, f"assessments/results/{template}", context, status=status)


def _quiz_or_404(request, pk):
    quiz = gradable_quiz(request.user, pk)
    if quiz is None:
        raise Http404
    return quiz


def results_index(request):
    search = request.GET.get("q", "").strip()
    quizzes = quizzes_gradable_by(request.user).annotate(
        finished=Count("attempts", filter=Q(attempts__state__in=FINISHED_STATES), distinct=True),
        awaiting=Count("attempts", filter=Q(attempts__needs_manual_grading=True, attempts__state__in=FINISHED_STATES),
                       distinct=True),
    ).order_by("title", "pk")
    if search:
        quizzes = quizzes.filter(title__icontains=search)
    return _render(request, "index.html", {
        "page_title": _("Quiz results"), "header_icon": "tasks", "page_obj": _page(request, quizzes), "search": search,
    })


def queue(request):
    search = request.GET.get("q", "").strip()
    return _render(request, "queue.html", {
        "page_title": _("Grading"), "header_icon": "edit", "search": search,
        "page_obj": _page(request, grading_queue(request.user, search=search)),
    })


@require_http_methods(["GET", "POST"])
def grade_slot(request, pk):
    slot = gradable_slot(request.user, pk)
    if slot is None:
        raise Http404
    grading = slot_grading(slot)
    initial = {"mark": "" if slot.mark is None else slot.mark, "comment": grading.comment if grading else ""}
    form = ManualGradeForm(request.POST or None, initial=initial, max_mark=slot.max_mark)
    if request.method == "POST" and form.is_valid():
        try:
            slot_grade_manually(slot=slot, by=request.user, mark=form.cleaned_data["mark"],
                                comment=form.cleaned_data["comment"])
        except QuizError as refusal:
            if refusal.status == 404:
                raise Http404 from None
            form.add_error("mark", refusal.message)
        else:
            messages.success(request, _("Mark saved: %(person)s, %(quiz)s.") % {
                "person": slot.attempt.person.full_name, "quiz": slot.attempt.quiz.title})
            if request.POST.get("next") == "attempt":
                return redirect("assessment_results:attempt", pk=slot.attempt_id)
            return redirect("assessment_results:queue")
    return _render(request, "grade.html", {
        "page_title": _("Grade an answer"), "header_icon": "edit", "slot": slot, "attempt": slot.attempt,
        "quiz": slot.attempt.quiz, "answer": response_text(slot), "form": form,
        "grader_info": (slot.version.payload or {}).get("grader_info", ""),
        "next": request.GET.get("next") or request.POST.get("next") or "",
    }, status=400 if form.errors else 200)


def attempts(request, pk):
    quiz = _quiz_or_404(request, pk)
    state, search = request.GET.get("state", ""), request.GET.get("q", "").strip()
    return _render(request, "attempts.html", {
        "page_title": _("Attempts: %(quiz)s") % {"quiz": quiz.title}, "header_icon": "tasks", "quiz": quiz,
        "page_obj": _page(request, quiz_attempts(quiz, state=state, search=search)),
        "states": AttemptState.choices, "state": state, "search": search,
    })


def attempt_detail(request, pk):
    attempt = gradable_attempt(request.user, pk)
    if attempt is None:
        raise Http404
    slots = attempt.slots.select_related("version__question", "key_version", "grading__graded_by").order_by("number")
    rows = [{
        "slot": slot, "answer": response_text(slot), "correct": correct_answers(slot),
        "grading": slot_grading(slot),
        "manual": slot.version.qtype == "essay" and attempt.state in FINISHED_STATES,
    } for slot in slots]
    return _render(request, "attempt.html", {
        "page_title": _("Attempt %(number)s: %(person)s") % {"number": attempt.number, "person": attempt.person.full_name},
        "header_icon": "tasks", "attempt": attempt, "quiz": attempt.quiz, "rows": rows,
        "regrades": RegradeRecord.objects.filter(attempt=attempt).select_related("by").order_by("-at", "-pk"),
    })


@require_http_methods(["GET", "POST"])
def regrade(request, pk):
    quiz = _quiz_or_404(request, pk)
    count = regradable_attempts(quiz).count()
    questions = Question.objects.filter(
        pk__in=AttemptSlot.objects.filter(attempt__quiz=quiz).values("version__question_id")
    ).order_by("name", "pk")
    form = RegradeForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        question = None
        if form.cleaned_data["question"]:
            question = questions.filter(pk=form.cleaned_data["question"]).first()
        try:
            done = quiz_regrade(quiz=quiz, by=request.user, reason=form.cleaned_data["reason"], question=question)
        except QuizError as refusal:
            if refusal.status == 404:
                raise Http404 from None
            form.add_error("reason", refusal.message)
        else:
            messages.success(request, _("%(count)s attempts regraded.") % {"count": done})
            return redirect("assessment_results:attempts", pk=quiz.pk)
    return _render(request, "regrade.html", {
        "page_title": _("Regrade: %(quiz)s") % {"quiz": quiz.title}, "header_icon": "repeat", "quiz": quiz,
        "count": count, "form": form,
    }, status=400 if form.errors else 200)


def analysis(request, pk):
    quiz = _quiz_or_404(request, pk)
    first_only = request.GET.get("attempts") == "first"
    return _render(request, "analysis.html", {
        "page_title": _("Item analysis: %(quiz)s") % {"quiz": quiz.title}, "header_icon": "table", "quiz": quiz,
        "analysis": item_analysis(quiz, first_only=first_only), "first_only": first_only,
    })


urlpatterns = [
    path("", results_index, name="index"),
    path("grading/", queue, name="queue"),
    path("grading/<int:pk>/", grade_slot, name="grade"),
    path("quizzes/<int:pk>/", attempts, name="attempts"),
    path("quizzes/<int:pk>/regrade/", regrade, name="regrade"),
    path("quizzes/<int:pk>/analysis/", analysis, name="analysis"),
    path("attempts/<int:pk>/", attempt_detail, name="attempt"),
]
