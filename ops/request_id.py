"""A request id on every request and every log line it causes.

The id comes from nginx's `X-Request-ID` (deploy/nginx sets it) when it is well formed, otherwise a
fresh one; it is returned in the response's `X-Request-ID` header, so a learner's error report, the
nginx access log and the application log meet on one value. Celery tasks enqueued during a request
carry it in their headers and log it too (lms/celery.py).
"""

import contextvars
import logging
import re
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_WELL_FORMED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
HEADER = "X-Request-ID"


def current_request_id() -> str:
    return request_id_var.get()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _WELL_FORMED.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Not reset on the way out: Django logs a request's error responses after the middleware has
        # returned. Every request sets its own id first, so a stale one is never logged for another.
        request_id_var.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (a dash outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True
