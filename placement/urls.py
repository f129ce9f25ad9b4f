from django.urls import path

from . import views

app_name = "placement"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:survey_id>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("<int:survey_id>/diagnostic/", views.diagnostic, name="diagnostic"),
    path("<int:survey_id>/submit/", views.submit, name="submit"),
    path("<int:survey_id>/my-results/", views.my_results, name="my_results"),
    path("results/", views.results, name="results"),
    path("results/<int:unit_id>/", views.results, name="unit_results"),
]
