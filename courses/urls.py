from django.urls import path

from . import views
from .views import classes

app_name = "courses"

urlpatterns = [
    path("courses/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("assign/", views.assign, name="assign"),
    path("assign/<int:pk>/", views.assignments, name="assignments"),
    path("mine/", views.my_learning, name="my_learning"),
    path("classes/", classes.class_list, name="class_list"),
    path("classes/new/", classes.class_create, name="class_create"),
    path("classes/<int:pk>/", classes.class_detail, name="class_detail"),
    path("classes/<int:pk>/members/", classes.class_members_add, name="class_members_add"),
    path("classes/<int:pk>/members/<int:enrolment_pk>/remove/", classes.class_member_remove, name="class_member_remove"),
    path("classes/<int:pk>/sessions/new/", classes.session_add, name="session_add"),
    path("classes/<int:pk>/sessions/<int:session_pk>/cancel/", classes.session_remove, name="session_remove"),
    path(
        "classes/<int:pk>/sessions/<int:session_pk>/attendance/",
        classes.session_attendance_sheet,
        name="session_attendance",
    ),
]
