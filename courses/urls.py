from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("courses/<int:pk>/enrol/", views.enrol, name="enrol"),
    path("assign/", views.assign, name="assign"),
    path("assign/<int:pk>/", views.assignments, name="assignments"),
    path("mine/", views.my_learning, name="my_learning"),
]
