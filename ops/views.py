"""Probe endpoints. Anonymous, never cached, and free of personal data: load balancers and monitoring call them."""

import hmac

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django_prometheus.exports import ExportToDjangoView
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import checks


@never_cache
@require_safe
def healthz(request):
    """Liveness: the process answers. Touches no database, cache or broker, so it never fails because they do."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readyz(request):
    """Readiness: 200 when every required dependency works, 503 otherwise, with one entry per check."""
    readiness = checks.readiness()
    return JsonResponse(readiness.as_dict(), status=200 if readiness.ready else 503)


@never_cache
@require_safe
def metrics(request):
    """Prometheus metrics, for the monitoring server only: it sends `Authorization: Bearer <METRICS_TOKEN>`.
    Without a configured token the endpoint answers 404 (nginx also keeps /metrics off the internet)."""
    token = settings.METRICS_TOKEN
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(sent.encode(), token.encode()):
        return HttpResponse(status=404)
    return ExportToDjangoView(request)
