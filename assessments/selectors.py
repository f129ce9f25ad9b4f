"""Reads of the question bank and who may see what.

Trainers see and change the categories and questions they own; curriculum managers and site
administrators see the whole bank. Anything outside a user's bank answers 404 in the views.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.roles import Role, has_role

from .models import Question, QuestionCategory


def sees_whole_bank(user) -> bool:
    return has_role(user, Role.CURRICULUM_MANAGER, Role.SITE_ADMIN)


def has_bank(user) -> bool:
    return sees_whole_bank(user) or has_role(user, Role.TRAINER)


def categories_visible_to(user) -> QuerySet[QuestionCategory]:
    categories = QuestionCategory.objects.select_related("parent", "owner")
    if sees_whole_bank(user):
        return categories
    if has_role(user, Role.TRAINER):
        return categories.filter(owner=user)
    return categories.none()


def questions_visible_to(user) -> QuerySet[Question]:
    questions = Question.objects.select_related("category", "owner", "current_version")
    if sees_whole_bank(user):
        return questions
    if has_role(user, Role.TRAINER):
        return questions.filter(owner=user)
    return questions.none()


def category_subtree_ids(category: QuestionCategory) -> list[int]:
    """The category and every category below it (one query per level; banks are shallow)."""
    ids, level = [category.pk], [category.pk]
    while level:
        level = list(QuestionCategory.objects.filter(parent__in=level).values_list("pk", flat=True))
        ids.extend(level)
    return ids


def questions_for_export(*, category: QuestionCategory | None = None, question_ids=None) -> QuerySet[Question]:
    questions = Question.objects.select_related("category", "current_version").prefetch_related("competencies")
    if category is not None:
        questions = questions.filter(category_id__in=category_subtree_ids(category))
    if question_ids is not None:
        questions = questions.filter(pk__in=list(question_ids))
    return questions.order_by("category_id", "name", "pk")
