"""The project's URLs plus the bench baselines (bench.settings only)."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("bench/hello/", views.hello),
    path("bench/write/", views.b_write),
    path("bench/naive/", views.b_naive),
    path("", include("lms.urls")),
]
