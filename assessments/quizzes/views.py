"""Learner pages of quizzes: rules and start, the attempt (autosaved), submit, review. Thin: the rules
live in services and selectors; anything not the learner's answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from assessments.errors import AssessmentsError, MalformedResponse
from assessments.grading import response_is_blank
from lms.jsonbody import JSONBodyInvalid, json_body_parse

from .choices import AttemptState, Navigation
from .errors import QuizError
from .forms import response_from_post
from .presenters import question_view, review_view
from .selectors import (
    attempt_of_user,
    attempt_return_link,
    grace,
    quiz_for_learner,
    quiz_passed,
    quiz_standing,
    review_rights,
)
from .services import answer_save, answers_save, attempt_page_advance, attempt_start, attempt_submit


def _learner_quiz(request, pk):
    found = quiz_for_learner(request.user, pk)
    if found is None:
        raise Http404
    return found


def _own_attempt(request, pk):
    attempt = attempt_of_user(request.user, pk)
    if attempt is None:
        raise Http404
    return attempt


@login_required
def quiz_detail(request, pk):
    quiz, person = _learner_quiz(request, pk)
    return render(request, "assessments/quiz_detail.html", quiz_standing(quiz, person))


@require_POST
@login_required
def quiz_start(request, pk):
    quiz, person = _learner_quiz(request, pk)
    try:
        attempt = attempt_start(person=person, quiz=quiz)
    except QuizError as refusal:
        messages.error(request, refusal.message)
        return redirect("assessments:quiz", pk=quiz.pk)
    if attempt.state != AttemptState.IN_PROGRESS:
        messages.info(request, _("Your time ran out; the attempt was submitted with the answers you had saved."))
        return redirect("assessments:review", pk=attempt.pk)
    return redirect("assessments:attempt", pk=attempt.pk)


def _past_grace(attempt) -> bool:
    return attempt.deadline is not None and timezone.now() > attempt.deadline + grace()


def _page_context(attempt, page: int) -> dict:
    slots = list(attempt.slots.select_related("version").order_by("number"))
    pages = sorted({slot.page for slot in slots}) or [1]
    page = page if page in pages else pages[0]
    return {
        "attempt": attempt, "quiz": attempt.quiz, "page": page, "pages": pages,
        "questions": [question_view(slot) for slot in slots if slot.page == page],
        "sequential": attempt.quiz.navigation == Navigation.SEQUENTIAL,
        "is_last_page": page == pages[-1], "slots_on_page": [slot for slot in slots if slot.page == page],
    }


@login_required
def attempt_page(request, pk):
    attempt = _own_attempt(request, pk)
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect("assessments:review", pk=attempt.pk)
    if _past_grace(attempt):
        attempt_submit(attempt=attempt)
        messages.info(request, _("Your time ran out; the attempt was submitted with the answers you had saved."))
        return redirect("assessments:review", pk=attempt.pk)
    sequential = attempt.quiz.navigation == Navigation.SEQUENTIAL
    requested = request.POST.get("page") or request.GET.get("page") or ""
    page = attempt.current_page if sequential or not requested.isdecimal() else int(requested)
    context = _page_context(attempt, page)
    if request.method == "POST":
        responses, problems = {}, {}
        for slot in context["slots_on_page"]:
            try:
                responses[slot.number] = response_from_post(slot, request.POST)
            except MalformedResponse as refusal:
                problems[slot.number] = refusal.message
        try:
            problems.update(answers_save(attempt=attempt, responses=responses))
        except AssessmentsError as refusal:
            messages.error(request, refusal.message)
            return render(request, "assessments/attempt.html", context, status=getattr(refusal, "status", 400))
        if problems:
            # The page again, the answers that fit saved, the others as typed with why under each.
            context["questions"] = [
                question_view(slot, sent=responses.get(slot.number) if slot.number in problems else None,
                              error=problems.get(slot.number, ""))
                for slot in attempt.slots.select_related("version").filter(page=context["page"]).order_by("number")
            ]
            messages.error(request, ngettext(
                "The answer to question %(numbers)s was not saved: see why below it. The other answers are saved.",
                "The answers to questions %(numbers)s were not saved: see why below each. The other answers are saved.",
                len(problems),
            ) % {"numbers": ", ".join(str(number) for number in sorted(problems))})
            return render(request, "assessments/attempt.html", context, status=400)
        target = request.POST.get("go", "")
        if target == "finish":
            return redirect("assessments:submit", pk=attempt.pk)
        if target.isdecimal() and int(target) in context["pages"]:
            if sequential and int(target) < context["page"]:
                target = str(context["page"])
            attempt_page_advance(attempt=attempt, page=int(target))
            return redirect(f"{reverse('assessments:attempt', args=[attempt.pk])}?page={target}")
        messages.success(request, _("Your answers on this page are saved."))
        return redirect(f"{reverse('assessments:attempt', args=[attempt.pk])}?page={context['page']}")
    return render(request, "assessments/attempt.html", context)


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"saved": False, "error": message}, status=status)


@require_POST
@login_required
def answer_autosave(request, pk):
    """JSON {"slot": number, "response": {...}} → {"saved": true, "saved_at": ...}; a clear 4xx otherwise."""
    try:
        body = json_body_parse(request.body)
    except JSONBodyInvalid as refusal:
        return _json_error(refusal.message, 400)
    slot = body.get("slot") if isinstance(body, dict) else None
    if not isinstance(slot, int) or isinstance(slot, bool) or "response" not in body:
        return _json_error(_("Say which question (slot) and give the response."), 400)
    try:
        saved = answer_save(user=request.user, attempt_id=pk, slot_number=slot, response=body["response"])
    except MalformedResponse as refusal:
        return _json_error(refusal.message, 400)
    except QuizError as refusal:
        return _json_error(refusal.message, refusal.status)
    return JsonResponse({"saved": True, "slot": slot, "saved_at": saved.saved_at.isoformat()})


@login_required
def attempt_submit_view(request, pk):
    attempt = _own_attempt(request, pk)
    if request.method == "POST":
        attempt_submit(attempt=attempt)
        return redirect("assessments:review", pk=attempt.pk)
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect("assessments:review", pk=attempt.pk)
    slots = list(attempt.slots.only("number", "saved_at", "response"))
    return render(request, "assessments/attempt_submit.html", {
        "attempt": attempt, "quiz": attempt.quiz, "total": len(slots),
        "answered": sum(1 for slot in slots if slot.saved_at is not None and not response_is_blank(slot.response)),
    })


@login_required
def attempt_review(request, pk):
    attempt = _own_attempt(request, pk)
    if attempt.state == AttemptState.IN_PROGRESS:
        return redirect("assessments:attempt", pk=attempt.pk)
    rights = review_rights(attempt)
    slots = attempt.slots.select_related("version", "key_version", "grading").order_by("number") if rights.marks else []
    provisional = attempt.needs_manual_grading or attempt.fraction is None
    return render(request, "assessments/attempt_review.html", {
        "attempt": attempt, "quiz": attempt.quiz, "rights": rights,
        "attempt_passed": None if provisional else quiz_passed(attempt.quiz, attempt.fraction),
        "questions": [review_view(slot, rights) for slot in slots],
        "return_link": attempt_return_link(attempt),
    })
