"""Anonymous visitors without a session get the catalogue and course pages from the cache
(cms.middleware); anyone signed in never does, and no anonymous visitor ever gets a signed-in page
(issue 8, W1)."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.views import serve

from cms import page_cache
from cms.middleware import AnonymousPageCacheMiddleware
from tests.cms.conftest import publish

pytestmark = pytest.mark.django_db


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_a_second_anonymous_visit_is_served_from_the_cache_without_queries(catalogue, make_course):
    make_course(title="Bảo mật thông tin")
    first, first_queries = get(Client(), catalogue.url)
    second, second_queries = get(Client(), catalogue.url)
    assert first_queries > 3 and second_queries == 0
    assert second.content == first.content and "Bảo mật thông tin" in second.content.decode()
    assert "csrftoken" not in second.cookies and "csrfmiddlewaretoken" not in second.content.decode()


def test_a_page_from_the_cache_costs_one_cache_round_trip(catalogue, monkeypatch):
    """The page cache's version, the site and the page come back in one MGET (cms.page_cache.current_read):
    a cached page is what most anonymous visitors get, and each round trip is a tenth of its time."""
    get(Client(), catalogue.url)
    calls, depth = [], []
    backend = caches["default"]
    for method in ("get", "get_many", "set", "add", "incr", "has_key"):
        original = getattr(backend, method)

        def spy(*args, _method=method, _original=original, **kwargs):
            if not depth:  # the test's local-memory cache makes get_many out of gets: count the outer call
                calls.append(_method)
            depth.append(_method)
            try:
                return _original(*args, **kwargs)
            finally:
                depth.pop()

        monkeypatch.setattr(backend, method, spy)
    get(Client(), catalogue.url)
    assert calls == ["get_many"]


def test_a_page_from_the_cache_carries_the_nonce_of_the_request_it_answers(rf):
    """The CSP header's nonce is new on every request (lms.middleware): a cached page must not keep
    the nonce of the request that rendered it."""

    def render(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    middleware = AnonymousPageCacheMiddleware(render)
    bodies = []
    for nonce in ("nonce-of-the-first", "nonce-of-the-second"):
        request = rf.get("/khoa-hoc/")
        request.user, request.session, request.csp_nonce = AnonymousUser(), SessionStore(), nonce
        response = middleware.process_view(request, serve, (), {}) or middleware(request)
        bodies.append(response.content.decode())
    assert bodies == ['<script nonce="nonce-of-the-first">1</script>', '<script nonce="nonce-of-the-second">1</script>']


def test_signed_in_people_never_get_the_anonymous_page_and_anonymous_visitors_never_theirs(
    catalogue, make_course, make_person, unit_a
):
    make_course()
    person = make_person(unit=unit_a, full_name="Lê Thị Học")
    anonymous_before, _queries = get(Client(), catalogue.url)  # cached
    signed_in = Client()
    signed_in.force_login(person.user)
    page, queries = get(signed_in, catalogue.url)
    assert queries > 0 and reverse("account_logout") in page.content.decode()
    assert page.content != anonymous_before.content
    anonymous_after, _queries = get(Client(), catalogue.url)
    assert anonymous_after.content == anonymous_before.content


def test_a_visitor_with_a_session_is_rendered_for(catalogue):
    get(Client(), catalogue.url)
    client = Client()
    session = client.session
    session["anything"] = 1
    session.save()
    client.cookies["sessionid"] = session.session_key
    _response, queries = get(client, catalogue.url)
    assert queries > 0


def test_publishing_shows_at_once_and_each_language_has_its_page(catalogue, make_course):
    get(Client(), catalogue.url)
    course = make_course(title="Chuyển đổi số")
    assert "Chuyển đổi số" in get(Client(), catalogue.url)[0].content.decode()
    course.title = "Chuyển đổi số cơ bản"
    publish(course)
    assert "Chuyển đổi số cơ bản" in get(Client(), catalogue.url)[0].content.decode()
    english = Client()
    english.cookies["django_language"] = "en"
    assert '<html lang="en">' in get(english, catalogue.url)[0].content.decode()
    assert '<html lang="vi">' in get(Client(), catalogue.url)[0].content.decode()


def test_searches_are_not_cached(catalogue, make_course):
    make_course(title="Bảo mật thông tin")
    get(Client(), catalogue.url + "?q=bao+mat")
    _response, queries = get(Client(), catalogue.url + "?q=bao+mat")
    assert queries > 0


def test_a_value_stored_at_an_earlier_version_of_the_page_tree_reads_as_missing():
    name = ("anonymous-page", "testserver", "vi", "abc")
    version, (value,) = page_cache.current_read(name)
    assert value is None
    page_cache.current_store(name, "rendered", version=version)
    assert page_cache.current_read(name) == (version, ["rendered"])

    page_cache.pages_changed()  # a page published, moved or deleted
    newer, (value,) = page_cache.current_read(name)
    assert newer != version and value is None
    # A render that started before the change and stores after it is not read either.
    page_cache.current_store(name, "rendered before the change", version=version)
    assert page_cache.current_read(name) == (newer, [None])
