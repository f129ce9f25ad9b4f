from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/statements/", views.statement_create, name="h5p_statement_create"),
]
