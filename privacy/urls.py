"""Addresses of the privacy app. Not under /privacy/: that prefix is open to privileged accounts before
their second factor (accounts.middleware), and the officers' queue must not be."""

from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.my_data_download, name="my_data_download"),
    path("my-data/consents/give/", views.consent_give, name="consent_give"),
    path("my-data/consents/<int:pk>/withdraw/", views.consent_withdraw_view, name="consent_withdraw"),
    path("my-data/requests/new/", views.request_new, name="request_new"),
    path("data-requests/", views.queue, name="queue"),
    path("data-requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("data-requests/<int:pk>/start/", views.request_start, name="request_start"),
    path("data-requests/<int:pk>/complete/", views.request_complete, name="request_complete"),
    path("data-requests/<int:pk>/refuse/", views.request_refuse, name="request_refuse"),
    path("data-requests/<int:pk>/erase/", views.request_erase, name="request_erase"),
]
