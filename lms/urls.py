from pathlib import Path

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from reports.api import api as reports_api

urlpatterns = [
    path("", include("ops.urls")),
    # The language switcher posts without a CSRF token, so pages carry none and anonymous ones can be
    # cached (cms.middleware): a forged post can only change the visitor's language cookie, and the
    # view follows `next` only within this site (tests/security/test_csrf_and_safe_methods.py).
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("organisations.urls")),
    path("", include("privacy.urls")),
    path("learning/", include("courses.urls")),
    path("assessments/", include("assessments.urls")),
    path("", include("certification.urls")),
    path("activities/h5p/", include("h5p.urls")),
    path("skills-survey/", include("placement.urls")),
    path("statistics/", include("reports.urls")),
    path("api/statistics/v1/", reports_api.urls),
    # Wagtail's own login form would skip allauth's rate limits and second factor: send it to allauth's.
    path("cms-admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("cms-admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
]

if settings.DEBUG:
    # As nginx does (deploy/nginx/lms.conf): only Wagtail's images are public media; certificates, reports and
    # other uploads go out through their permission-checked views, never from /media/.
    for public in ("original_images/", "images/"):
        urlpatterns += static(f"{settings.MEDIA_URL}{public}", document_root=Path(settings.MEDIA_ROOT) / public)

# Wagtail's page serving is the catch-all: it must stay last.
urlpatterns += [path("", include(wagtail_urls))]
