"""The Celery application. Tasks live in each app's tasks.py and are discovered automatically."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

# SafeTask: on-commit sends never fail the request; a send the broker refuses waits in the outbox.
app = Celery("lms", task_cls="lms.celery_safe:SafeTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


# Database connections in worker processes. Celery's Django fixup closes every connection before and after
# each task unless CELERY_DB_REUSE_MAX is set (settings: it is), so each task opened a new PostgreSQL
# connection: tens of milliseconds (a server process forked, authentication, session setup), more than
# half of what issuing a certificate costs. The worker now treats a task like Django treats a request:
# before and after it, close_old_connections() closes a connection that outlived CONN_MAX_AGE, that an
# error left unusable, or whose autocommit a task did not restore, and with CONN_HEALTH_CHECKS the next
# query checks the kept connection first (a PostgreSQL restart costs no task). Eager tasks (tests, a
# worker-less development setup) run inside a request or a test transaction: their connection is left alone.
def _close_old_connections(task=None, **kwargs) -> None:
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


signals.task_prerun.connect(_close_old_connections, weak=False, dispatch_uid="lms.close_old_connections.prerun")
signals.task_postrun.connect(_close_old_connections, weak=False, dispatch_uid="lms.close_old_connections.postrun")


@app.task(name="lms.ping")
def ping() -> str:
    """Liveness probe for workers: health checks and the broker round-trip test call it."""
    return "pong"
