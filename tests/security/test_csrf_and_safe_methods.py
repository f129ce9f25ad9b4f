"""CSRF and safe methods (issue 10, "Access control"), generated from the URL resolver.

- Every project view refuses a POST without the CSRF token (a client that enforces the check, as a
  browser would), whatever its URL; the few csrf_exempt views are listed with their reason.
- A GET to any project URL, by any role of the matrix, writes nothing to the database: every INSERT,
  UPDATE or DELETE issued during the request is caught at the SQL level (not only row counts), with the
  documented exceptions below.
"""

import re

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, get_resolver, reverse

from tests.helpers import login_with_totp

from .conftest import OFFICER_A, ROLES
from .test_access_matrix import EXCLUDED_NAMES, EXCLUDED_PREFIXES, ROUTES, _Objects, _walk, takes_an_argument

# Views that accept a POST without the CSRF token, and why that is safe.
CSRF_EXEMPT = {
    "certification:verify_credential": "a read-only check of a pasted credential (scripts post JSON); changes nothing",
    "statistics_api:statistics": "the statistics API authenticates by bearer token, never by the session cookie",
    "statistics_api:statistics_csv": "the statistics API authenticates by bearer token, never by the session cookie",
    "statistics_api:openapi-json": "the API schema (GET only)",
    "statistics_api:openapi-view": "the API docs page (GET only)",
    "set_language": "the language switcher: a forged post only changes the visitor's language cookie, and `next` "
                    "is followed only within the site; pages then carry no CSRF token, so anonymous ones can be "
                    "cached (cms.middleware, issue 8)",
}
CSRF_EXEMPT_PREFIXES = {
    "bench/": "benchmark endpoints, mounted only when the benchmark settings are on (not in production)",
}

# GET requests that write, on purpose, and why: (URL name or None for any URL, table) -> reason.
WRITES_ON_GET = {
    (None, "django_session"): "the session itself (messages shown once, the login record); not domain data",
    (None, "privacy_accesslog"): "the personal-data access log (Law 91/2025/QH15): reading people's records is "
                                 "itself recorded, append-only",
    ("certification:certificate_pdf", "certification_certificate"):
        "a PDF missing on disk is rendered on download and its path stored (docs/ARCHITECTURE.md, Issuing)",
    ("certification:certificate_pdf", "certification_certificateevent"):
        "the 'rendered' event of that lazy rendering",
}


def _allowed(name, table):
    return (None, table) in WRITES_ON_GET or (name, table) in WRITES_ON_GET


def project_urls(world):
    """(name, url) of every project URL: arguments from the matrix, Wagtail's admin and allauth left out."""
    objects = _Objects(world)
    for route, name, pattern in _walk(get_resolver()):
        if route.startswith(tuple(EXCLUDED_PREFIXES)) or name in EXCLUDED_NAMES:
            continue
        if takes_an_argument(route, pattern):
            if name in ROUTES:
                yield name, reverse(name, args=ROUTES[name].args(objects))
            continue
        try:
            yield name, reverse(name)
        except NoReverseMatch:
            continue


def test_every_post_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    login_with_totp(client, world.users[OFFICER_A])
    accepted = []
    for name, url in project_urls(world):
        if name in CSRF_EXEMPT or url.lstrip("/").startswith(tuple(CSRF_EXEMPT_PREFIXES)):
            continue
        with transaction.atomic():
            response = client.post(url, data={})
            transaction.set_rollback(True)
        if response.status_code == 405:  # the view takes no POST at all (GET-only API endpoints, pages)
            continue
        if response.status_code != 403 or b"CSRF" not in response.content:
            accepted.append(f"{name} {url}: {response.status_code}")
    assert not accepted, "POSTs accepted without a CSRF token:\n" + "\n".join(accepted)


def test_the_csrf_check_is_really_enforced(world):
    """The same client with the token gets past the CSRF check (so the test above is not vacuous)."""
    client = Client(enforce_csrf_checks=True)
    login_with_totp(client, world.users[OFFICER_A])
    client.get(reverse("organisations:profile"))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("courses:enrol", args=[world.objects.course.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


WRITE = re.compile(r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?(\w+)\"?", re.IGNORECASE)


def test_no_get_changes_the_database(world):
    urls = list(project_urls(world))
    writes = []
    for role in ROLES:
        client = world.client(role)
        for name, url in urls:
            with CaptureQueriesContext(connection) as queries:
                client.get(url)
            for query in queries.captured_queries:
                match = WRITE.match(query["sql"])
                if match and not _allowed(name, match.group(2)):
                    writes.append(f"{role}: GET {url} ({name}) ran {query['sql'][:120]}")
    assert not writes, "GET requests that wrote to the database:\n" + "\n".join(writes)


def test_the_language_switch_needs_no_token_and_stays_on_the_site(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("set_language"), data={"language": "en", "next": "/khoa-hoc/"})
    assert response.status_code == 302 and response.url == "/khoa-hoc/"
    assert response.cookies["django_language"].value == "en"
    response = client.post(reverse("set_language"), data={"language": "vi", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.url == "/"
