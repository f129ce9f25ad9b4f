"""The question chooser of the quiz editor: a searchable, filterable, paginated list of the questions the user
may put in a quiz (their own; the whole bank for curriculum managers). Each fixed-question row of the editor
was a select of the whole bank, rendered again for every row: at province scale, megabytes per page.

Registered for every Wagtail form field of a foreign key to Question (`register_widget`), so the quiz editor's
rows use it without naming it; QuizForm still limits what the field accepts to questions_visible_to(user).
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from assessments.choices import QuestionType
from assessments.models import Question
from assessments.selectors import categories_visible_to, category_subtree_ids, questions_visible_to
from lms.choosers import scoped_chosen_view


class QuestionFilterForm(BaseFilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"placeholder": _("Name or text of the question")}))
    category = forms.ModelChoiceField(label=_("Category"), queryset=None, required=False,
                                      empty_label=_("All categories"))
    qtype = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types")), *QuestionType.choices])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_visible_to(user)

    def filter(self, objects):
        objects = super().filter(objects)
        if query := self.cleaned_data.get("q"):
            objects = objects.filter(Q(name__icontains=query) | Q(current_version__stem__icontains=query))
            self.is_searching, self.search_query = True, query
        if category := self.cleaned_data.get("category"):
            objects = objects.filter(category_id__in=category_subtree_ids(category))
        if qtype := self.cleaned_data.get("qtype"):
            objects = objects.filter(current_version__qtype=qtype)
        return objects


class QuestionListMixin:
    filter_form_class = QuestionFilterForm

    def get_object_list(self):
        return questions_visible_to(self.request.user)

    def get_filter_form(self):
        return self.filter_form_class(self.request.GET, user=self.request.user)

    @property
    def columns(self):
        return [
            *super().columns,
            Column("qtype", label=_("Type"), accessor="current_version.get_qtype_display"),
            Column("category", label=_("Category"), accessor="category"),
        ]


class QuestionChooseView(QuestionListMixin, chooser_views.ChooseView):
    pass


class QuestionChooseResultsView(QuestionListMixin, chooser_views.ChooseResultsView):
    pass


class QuestionChooserViewSet(ChooserViewSet):
    model = Question
    icon = "help"
    per_page = 20
    choose_one_text = _("Choose a question")
    choose_another_text = _("Choose another question")
    edit_item_text = _("Edit this question")
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView
    chosen_view_class = scoped_chosen_view(questions_visible_to)


question_chooser_viewset = QuestionChooserViewSet("question_chooser", url_prefix="assessments/question-chooser")
