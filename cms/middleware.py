"""A cache of the site's pages as anonymous visitors see them (catalogue, tracks, courses, lessons).

Only a visitor with no session and no message cookie is served from it or fills it: such a request
can carry nothing personal, so everyone in that state sees the same page for a given address, host
and language. Anyone signed in (or with a session at all) always gets a page rendered for them.

A rendered page is stored only if rendering it touched nothing per visitor: no CSRF token (the
language switcher needs none, see lms/urls.py), no session written. It is stored with the page cache's
version (cms.page_cache), so publishing, unpublishing, moving or deleting any page shows at once;
TIMEOUT bounds what a page shows of other data (a trainer's name, a course's cover rendition).
The CSP nonce of the request that rendered the page is swapped for the current request's one, so
the page and its Content-Security-Policy header always agree.

For every page request, signed in or not, it also puts the request's site (cached) where Wagtail
looks for it, which saves the two queries Wagtail's routing starts with.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from wagtail.views import serve as wagtail_serve

from cms import page_cache, selectors

TIMEOUT = 5 * 60
NONCE_PLACEHOLDER = "{{lms-csp-nonce}}"
# Query strings that still name a cacheable page: the catalogue's pagination. Searches and filters
# are rendered each time (their combinations would only fill the cache).
CACHEABLE_QUERY_KEYS = {"page"}


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with page_cache.version_pinned():
            response = self.get_response(request)
        anonymous_page = getattr(request, "_anonymous_page", None)
        if anonymous_page is not None and _storable(request, response):
            content = response.content.decode(response.charset)
            nonce = getattr(request, "csp_nonce", None)
            if nonce:
                content = content.replace(nonce, NONCE_PLACEHOLDER)
            name, version = anonymous_page
            page_cache.current_store(name, (content, response["Content-Type"]), version=version, timeout=TIMEOUT)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_serve:
            return None
        # Every page request starts by finding its site and root page: from the cache (cms.selectors). The
        # site, the anonymous visitor's page and the page cache's version come back in one round trip.
        name = _name(request) if _anonymous_visitor(request) else None
        site_name = selectors.site_cache_name(request)
        version, (site, cached) = page_cache.current_read(site_name, name)
        selectors.site_for_request(request, cached=site, version=version)
        if name is None:
            return None
        if cached is None:
            request._anonymous_page = (name, version)
            return None
        content, content_type = cached
        nonce = getattr(request, "csp_nonce", "")
        return HttpResponse(content.replace(NONCE_PLACEHOLDER, nonce), content_type=content_type)


def _anonymous_visitor(request) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
        and set(request.GET) <= CACHEABLE_QUERY_KEYS
    )


def _name(request) -> tuple:
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return ("anonymous-page", request.get_host(), translation.get_language(), address)


def _storable(request, response) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.modified)
        and not getattr(request, "is_preview", False)
    )
