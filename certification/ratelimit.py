"""A per-address counter in the cache for the public verification pages (Redis in production, so every
web process shares it). The client address is read the way allauth reads it (ALLAUTH_TRUSTED_PROXY_COUNT)."""

import time

from allauth.core.internal.httpkit import get_client_ip
from django.conf import settings
from django.core.cache import cache


def verify_attempt_allowed(request) -> bool:
    """Count one look-up for the client's address; False once it exceeds the limit of the period."""
    period = settings.CERTIFICATE_VERIFY_RATE_PERIOD
    window = int(time.time()) // period
    key = f"certification:verify:{get_client_ip(request) or 'unknown'}:{window}"
    if cache.add(key, 1, timeout=period):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=period)
            count = 1
    return count <= settings.CERTIFICATE_VERIFY_RATE_LIMIT
