"""Background work of the courses app (Celery beat). Tasks call a service and are safe to repeat."""

from celery import shared_task

from .services import assignment_reminders_send, officer_digests_send


# SMTP failures are OSErrors: retried; reminders already sent are recorded and never sent twice.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_assignment_reminders() -> dict:
    """Daily: remind learners of assignments due within a week or overdue, once per threshold."""
    result = assignment_reminders_send()
    return {"people": result.people, "due_soon": result.due_soon, "overdue": result.overdue}


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_officer_digests() -> int:
    """Weekly (Monday morning): each unit training officer's digest of their units' assignments."""
    return officer_digests_send()
