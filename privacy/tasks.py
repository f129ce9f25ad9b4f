"""Background work of the privacy app. Tasks take ids, fetch again and call a service; safe to repeat."""

from celery import shared_task

from .services import data_request_outcome_notify, data_request_reminders_send


# SMTP failures are OSErrors: retried; an outcome already told is recorded and never sent twice.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=6)
def send_data_request_outcome(request_id: int) -> bool:
    """Tell the requester, by e-mail, how their data request was handled."""
    return data_request_outcome_notify(request_id=request_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_data_request_reminders() -> int:
    """Daily (Celery beat): remind officers of data requests due within 24 hours or overdue."""
    return data_request_reminders_send()
