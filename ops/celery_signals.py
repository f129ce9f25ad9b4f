"""Celery signal handlers: carry the request id into tasks, and record task failures where
administrators see them (ops.TaskFailure in the admin, the metrics counter, the error log)."""

import logging
import traceback as traceback_module

from celery import signals

from .request_id import request_id_var

logger = logging.getLogger("lms.tasks")
HEADER = "lms_request_id"
MESSAGE_LIMIT = 1000
TRACEBACK_LIMIT = 20000


@signals.before_task_publish.connect
def _add_request_id(headers=None, **kwargs):
    if headers is not None:
        headers.setdefault(HEADER, request_id_var.get())


@signals.task_prerun.connect
def _bind_request_id(task=None, **kwargs):
    request_id = getattr(task.request, HEADER, None) or (task.request.headers or {}).get(HEADER) or "-"
    task.request.lms_request_token = request_id_var.set(str(request_id))


@signals.task_postrun.connect
def _unbind_request_id(task=None, **kwargs):
    token = getattr(task.request, "lms_request_token", None)
    if token is not None:
        try:
            request_id_var.reset(token)
        except ValueError:  # set in another context (eager tasks nested in a request)
            pass


@signals.task_failure.connect
def _record_failure(sender=None, task_id=None, exception=None, einfo=None, **kwargs):
    from .metrics import TASK_FAILURES
    from .models import TaskFailure

    name = getattr(sender, "name", str(sender))
    TASK_FAILURES.labels(task=name).inc()
    logger.error("task %s [%s] failed: %s", name, task_id, type(exception).__name__)
    trace = str(einfo) if einfo else "".join(traceback_module.format_exception(exception))
    try:
        TaskFailure.objects.create(
            task_name=name[:200],
            task_id=str(task_id or "")[:64],
            request_id=request_id_var.get()[:64],
            exception_type=type(exception).__name__[:200],
            message=str(exception)[:MESSAGE_LIMIT],
            traceback=trace[:TRACEBACK_LIMIT],
        )
    except Exception:  # noqa: BLE001 (the database may be what failed: the log line above stays)
        logger.exception("could not record the failure of task %s", name)
