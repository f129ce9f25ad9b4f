"""Bulk certificate jobs (start, follow the progress, download the ZIP) and reissue on a name correction."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from courses.models import Course
from lms.downloads import stored_file_open
from organisations.selectors import units_managed_by
from privacy.models import AccessAction
from privacy.services import describe_filters, personal_data_accessed

from .errors import CertificationError
from .models import BulkJob
from .selectors import certificates_revocable_by, courses_missing_certificates
from .services.bulk import bulk_issue_start, bulk_regenerate_start, bulk_zip_start, can_regenerate
from .services.reissue import certificate_reissue


class RegenerateForm(forms.Form):
    course = forms.ModelChoiceField(label=gettext_lazy("Course"), queryset=Course.objects.none())
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, render every certificate of this course again with its current template."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = Course.objects.filter(certificates__isnull=False).distinct().order_by("title")


class _CourseMissingCertificates(forms.ModelChoiceField):
    def label_from_instance(self, course):
        return ngettext(
            "%(course)s (%(count)s learner without a certificate)",
            "%(course)s (%(count)s learners without a certificate)",
            course.missing,
        ) % {"course": course, "count": number_format(course.missing, force_grouping=True)}


class IssueForm(forms.Form):
    course = _CourseMissingCertificates(label=gettext_lazy("Course"), queryset=Course.objects.none())
    confirm = forms.BooleanField(
        label=gettext_lazy("Yes, issue a certificate to every learner who completed this course and has none."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses_missing_certificates()


class ZipForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_managed_by(user).order_by("path")


class ReissueForm(forms.Form):
    holder_name = forms.CharField(label=gettext_lazy("Corrected name"), max_length=255)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False,
                           help_text=gettext_lazy("For example the decision correcting the name."))


def _may_run_jobs(user) -> bool:
    return can_regenerate(user) or units_managed_by(user).exists()


@login_required
@require_http_methods(["GET", "POST"])
def jobs(request):
    user = request.user
    if not _may_run_jobs(user):
        raise PermissionDenied
    chosen = request.POST.get("job")
    regenerate = RegenerateForm(request.POST if chosen == "regenerate" else None) if can_regenerate(user) else None
    issue = IssueForm(request.POST if chosen == "issue" else None) if can_regenerate(user) else None
    zip_form = ZipForm(request.POST if chosen == "zip" else None, user=user)
    if request.method == "POST":
        try:
            if chosen == "regenerate" and regenerate is not None and regenerate.is_valid():
                job = bulk_regenerate_start(course=regenerate.cleaned_data["course"], requested_by=user)
                return redirect("certification:job", pk=job.pk)
            if chosen == "issue" and issue is not None and issue.is_valid():
                job = bulk_issue_start(course=issue.cleaned_data["course"], requested_by=user)
                return redirect("certification:job", pk=job.pk)
            if chosen == "zip" and zip_form.is_valid():
                job = bulk_zip_start(unit=zip_form.cleaned_data["unit"], requested_by=user)
                return redirect("certification:job", pk=job.pk)
        except CertificationError as refusal:
            messages.error(request, refusal.message)
    page = Paginator(BulkJob.objects.filter(requested_by=user).select_related("course", "unit"), 20).get_page(
        request.GET.get("page"))
    return render(request, "certification/jobs.html", {
        "page": page, "regenerate": regenerate, "issue": issue, "zip_form": zip_form,
    })


@login_required
def job(request, pk: int):
    job = get_object_or_404(BulkJob.objects.select_related("course", "unit"), pk=pk, requested_by=request.user)
    return render(request, "certification/job.html", {"job": job})


@login_required
def job_download(request, pk: int):
    job = get_object_or_404(BulkJob, pk=pk, requested_by=request.user)
    if not job.file:
        raise Http404
    # Scope is checked again now: an officer moved to another unit no longer downloads its certificates.
    if job.unit_id and not units_managed_by(request.user).filter(pk=job.unit_id).exists():
        raise Http404
    personal_data_accessed(user=request.user, action=AccessAction.EXPORT, what="certification:job_download",
                           count=job.total, filters=describe_filters({"job": job.pk, "unit": job.unit_id or ""}))
    return FileResponse(stored_file_open(job.file), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1],
                        content_type="application/zip")


@login_required
@require_http_methods(["GET", "POST"])
def reissue(request, pk: int):
    certificate = get_object_or_404(certificates_revocable_by(request.user), pk=pk)
    form = ReissueForm(request.POST or None, initial={"holder_name": certificate.person.full_name})
    if request.method == "POST" and form.is_valid():
        if "confirm" not in request.POST:
            return render(request, "certification/reissue.html", {"form": form, "certificate": certificate,
                                                                  "confirming": True})
        try:
            certificate_reissue(certificate=certificate, holder_name=form.cleaned_data["holder_name"],
                                reissued_by=request.user, note=form.cleaned_data["note"])
        except CertificationError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Certificate %(serial)s has been reissued.") % {"serial": certificate.serial})
            return redirect("certification:manage")
    return render(request, "certification/reissue.html", {"form": form, "certificate": certificate})
