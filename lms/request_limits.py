"""Refuses a request whose body is larger than the largest upload its address accepts, before any of it is read.

Django reads a body only when a view (or the CSRF check) asks for request.POST / request.FILES, after every
middleware has run its request part; this one answers 413 from the declared Content-Length alone, so an
oversized upload is never spooled to memory or disk. nginx enforces the same caps in front
(deploy/nginx/lms.conf, client_max_body_size). Each upload form then checks its own, smaller cap.
"""

from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


def h5p_upload_prefix() -> str:
    # The Wagtail admin's H5P viewset (h5p.admin_views.content_viewset, "h5p_contents") takes the packages.
    return "/cms-admin/h5p_contents/"


def body_limit(path: str) -> int:
    """The largest body accepted at `path`: a whole H5P package on its upload pages, REQUEST_BODY_MAX_BYTES
    elsewhere (the multipart envelope and the other fields fit in the margin)."""
    if path.startswith(h5p_upload_prefix()):
        return max(settings.REQUEST_BODY_MAX_BYTES, settings.H5P_MAX_UPLOAD_BYTES + 1024 * 1024)
    return settings.REQUEST_BODY_MAX_BYTES


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django then reads no body at all
        limit = body_limit(request.path)
        if declared > limit:
            return render(request, "413.html", {"limit": filesizeformat(limit)}, status=413)
        return self.get_response(request)
