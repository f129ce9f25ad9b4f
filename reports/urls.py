from django.urls import path

from . import views, views_exports, views_plans, views_reports, views_tokens

app_name = "reports"

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("units/<int:unit_id>/", views.statistics, name="unit_statistics"),
    path("units/<int:unit_id>/people/", views.unit_people, name="unit_people"),
    path("units/<int:unit_id>/exports/", views_exports.export_request, name="enrolment_export"),
    path("exports/<int:pk>/", views_exports.export_status, name="export_status"),
    path("exports/<int:pk>/download/", views_exports.export_download, name="export_download"),
    path("targets/", views.targets, name="targets"),
    path("reports/", views_reports.report_list, name="report_list"),
    path("units/<int:unit_id>/reports/", views_reports.report_list, name="unit_report_list"),
    path("reports/<int:pk>/", views_reports.report_status, name="report_status"),
    path("reports/<int:pk>/download/", views_reports.report_download, name="report_download"),
    path("reports/<int:pk>/download/<slug:fmt>/", views_reports.report_download, name="report_download_format"),
    path("api-tokens/", views_tokens.token_list, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="api_token_revoke"),
    path("plans/", views_plans.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views_plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/lines/<int:line_id>/delete/", views_plans.plan_line_remove, name="plan_line_delete"),
    path("plans/<int:pk>/<slug:action>/", views_plans.plan_transition, name="plan_transition"),
]
