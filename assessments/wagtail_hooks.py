"""Wagtail admin registration for the question bank (the views live in assessments.bank)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .bank.permissions import category_policy, question_policy
from .bank.viewsets import QuestionBankViewSetGroup
from .models import Question, QuestionCategory

# Registered before any view asks for the policy, or Wagtail would create its default one.
register_permission_policy(Question, question_policy)
register_permission_policy(QuestionCategory, category_policy)


@hooks.register("register_admin_viewset")
def register_question_bank():
    return QuestionBankViewSetGroup()


# Quizzes (assessments.quizzes.admin) --------------------------------------------------------------
from assessments.models import Quiz  # noqa: E402
from assessments.quizzes.admin import QuizViewSet, quiz_chooser_viewset, quiz_policy  # noqa: E402

register_permission_policy(Quiz, quiz_policy)


@hooks.register("register_admin_viewset")
def register_quizzes():
    return [QuizViewSet("assessment_quizzes"), quiz_chooser_viewset]
