"""S2's measurement: `python -m bench.s2 --requests K` with DJANGO_SETTINGS_MODULE=bench.settings_s2 and the
DATABASE_URL of dataset P or N. Renders the national summary (the statistics dashboard, /statistics/, at the root
scope as Home Affairs) K times through Django's test client, the cache cleared before each request, after one
warm-up; prints one JSON line (latencies in ms, SQL queries, status)."""

from __future__ import annotations

import argparse
import json
import statistics
import time

from bench.profile_view import client_for  # sets Django up
from allauth.account.internal.flows.login import record_authentication  # noqa: E402
from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--path", default="/statistics/")
    parser.add_argument("--user", default="demo.sonoivu")
    args = parser.parse_args()
    user = User.objects.get(username=args.user)
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())  # as bench.prepare does: Home Affairs needs its second factor
    client = client_for(args.user)
    # The session is a signed cookie here: the "mfa" record must go into the client's cookie itself.
    request = RequestFactory().get("/")
    request.session = client.session
    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
    request.session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = request.session.session_key
    cache.clear()
    client.get(args.path)  # imports, connections
    latencies, queries, statuses = [], [], set()
    for _ in range(args.requests):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(args.path)
            latencies.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
        statuses.add(response.status_code)
    print(json.dumps({"median_ms": round(statistics.median(latencies), 1), "min_ms": round(min(latencies), 1),
                      "max_ms": round(max(latencies), 1), "latencies_ms": [round(x, 1) for x in latencies],
                      "queries": sorted(set(queries)), "statuses": sorted(statuses),
                      "bytes": len(response.content)}))


if __name__ == "__main__":
    main()
