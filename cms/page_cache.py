"""What the published page tree looks like, cached under one version number.

Every publish, unpublish, move or deletion of a page (cms.receivers) bumps the version, so cached
values are never purged one by one: a new version simply stops reading the old keys, which expire.
The bump happens at once (so the same transaction reads its own change) and again on commit (so a
request that refilled a key from the not yet committed state between the two does not keep it).
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "cms:pages-version"
# Cached values outlive a version change only as unread keys; this bounds how long they stay around.
TIMEOUT = 60 * 60


def pages_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Starts from the clock, so a version lost with the cache (eviction, restart) never comes back
        # with its old keys still stored.
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY, 0)
    return version


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, time.time_ns(), None)


def pages_changed() -> None:
    _bump()
    transaction.on_commit(_bump)


def key(*parts) -> str:
    return ":".join(["cms", str(pages_version()), *(str(part) for part in parts)])
