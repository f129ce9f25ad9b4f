from django.urls import path

from . import views, views_credentials, views_external, views_jobs, views_matrix

app_name = "certification"

urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/credential/", views_credentials.verify_credential, name="verify_credential"),
    path(".well-known/lms-certificate-keys.json", views_credentials.credential_keys, name="credential_keys"),
    path("certificates/<int:pk>/credential.json", views_credentials.certificate_credential,
         name="certificate_credential"),
    path("verify/<str:token>/", views.verify_token, name="verify_token"),
    path("certificates/mine/", views.my_certificates, name="my_certificates"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate_pdf"),
    path("certificates/manage/", views.manage, name="manage"),
    path("certificates/<int:pk>/revoke/", views.revoke, name="revoke"),
    path("competencies/mine/", views.my_competencies, name="my_competencies"),
    path("certificates/<int:pk>/reissue/", views_jobs.reissue, name="reissue"),
    path("certificates/jobs/", views_jobs.jobs, name="jobs"),
    path("certificates/jobs/<int:pk>/", views_jobs.job, name="job"),
    path("certificates/jobs/<int:pk>/download/", views_jobs.job_download, name="job_download"),
    path("competencies/matrix/", views_matrix.matrix, name="matrix"),
    path("competencies/matrix.xlsx", views_matrix.matrix_xlsx, name="matrix_xlsx"),
    path("competencies/coverage/", views_matrix.coverage, name="coverage"),
    path("certificates/external/", views_external.external_mine, name="external_mine"),
    path("certificates/external/review/", views_external.external_queue, name="external_queue"),
    path("certificates/external/<int:pk>/review/", views_external.external_review, name="external_review"),
    path("certificates/external/<int:pk>/file/", views_external.external_file, name="external_file"),
]
