"""System checks: the content origin must be another host name than the LMS (cookies are per host)."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.translation import gettext as _

from .selectors import content_host


@register()
def content_origin_is_separate(app_configs, **kwargs):
    from urllib.parse import urlsplit

    lms_host = (urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "").lower()
    if not content_host():
        return [Error(_("H5P_CONTENT_ORIGIN must be an address such as https://h5p.example.gov.vn."), id="h5p.E001")]
    if content_host() == lms_host:
        return [
            Error(
                _("H5P_CONTENT_ORIGIN must use another host name than the LMS: cookies are shared between ports."),
                id="h5p.E002",
            )
        ]
    return []
