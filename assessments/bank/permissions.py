"""Who may do what in the bank's admin: the model permissions (granted to trainers, curriculum
managers and site administrators by migration 0002), narrowed to the rows the selectors allow."""

from wagtail.permission_policies import ModelPermissionPolicy

from assessments.models import Question, QuestionCategory
from assessments.selectors import categories_visible_to, has_bank, questions_visible_to


class BankPermissionPolicy(ModelPermissionPolicy):
    def _visible(self, user):
        return questions_visible_to(user) if self.model is Question else categories_visible_to(user)

    def user_has_permission(self, user, action):
        return has_bank(user) and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action) or not self._visible(user).filter(pk=instance.pk).exists():
            return False
        if action == "delete" and isinstance(instance, QuestionCategory):
            # A category with questions or sub-categories is kept (PROTECT); empty it first.
            return not (instance.questions.exists() or instance.children.exists())
        return True

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        return self._visible(user)


question_policy = BankPermissionPolicy(Question)
category_policy = BankPermissionPolicy(QuestionCategory)
