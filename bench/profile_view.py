"""Where a page spends its time: `python -m bench.profile_view PATH [--user USERNAME]` on the bench database
(run bench/run.py --keep-db first, then with the same environment variables; see bench/README.md).

Renders the page through Django's test client as the user (privileged users get the "mfa" record their
sessions would have), prints the slowest SQL statements with EXPLAIN ANALYZE of the slowest, and the top
functions by cumulative time (cProfile: py-spy and pyinstrument are not in the lock).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from allauth.account.internal.flows.login import record_authentication  # noqa: E402
from allauth.mfa.models import Authenticator  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, RequestFactory  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402


def client_for(username: str) -> Client:
    client = Client(HTTP_HOST="lms.localhost", HTTP_X_FORWARDED_PROTO="https")
    user = User.objects.get(username=username)
    client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        request = RequestFactory().get("/")
        request.session = client.session
        record_authentication(request, user, "mfa", id=totp.pk, type=totp.type)
        request.session.save()
    return client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--user", default="demo.sonoivu")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--post", default=None, help="POST this JSON body instead of a GET")
    args = parser.parse_args()
    client = client_for(args.user)
    def hit():
        if args.post is None:
            return client.get(args.path)
        return client.post(args.path, data=args.post, content_type="application/json")

    hit()  # warm caches and imports
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        profiler.enable()
        response = hit()
        profiler.disable()
        elapsed = time.perf_counter() - started
    print(f"{args.path}: HTTP {response.status_code} in {elapsed * 1000:.0f} ms, {len(queries)} queries, "
          f"{sum(float(q['time']) for q in queries.captured_queries) * 1000:.0f} ms in SQL")
    shapes: dict[str, int] = {}
    for query in queries.captured_queries:
        shape = re.sub(r"\b\d+\b", "N", query["sql"])
        shapes[shape] = shapes.get(shape, 0) + 1
    for shape, count in sorted(shapes.items(), key=lambda item: -item[1]):
        if count > 1:
            print(f"--- {count} x the same query: {shape[:300]}")
    slowest = sorted(queries.captured_queries, key=lambda q: float(q["time"]), reverse=True)
    for query in slowest[:5]:
        print(f"--- {float(query['time']) * 1000:.0f} ms: {query['sql'][:600]}")
    if slowest and float(slowest[0]["time"]) > 0.05 and slowest[0]["sql"].lstrip().upper().startswith("SELECT"):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest[0]["sql"])
            print("--- EXPLAIN ANALYZE of the slowest:")
            print("\n".join(row[0] for row in cursor.fetchall()))
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
