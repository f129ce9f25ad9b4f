"""Wagtail admin of quizzes (trainers, scoped by quizzes_visible_to) and the quiz chooser lessons use."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from assessments.models import Quiz
from lms.choosers import scoped_chosen_view
from assessments.selectors import has_bank

from .forms import QuizForm
from .selectors import quizzes_visible_to


class QuizPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return has_bank(user) and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action == "delete" and instance.attempts.exists():
            return False  # attempts point at it; keep it
        return quizzes_visible_to(user).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Quiz.objects.none()
        return quizzes_visible_to(user)


quiz_policy = QuizPermissionPolicy(Quiz)


class OwnQuizMixin:
    """404 for a quiz outside the user's scope, before anything else (ids cannot be probed)."""

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk", args[0] if args else None)
        if pk is not None and (not str(pk).isdecimal() or not quizzes_visible_to(request.user).filter(pk=pk).exists()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class QuizIndexView(generic.IndexView):
    def get_base_queryset(self):
        return quizzes_visible_to(self.request.user)

    def get_list_more_buttons(self, instance):
        return [
            MenuItem(_("Results"), url=reverse("assessment_results:attempts", args=[instance.pk]),
                     icon_name="list-ul", priority=5),
            MenuItem(_("Item analysis"), url=reverse("assessment_results:analysis", args=[instance.pk]),
                     icon_name="table", priority=6),
            *super().get_list_more_buttons(instance),
        ]


class QuizCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.owner = self.request.user
        return super().save_instance()


class QuizEditView(OwnQuizMixin, generic.EditView):
    pass


class QuizDeleteView(OwnQuizMixin, generic.DeleteView):
    pass


class QuizViewSet(ModelViewSet):
    model = Quiz
    icon = "tasks"
    menu_label = _("Quizzes")
    menu_order = 265
    add_to_admin_menu = True
    index_view_class = QuizIndexView
    add_view_class = QuizCreateView
    edit_view_class = QuizEditView
    delete_view_class = QuizDeleteView
    list_display = ["title", Column("selection", label=_("Questions"), accessor="get_selection_display"), "owner",
                    "closes_at", "updated_at"]
    search_fields = ["title", "description"]
    search_backend_name = None
    copy_view_enabled = False
    inspect_view_enabled = False
    edit_handler = ObjectList([
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel([
            FieldPanel("selection"),
            InlinePanel("fixed_questions", label=_("Fixed questions")),
            FieldRowPanel([FieldPanel("draw_count"), FieldPanel("draw_mark")]),
            FieldPanel("draw_categories"),
            FieldPanel("draw_competency_codes"),
            FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]),
        ], heading=_("Questions")),
        MultiFieldPanel([
            FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
            FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("max_attempts")]),
            FieldRowPanel([FieldPanel("grading_method"), FieldPanel("pass_mark")]),
            FieldRowPanel([FieldPanel("navigation"), FieldPanel("questions_per_page")]),
            FieldPanel("review_option"),
        ], heading=_("Rules")),
        FieldPanel("competency_codes"),
    ], base_form_class=QuizForm)


class QuizChooseViewMixin:
    def get_object_list(self):
        return quizzes_visible_to(self.request.user)


class QuizChooseView(QuizChooseViewMixin, chooser_views.ChooseView):
    pass


class QuizChooseResultsView(QuizChooseViewMixin, chooser_views.ChooseResultsView):
    pass


class QuizChooserViewSet(ChooserViewSet):
    model = Quiz
    icon = "tasks"
    choose_one_text = _("Choose a quiz")
    choose_another_text = _("Choose another quiz")
    edit_item_text = _("Edit this quiz")
    choose_view_class = QuizChooseView
    choose_results_view_class = QuizChooseResultsView
    chosen_view_class = scoped_chosen_view(quizzes_visible_to)


quiz_chooser_viewset = QuizChooserViewSet("quiz_chooser", url_prefix="assessments/quiz-chooser")
QuizChooserBlock = quiz_chooser_viewset.get_block_class(name="QuizChooserBlock", module_path="assessments.quizzes.admin")
