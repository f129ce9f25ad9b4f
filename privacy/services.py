"""Writing the access log. Views that show or export people's records call `personal_data_accessed`."""

from __future__ import annotations

from collections.abc import Iterable

from .models import AccessAction, AccessLog

# Past this many people an export records its filter and count, not every id (the filter replays it).
MAX_IDS = 5000


def personal_data_accessed(*, user, action: str, what: str, person_ids: Iterable[int] = (), filters: str = "",
                           count: int | None = None) -> AccessLog:
    """Append one row: `user` saw (list, view) or exported the people `person_ids` through `what`."""
    if action not in AccessAction.values:
        raise ValueError(action)
    ids = sorted({int(pk) for pk in person_ids})
    total = len(ids) if count is None else count
    return AccessLog.objects.create(
        user=user, action=action, what=what[:100], filters=filters[:500],
        record_ids=ids if len(ids) <= MAX_IDS else [], count=total,
    )


def describe_filters(params) -> str:
    """A query string's filters as `key=value` pairs (the page number left out), for the log."""
    return "&".join(f"{key}={value}" for key, value in sorted(params.items()) if key != "page" and value)
