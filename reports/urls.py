from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("units/<int:unit_id>/", views.statistics, name="unit_statistics"),
    path("units/<int:unit_id>/people/", views.unit_people, name="unit_people"),
    path("targets/", views.targets, name="targets"),
]
