"""On-commit task sends that never fail the request (issue 10, "Faults").

Every task of the project is a ``SafeTask`` (``lms.celery`` sets it as the app's ``task_cls``). Its
``delay_on_commit`` / ``apply_async_on_commit`` publish after the transaction commits, as Celery's do (a
rolled-back transaction sends nothing), but a publish that fails — broker down, refused, timing out —
is logged with the task's name and arguments and kept in the outbox (``ops.PendingTask``) instead of
raising out of the on-commit hook, which would turn a committed request into a 500. The beat task
``ops.tasks.outbox_resend`` sends kept rows every minute and deletes each once sent; tasks are
idempotent, so a send repeated after a crash is harmless.

How long a failed publish blocks is bounded in settings (publish retry policy, broker connect timeout).
On-commit sends publish with ``ignore_result``: their result cannot be read (``delay_on_commit`` returns
nothing), and subscribing to it would block on the result store when Redis is down.
"""

import functools
import logging

from celery.contrib.django.task import DjangoTask
from django.db import transaction

logger = logging.getLogger("lms.tasks")


def publish(task, args, kwargs, options) -> None:
    """Publish the task now (run it, when Celery is eager). Raises what the broker raises."""
    if task.app.conf.task_always_eager:
        task.apply_async(args, kwargs, **options)
    else:
        task.apply_async(args, kwargs, **{"ignore_result": True, **options})


def send_or_keep(task, args, kwargs, options) -> bool:
    """Publish; on failure log it and keep the send in the outbox. True when published. Never raises
    when a broker is configured (eager runs keep their exceptions, as the test suite relies on)."""
    args, kwargs, options = list(args or ()), dict(kwargs or {}), dict(options or {})
    if task.app.conf.task_always_eager:
        publish(task, args, kwargs, options)
        return True
    try:
        publish(task, args, kwargs, options)
        return True
    except Exception as exc:  # noqa: BLE001 (the data is committed: the request must not fail for this)
        logger.warning("task %s%r could not be sent (%s: %s); kept in the outbox",
                       task.name, tuple(args), type(exc).__name__, exc)
        try:
            from ops.models import PendingTask

            PendingTask.objects.create(task_name=task.name[:200], args=args, kwargs=kwargs, options=options,
                                       last_error=f"{type(exc).__name__}: {exc}"[:1000])
        except Exception:  # noqa: BLE001 (the database may be down as well: the log line above stays)
            logger.exception("could not keep task %s%r in the outbox", task.name, tuple(args))
        return False


class SafeTask(DjangoTask):
    """Celery's Django task whose on-commit sends are bounded and never raise into the request."""

    abstract = True

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(send_or_keep, self, args, kwargs, {}))

    def apply_async_on_commit(self, args=None, kwargs=None, **options) -> None:
        transaction.on_commit(functools.partial(send_or_keep, self, args, kwargs, options))
