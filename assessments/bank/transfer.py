"""Admin views that move questions in and out: import (upload form), export and the XLSX template."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from assessments.errors import AssessmentsError
from assessments.exporters.moodle_xml import export_moodle_xml
from assessments.importers import ImportRejected, detect_format, read_question_file
from assessments.importers.xlsx import xlsx_template
from assessments.selectors import categories_visible_to, has_bank, questions_for_export, questions_visible_to
from assessments.services import questions_import

from .forms import ImportForm


class BankRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not has_bank(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportView(BankRequiredMixin, WagtailAdminTemplateMixin, FormView):
    template_name = "assessments/admin/import.html"
    form_class = ImportForm
    page_title = gettext_lazy("Import questions")
    header_icon = "upload"

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_initial(self):
        return {"category": self.request.GET.get("category")}

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        file_format = form.cleaned_data["file_format"] or detect_format(upload.name)
        if file_format is None:
            form.add_error("file_format", _("Choose the file's format: its name does not tell."))
            return self.form_invalid(form)
        data = upload.read(self._limit() + 1)
        try:
            parsed = read_question_file(data=data, file_format=file_format)
            report = questions_import(
                actor=self.request.user, category=form.cleaned_data["category"], parsed=parsed,
                skip_bad=form.cleaned_data["skip_bad"],
            )
        except ImportRejected as error:
            return self.render_to_response(self.get_context_data(form=form, rejected=error))
        except AssessmentsError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(count)s question(s) imported.") % {"count": len(report.imported)}
        )
        if report.skipped:
            return self.render_to_response(
                self.get_context_data(form=self.get_form_class()(user=self.request.user), report=report)
            )
        return redirect("assessment_questions:index")

    @staticmethod
    def _limit() -> int:
        return settings.QUESTION_IMPORT_MAX_BYTES


class TemplateDownloadView(BankRequiredMixin, View):
    def get(self, request):
        response = HttpResponse(
            xlsx_template(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = content_disposition_header(True, "mau-cau-hoi.xlsx")
        return response


class ExportView(BankRequiredMixin, View):
    """Moodle XML of a category (with its sub-categories) or of chosen questions (?id=1&id=2)."""

    def get(self, request):
        category = None
        if request.GET.get("category"):
            if not request.GET["category"].isdecimal():
                raise Http404
            category = get_object_or_404(categories_visible_to(request.user), pk=request.GET["category"])
            questions = questions_for_export(category=category)
        else:
            try:
                ids = [int(value) for value in request.GET.getlist("id")]
            except ValueError as error:
                raise Http404 from error
            visible = questions_visible_to(request.user).filter(pk__in=ids).values_list("pk", flat=True)
            if not ids or len(set(visible)) != len(set(ids)):
                raise Http404
            questions = questions_for_export(question_ids=ids)
        response = HttpResponse(export_moodle_xml(questions, root=category), content_type="application/xml")
        response["Content-Disposition"] = content_disposition_header(True, "cau-hoi-moodle.xml")
        return response
