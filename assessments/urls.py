from django.urls import include, path

from .quizzes import views

app_name = "assessments"

urlpatterns = [
    path("quizzes/<int:pk>/", views.quiz_detail, name="quiz"),
    path("quizzes/<int:pk>/start/", views.quiz_start, name="start"),
    path("attempts/<int:pk>/", views.attempt_page, name="attempt"),
    path("attempts/<int:pk>/answer/", views.answer_autosave, name="autosave"),
    path("attempts/<int:pk>/submit/", views.attempt_submit_view, name="submit"),
    path("attempts/<int:pk>/review/", views.attempt_review, name="review"),
    path("gradebook/", include("assessments.gradebook.urls")),
]
