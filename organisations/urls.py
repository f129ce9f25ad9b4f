from django.urls import path

from .views import people, profile

app_name = "organisations"

urlpatterns = [
    path("profile/", profile.profile, name="profile"),
    path("people/", people.people_list, name="people_list"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
]
