"""Celery tasks of ops: resend what the outbox kept while the broker was down (lms.celery_safe)."""

import logging

from celery import current_app, shared_task

logger = logging.getLogger("lms.tasks")
BATCH = 500


@shared_task(name="ops.tasks.outbox_resend")
def outbox_resend(batch: int = BATCH) -> int:
    """Beat, every minute: send kept tasks, oldest first, deleting each once sent. Stops at the first
    failure (the broker is still down: the next run tries again). Returns how many were sent."""
    from lms.celery_safe import publish

    from .models import PendingTask

    sent = 0
    for row in PendingTask.objects.order_by("pk")[:batch]:
        task = current_app.tasks.get(row.task_name)
        try:
            if task is None:
                raise LookupError(f"unknown task {row.task_name}")
            publish(task, row.args, row.kwargs, row.options)
        except Exception as exc:  # noqa: BLE001 (kept for the next run, with the error for administrators)
            logger.warning("outbox: task %s%r still not sent (%s: %s)",
                           row.task_name, tuple(row.args), type(exc).__name__, exc)
            PendingTask.objects.filter(pk=row.pk).update(attempts=row.attempts + 1,
                                                         last_error=f"{type(exc).__name__}: {exc}"[:1000])
            if task is not None:
                break
            continue
        row.delete()
        sent += 1
    if sent:
        logger.info("outbox: %d kept task(s) sent", sent)
    return sent
