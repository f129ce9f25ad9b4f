from django.urls import path

from .views import PrivacyNoticeView

urlpatterns = [path("privacy/", PrivacyNoticeView.as_view(), name="privacy_notice")]
