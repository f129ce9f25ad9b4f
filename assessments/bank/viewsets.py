"""Wagtail admin of the question bank: categories and questions, scoped by assessments.selectors.

Every view that takes an id answers 404 for a row outside the user's bank (the same as a missing
one). Question saves go through services.question_save, so versioning holds in the admin too.
"""

from __future__ import annotations

import django_filters
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton

from assessments.choices import QuestionType
from assessments.errors import AssessmentsError
from assessments.models import Question, QuestionCategory
from assessments.selectors import categories_visible_to, questions_visible_to
from assessments.services import category_save, question_delete, question_save

from .forms import CategoryForm, QuestionForm
from .transfer import ExportView, ImportView, TemplateDownloadView


class InBankMixin:
    """404 for an object outside the user's bank, before any other check (ids cannot be probed)."""

    def bank(self, user):
        return questions_visible_to(user) if self.model is Question else categories_visible_to(user)

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs.get("pk", args[0] if args else None)
        if pk is not None and (not str(pk).isdecimal() or not self.bank(request.user).filter(pk=pk).exists()):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ServiceSaveMixin:
    """Save through the bank's services; their domain and validation errors go back to the form."""

    def form_valid(self, form):
        self.form = form
        try:
            with transaction.atomic():
                self.object = self.save_instance()
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        except AssessmentsError as error:
            form.add_error(None, error.message)
        else:
            return self.save_action()
        self.produced_error_message = self.get_error_message()
        return self.form_invalid(form)


# Categories ---------------------------------------------------------------------------------------


class CategoryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return categories_visible_to(self.request.user).annotate(question_count=Count("questions"))

    def get_list_more_buttons(self, instance):
        export = reverse("assessment_questions:export")
        upload = reverse("assessment_questions:import")
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(
                _("Export to Moodle XML"), url=f"{export}?category={instance.pk}", icon_name="download", priority=30
            ),
            MenuItem(
                _("Import into this category"), url=f"{upload}?category={instance.pk}", icon_name="upload", priority=40
            ),
        ]


class CategoryCreateView(ServiceSaveMixin, generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return category_save(
            actor=self.request.user, name=data["name"], parent=data["parent"], description=data["description"]
        )


class CategoryEditView(InBankMixin, ServiceSaveMixin, generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return category_save(
            actor=self.request.user, name=data["name"], parent=data["parent"], description=data["description"],
            category=QuestionCategory.objects.get(pk=self.object.pk),
        )


class CategoryDeleteView(InBankMixin, generic.DeleteView):
    pass


class CategoryHistoryView(InBankMixin, history.HistoryView):
    pass


class CategoryUsageView(InBankMixin, usage.UsageView):
    pass


class QuestionCategoryViewSet(ModelViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Question categories")
    index_view_class = CategoryIndexView
    add_view_class = CategoryCreateView
    edit_view_class = CategoryEditView
    delete_view_class = CategoryDeleteView
    history_view_class = CategoryHistoryView
    usage_view_class = CategoryUsageView
    list_display = ["name", "parent", "owner", Column("question_count", label=_("Questions"))]
    search_fields = ["name", "description"]
    search_backend_name = None
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return CategoryForm


# Questions ----------------------------------------------------------------------------------------


class QuestionFilterSet(WagtailFilterSet):
    qtype = django_filters.ChoiceFilter(
        label=_("Type"), field_name="current_version__qtype", choices=QuestionType.choices
    )
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=QuestionCategory.objects.none())
    competency = django_filters.CharFilter(label=_("Competency"), method="filter_competency")

    class Meta:
        model = Question
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["category"].queryset = categories_visible_to(request.user)

    def filter_competency(self, queryset, name, value):
        return queryset.filter(competencies__code=value.strip().upper())


class QuestionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return questions_visible_to(self.request.user)

    def get_list_more_buttons(self, instance):
        export = reverse("assessment_questions:export")
        return [
            *super().get_list_more_buttons(instance),
            MenuItem(_("Preview"), url=reverse("assessment_questions:preview", args=[instance.pk]), icon_name="view",
                     priority=15),
            MenuItem(_("Export to Moodle XML"), url=f"{export}?id={instance.pk}", icon_name="download", priority=30),
        ]

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        buttons.append(HeaderButton(_("Import"), url=reverse("assessment_questions:import"), icon_name="upload"))
        return buttons


class QuestionSaveMixin(ServiceSaveMixin):
    template_name = "assessments/admin/question_form.html"

    def save_instance(self):
        form = self.form
        data = form.cleaned_data
        return question_save(
            actor=self.request.user,
            question=Question.objects.get(pk=self.object.pk) if getattr(self, "object", None) else None,
            category=data["category"], name=data["name"], qtype=data["qtype"], stem=data["stem"],
            payload=form.payload, general_feedback=data["general_feedback"], default_mark=data["default_mark"],
            competency_codes=data["competency_codes"],
        )


class QuestionCreateView(QuestionSaveMixin, generic.CreateView):
    pass


class QuestionEditView(InBankMixin, QuestionSaveMixin, generic.EditView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["preview_url"] = reverse("assessment_questions:preview", args=[self.object.pk])
        context["version"] = self.object.current_version
        return context


class QuestionDeleteView(InBankMixin, generic.DeleteView):
    def delete_action(self):
        question_delete(actor=self.request.user, question=self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except AssessmentsError as error:
            messages.error(self.request, error.message)
            return self.get(self.request)


class QuestionHistoryView(InBankMixin, history.HistoryView):
    pass


class QuestionUsageView(InBankMixin, usage.UsageView):
    pass


class QuestionPreviewView(InBankMixin, WagtailAdminTemplateMixin, TemplateView):
    """The question as a learner would see it, then (for the trainer only) the answers and feedback."""

    model = Question
    template_name = "assessments/admin/question_preview.html"
    page_title = _("Preview")
    header_icon = "view"

    def get_context_data(self, **kwargs):
        question = get_object_or_404(questions_visible_to(self.request.user), pk=self.kwargs["pk"])
        versions = question.versions.order_by("-number")
        number = self.request.GET.get("version", "")
        version = get_object_or_404(versions, number=number if number.isdecimal() else question.current_version.number)
        payload = version.payload
        answers = {pair["answer"] for pair in payload.get("pairs", [])} | set(payload.get("extra_answers", []))
        context = super().get_context_data(**kwargs)
        context.update(
            question=question, version=version, payload=payload, versions=versions,
            match_answers=sorted(answers),
            shuffled_items=sorted(payload.get("items", []), key=lambda item: item["text"]),
            edit_url=reverse("assessment_questions:edit", args=[question.pk]),
        )
        return context

    def get_page_subtitle(self):
        return questions_visible_to(self.request.user).get(pk=self.kwargs["pk"]).name


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    index_view_class = QuestionIndexView
    add_view_class = QuestionCreateView
    edit_view_class = QuestionEditView
    delete_view_class = QuestionDeleteView
    history_view_class = QuestionHistoryView
    usage_view_class = QuestionUsageView
    filterset_class = QuestionFilterSet
    list_display = [
        "name",
        Column("qtype", label=_("Type"), accessor="current_version.get_qtype_display"),
        "category",
        "owner",
        Column("version", label=_("Version"), accessor="current_version.number"),
        "updated_at",
    ]
    search_fields = ["name", "current_version__stem"]
    search_backend_name = None
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return QuestionForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("preview/<int:pk>/", QuestionPreviewView.as_view(), name="preview"),
            path("import/", ImportView.as_view(), name="import"),
            path("import/template.xlsx", TemplateDownloadView.as_view(), name="import_template"),
            path("export/", ExportView.as_view(), name="export"),
        ]


class QuestionBankViewSetGroup(ModelViewSetGroup):
    menu_label = _("Question bank")
    menu_icon = "help"
    menu_order = 260
    items = (QuestionViewSet("assessment_questions"), QuestionCategoryViewSet("assessment_categories"))
