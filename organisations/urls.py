from django.urls import path

from .views import people, profile, roster

app_name = "organisations"

urlpatterns = [
    path("profile/", profile.profile, name="profile"),
    path("people/", people.people_list, name="people_list"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/import/", roster.roster_upload, name="roster_upload"),
    path("people/import/template.xlsx", roster.roster_template, name="roster_template"),
    path("people/import/<int:pk>/", roster.roster_preview, name="roster_preview"),
    path("people/import/<int:pk>/apply/", roster.roster_apply, name="roster_apply"),
    path("people/import/<int:pk>/discard/", roster.roster_discard, name="roster_discard"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
]
