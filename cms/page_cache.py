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


# Values read on every page request (the request's site; the anonymous visitor's page) are kept under keys
# without the version and stored with the version they were rendered at: the version and the values then
# come back in one round trip (MGET) instead of one for the version and one per value. A value stored under
# another version reads as missing, exactly as a versioned key of that version would no longer be read.


def _current_key(*parts) -> str:
    return ":".join(["cms", "current", *(str(part) for part in parts)])


def current_read(*names: tuple | None) -> tuple[int, list]:
    """The version, and the value stored with `current_store` under each name (a tuple of key parts; None
    reads nothing) if it was stored at that version, else None: one round trip at most. Pins the version
    for the rest of the request, as `pages_version` does."""
    keys = {name: _current_key(*name) for name in names if name is not None}
    pinned = _request_version.get()
    found = cache.get_many(list(keys.values()) if pinned else [VERSION_KEY, *keys.values()])
    version = pinned or found.get(VERSION_KEY)
    if not version:
        version = pages_version()  # absent from the cache: started from the clock, and pinned
    elif pinned is not None:
        _request_version.set(version)
    values = []
    for name in names:
        stored = found.get(keys[name]) if name is not None else None
        values.append(stored[1] if stored is not None and stored[0] == version else None)
    return version, values


def current_store(name: tuple, value, *, version: int, timeout: int = TIMEOUT) -> None:
    """Store a value for `current_read`, with the version it was computed at (the one `current_read`
    returned before computing it: a bump in between makes it read as missing)."""
    cache.set(_current_key(*name), (version, value), timeout)
