"""Background work of the organisations app. Tasks take ids, fetch again and call a service."""

from celery import shared_task

from .invitations import person_invitations_send
from .services import roster_imports_expire


# SMTP failures are OSErrors: retried later; people already invited are skipped on the retry.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=6)
def send_invitations(person_ids: list[int]) -> int:
    """E-mail each of these people, if not yet invited, a link to choose their password."""
    return person_invitations_send(person_ids=person_ids)


@shared_task
def expire_roster_previews() -> int:
    """Daily (Celery beat): drop the personal data of staff-list previews nobody confirmed."""
    return roster_imports_expire()
