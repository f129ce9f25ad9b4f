"""Views of the H5P content origin. They hold no session and read no cookie: the content origin is
cookieless. In production nginx serves /h5p/ straight from MEDIA_ROOT/h5p/ (deploy/nginx/lms.conf)."""

from pathlib import Path

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe
from django.views.static import serve

from .models import H5PContent
from .selectors import PLAYER_SALT, lms_origin


@require_safe
def package_file(request, sha256: str, path: str):
    return serve(request, path, document_root=Path(settings.MEDIA_ROOT) / "h5p" / sha256)


@require_safe
def player(request, token: str):
    try:
        pk = signing.loads(token, salt=PLAYER_SALT)
    except signing.BadSignature:
        raise Http404 from None
    content = get_object_or_404(H5PContent.objects.select_related("package"), pk=pk)
    return render(
        request,
        "h5p/player.html",
        {
            "content": content,
            "h5p_json_path": f"/{content.package.folder}",
            "frame_js": static("h5p/vendor/h5p-standalone/frame.bundle.js"),
            "frame_css": static("h5p/vendor/h5p-standalone/styles/h5p.css"),
            "lms_origin": lms_origin(),
        },
    )


def not_found(request, exception=None):
    return HttpResponseNotFound(b"Not found", content_type="text/plain")


def server_error(request):
    return HttpResponseServerError(b"Server error", content_type="text/plain")
