"""Request-wide middleware that belongs to no app."""

import secrets

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the person chose another language with the switcher (language cookie).

    The browser's Accept-Language is ignored on purpose: many civil servants' machines ship with an
    English browser, and the programme's interface is Vietnamese first.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecurityHeadersMiddleware:
    """A per-request CSP nonce and the security headers Django's SecurityMiddleware does not send.

    - `request.csp_nonce`: templates put `nonce="{{ request.csp_nonce }}"` on any inline <script>.
    - Content-Security-Policy on the LMS pages: scripts only from this origin or carrying the nonce (no
      'unsafe-inline', no 'unsafe-eval'), no plugins, no <base>, never framed (frame-ancestors 'none').
      The Wagtail admin (WAGTAIL_ADMIN_PATH) gets a policy without the script restriction: Wagtail 8's admin
      still ships inline scripts and attribute handlers we do not control; it is reached only by privileged
      roles who passed the second factor. The H5P content host gets its own policy (h5p/middleware.py, outermost).
    - Cache-Control: no-store, private on every response to an authenticated request: those pages and
      downloads carry personal data and must not stay in a shared computer's cache or a proxy.
    """

    ADMIN_PREFIX = "/cms-admin/"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = secrets.token_urlsafe(18)
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            if request.path.startswith(self.ADMIN_PREFIX):
                response["Content-Security-Policy"] = admin_content_security_policy()
            else:
                response["Content-Security-Policy"] = content_security_policy(request.csp_nonce)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


def content_security_policy(nonce: str) -> str:
    from h5p.selectors import content_origin

    # Embedded videos (Wagtail embeds) come from whichever oEmbed provider the editor chose: frames from
    # https: are allowed; a provider's own <script> is not (scripts stay 'self' + nonce).
    frames = " ".join(dict.fromkeys(["'self'", content_origin(), "https:"]))
    return (
        "default-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; "
        "style-src 'self'; "
        "img-src 'self' data: https:; "
        "media-src 'self' https:; "
        "font-src 'self'; "
        "connect-src 'self'; "
        f"frame-src {frames}; "
        "object-src 'none'; "
        "base-uri 'none'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    )


def admin_content_security_policy() -> str:
    return "object-src 'none'; base-uri 'self'; frame-ancestors 'self'"


class NulCharacterMiddleware:
    """A NUL character ("%00") in the address or its query string is refused with 400 before any view runs.

    No page or search means anything by it, and PostgreSQL refuses it in any text it is compared with or stored
    in: a list's search, the access log of the filters, a slug looked up. Forms refuse it in what they read
    (Django's ProhibitNullCharactersValidator); JSON bodies are checked where they are read (lms/jsonbody.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
            return render(request, "400.html", {
                "reason": _("The address contains a character that is not allowed (NUL). Check the link or what "
                            "you typed in the search box, then try again."),
            }, status=400)
        return self.get_response(request)
