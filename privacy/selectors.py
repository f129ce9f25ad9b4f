"""Reading the access log."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.utils import timezone

from .models import AccessLog


def accesses_of(user, *, since: datetime.timedelta) -> QuerySet[AccessLog]:
    return AccessLog.objects.filter(user=user, at__gte=timezone.now() - since).order_by("at", "id")
