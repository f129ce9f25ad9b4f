"""Celery tasks of assessments: take ids, re-fetch, call a service; safe to run twice."""

import logging

from celery import shared_task
from django.utils import timezone

logger = logging.getLogger(__name__)

# The registry's "server-graded quiz" source (certification.choices.RecordSource.QUIZ).
QUIZ_SOURCE = "quiz"


@shared_task
def attempt_submit_when_overdue(attempt_id: int) -> bool:
    """Submit one attempt the moment its deadline and grace have passed (scheduled when it starts, see
    assessments.quizzes.services), with what was saved. True if it submitted it now. Early (a clock ahead,
    Celery's eager mode), already finished or gone: nothing to do; the minute's beat below stays the
    safety net for a send that never arrives."""
    from assessments.models import Attempt
    from assessments.quizzes.choices import AttemptState
    from assessments.quizzes.selectors import grace
    from assessments.quizzes.services import attempt_submit

    attempt = Attempt.objects.filter(pk=attempt_id, state=AttemptState.IN_PROGRESS, deadline__isnull=False).first()
    now = timezone.now()
    if attempt is None or now <= attempt.deadline + grace():
        return False
    return attempt_submit(attempt=attempt, now=now).state == AttemptState.OVERDUE_SUBMITTED


@shared_task
def attempts_submit_overdue() -> int:
    """Beat: submit open attempts past their deadline and grace, with what was saved."""
    from assessments.quizzes.services import attempts_submit_overdue as submit_overdue

    return submit_overdue()


@shared_task
def quiz_competencies_record(attempt_id: int) -> int:
    """Record the quiz's competencies for the person of a passing attempt, with the attempt as evidence.

    Goes through certification.api, the registry's public entry (see docs/ARCHITECTURE.md). Recording the
    same evidence again changes nothing, so a retry is harmless.
    """
    from certification import api as certification

    from assessments.models import Attempt
    from assessments.quizzes.choices import FINISHED_STATES

    attempt = Attempt.objects.select_related("quiz", "person").filter(pk=attempt_id, state__in=FINISHED_STATES).first()
    if attempt is None:
        return 0
    recorded = 0
    for code in attempt.quiz.competency_codes:
        try:
            certification.competency_record(
                person=attempt.person, competency_code=code, source=QUIZ_SOURCE,
                achieved_on=timezone.localdate(attempt.submitted_at), evidence_ref=str(attempt.pk),
            )
        except Exception as error:  # noqa: BLE001 (certification's errors are not part of its api)
            # A code the registry does not know must not stop the others; the trainer fixes the quiz.
            logger.warning("Competency %s of quiz %s not recorded: %s", code, attempt.quiz_id, error)
        else:
            recorded += 1
    return recorded


# The gradebook export task lives with the gradebook; importing it here registers it with the workers.
from assessments.gradebook.tasks import gradebook_export_build  # noqa: E402,F401
