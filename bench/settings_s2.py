"""bench.settings for S2's in-process timing (bench/s2.py): a local-memory cache, cleared before each request so
every render of the summary is computed (a cache hit costs the same on any dataset), and sessions in a signed
cookie so clearing the cache does not log the reader out."""

from bench.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench-s2"}}
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
