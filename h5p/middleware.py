"""Splits the H5P content origin from the LMS.

Requests for the content host (the host and port of H5P_CONTENT_ORIGIN) are routed to h5p.content_urls
and may reach only the unpacked packages, the player page and the player's static files; every
answer there carries a strict Content-Security-Policy allowing framing by the LMS only, and no
cookie. The LMS host never serves the unpacked packages (not even under MEDIA_URL in development).
Cookies are per host name, not per port, which is why the content origin needs its own host name.
"""

from django.conf import settings
from django.http import HttpResponseNotFound

from .selectors import is_content_host, lms_origin

CONTENT_PATHS = ("/h5p/", "/player/")


def content_security_policy() -> str:
    # H5P's libraries (jQuery plugins, inline style attributes, templates) need 'unsafe-inline' and
    # 'unsafe-eval'; the separate cookieless origin and the iframe sandbox are what contain them.
    return (
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' data: blob:; "
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
        f"frame-ancestors 'self' {lms_origin()}"
    )


class ContentOriginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_content_host(request.get_host()):
            return self._content(request)
        if request.path.startswith(f"{settings.MEDIA_URL}h5p"):
            return HttpResponseNotFound(b"Not found", content_type="text/plain")
        return self.get_response(request)

    def _content(self, request):
        path = request.path
        if path.startswith(CONTENT_PATHS) or path.startswith(f"{settings.STATIC_URL}h5p/"):
            request.urlconf = "h5p.content_urls"
            response = self.get_response(request)
        else:
            response = HttpResponseNotFound(b"Not found", content_type="text/plain")
        response.cookies.clear()
        if "X-Frame-Options" in response:
            del response["X-Frame-Options"]
        response["Content-Security-Policy"] = content_security_policy()
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = "no-referrer"
        return response
