"""The Celery application. Tasks live in each app's tasks.py and are discovered automatically."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

# SafeTask: on-commit sends never fail the request; a send the broker refuses waits in the outbox.
app = Celery("lms", task_cls="lms.celery_safe:SafeTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="lms.ping")
def ping() -> str:
    """Liveness probe for workers: health checks and the broker round-trip test call it."""
    return "pong"
