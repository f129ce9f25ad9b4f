"""What the published page tree looks like, cached under one version number.

Every publish, unpublish, move or deletion of a page (cms.receivers) bumps the version, so cached
values are never purged one by one: a new version simply stops reading the old keys, which expire.
The bump happens at once (so the same transaction reads its own change) and again on commit (so a
request that refilled a key from the not yet committed state between the two does not keep it).
"""

from __future__ import annotations

import contextvars
import time
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "cms:pages-version"
# Cached values outlive a version change only as unread keys; this bounds how long they stay around.
TIMEOUT = 60 * 60


# A request (cms.middleware) reads the version once, on its first cached read, so its several cached
# reads cost one round trip each, not two; a request that reads none pays nothing. A bump in the
# request makes it read the version again.
_UNREAD = 0
_request_version: contextvars.ContextVar[int | None] = contextvars.ContextVar("cms_pages_version", default=None)


@contextmanager
def version_pinned():
    """Read the version at most once within the block (a request) instead of once per key."""
    token = _request_version.set(_UNREAD)
    try:
        yield
    finally:
        _request_version.reset(token)


def pages_version() -> int:
    pinned = _request_version.get()
    if pinned:
        return pinned
    version = cache.get(VERSION_KEY)
    if version is None:
        # Starts from the clock, so a version lost with the cache (eviction, restart) never comes back
        # with its old keys still stored.
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY, 0)
    if pinned is not None:
        _request_version.set(version)
    return version


def _bump() -> None:
    if _request_version.get() is not None:
        _request_version.set(_UNREAD)
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), None)


def pages_changed() -> None:
    _bump()
    transaction.on_commit(_bump)


def key(*parts) -> str:
    return ":".join(["cms", str(pages_version()), *(str(part) for part in parts)])
