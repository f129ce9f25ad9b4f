from django.urls import path

from . import views

app_name = "gradebook"

urlpatterns = [
    path("", views.course_list, name="courses"),
    path("courses/<int:pk>/", views.course_gradebook, name="course"),
    path("courses/<int:pk>/export/", views.course_export, name="export"),
    path("courses/<int:pk>/export/status/", views.export_status, name="export_status"),
]
