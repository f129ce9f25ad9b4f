from django.views.generic import TemplateView

from .services import PRIVACY_NOTICE_VERSION


class PrivacyNoticeView(TemplateView):
    template_name = "privacy_notice.html"
    extra_context = {"version": PRIVACY_NOTICE_VERSION}
