from django.urls import path

from . import views, views_credentials

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
]
