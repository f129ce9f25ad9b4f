"""Prometheus metrics beyond django-prometheus's requests, latency and database figures: Celery queue
lengths (read from the Redis broker), task failures, and quiz attempts in progress.

Gunicorn runs several processes: with PROMETHEUS_MULTIPROC_DIR set (deploy/env.example), counters are
aggregated across them by prometheus_client's multiprocess mode; the collectors below read live
values at scrape time and are the same in every process.
"""

import logging

from django.apps import apps
from django.conf import settings
from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily, REGISTRY

logger = logging.getLogger(__name__)

TASK_FAILURES = Counter("lms_celery_task_failures_total", "Celery task failures", ["task"])
QUEUES = ("default", "certificates", "reports")


class LiveCollector:
    """Queue lengths and attempts in progress, read when Prometheus scrapes."""

    def describe(self):
        # Registering must not collect (that would query the database while Django starts).
        return []

    def collect(self):
        queue_length = GaugeMetricFamily("lms_celery_queue_length", "Messages waiting per Celery queue", labels=["queue"])
        for queue, length in queue_lengths().items():
            queue_length.add_metric([queue], length)
        yield queue_length
        attempts = attempts_in_progress()
        if attempts is not None:
            yield GaugeMetricFamily("lms_quiz_attempts_in_progress", "Quiz attempts started and not submitted", value=attempts)


def queue_lengths() -> dict[str, int]:
    """Pending messages per queue on a Redis broker (the kombu list of each queue); empty otherwise."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return {}
    import redis

    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        return {queue: int(client.llen(queue)) for queue in QUEUES}
    except redis.RedisError as error:
        logger.warning("metrics: broker unreachable (%s)", type(error).__name__)
        return {}


def attempts_in_progress() -> int | None:
    try:
        attempt = apps.get_model("assessments", "Attempt")
    except LookupError:
        return None
    state = getattr(attempt, "IN_PROGRESS_STATE", "in_progress")
    return attempt.objects.filter(state=state).count()


_registered = False


def register() -> None:
    global _registered
    if not _registered:
        REGISTRY.register(LiveCollector())
        _registered = True
