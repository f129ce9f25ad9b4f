"""Wagtail admin registration for the question bank (the views live in assessments.bank)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .bank.chooser import question_chooser_viewset
from .bank.permissions import category_policy, question_policy
from .bank.viewsets import QuestionBankViewSetGroup
from .models import Question, QuestionCategory

# Registered before any view asks for the policy, or Wagtail would create its default one.
register_permission_policy(Question, question_policy)
register_permission_policy(QuestionCategory, category_policy)


@hooks.register("register_admin_viewset")
def register_question_bank():
    return [QuestionBankViewSetGroup(), question_chooser_viewset]


# Quizzes (assessments.quizzes.admin) --------------------------------------------------------------
from assessments.models import Quiz  # noqa: E402
from assessments.quizzes.admin import QuizViewSet, quiz_chooser_viewset, quiz_policy  # noqa: E402

register_permission_policy(Quiz, quiz_policy)


@hooks.register("register_admin_viewset")
def register_quizzes():
    return [QuizViewSet("assessment_quizzes"), quiz_chooser_viewset]


# Quiz results: grading queue, attempts, regrades, item analysis (assessments.quizzes.results_views) ------
from django.urls import include, path, reverse  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402
from wagtail.admin.menu import MenuItem  # noqa: E402

from assessments.quizzes import results_views  # noqa: E402


@hooks.register("register_admin_urls")
def register_results_urls():
    return [path("assessments/results/", include((results_views.urlpatterns, "assessment_results")))]


class ResultsMenuItem(MenuItem):
    """Shown to trainers, curriculum managers and site administrators (the views scope the rows)."""

    def is_shown(self, request):
        from assessments.selectors import has_bank

        return has_bank(request.user)


@hooks.register("register_admin_menu_item")
def register_grading_menu_item():
    return ResultsMenuItem(_("Grading"), reverse("assessment_results:queue"), icon_name="edit", order=266,
                           name="grading")


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return ResultsMenuItem(_("Quiz results"), reverse("assessment_results:index"), icon_name="list-ul", order=267,
                           name="quiz-results")


# The gradebook registers its menu item in its own hooks module.
import assessments.gradebook.wagtail_hooks  # noqa: E402,F401
