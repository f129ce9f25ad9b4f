"""Periodic report pages: request, follow the progress, download (scoped to the requester's role)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.downloads import stored_file_open

from .choices import PeriodKind
from .models import SnapshotState
from .periods import period_of
from .selectors import statistics_unit
from .snapshots import ReportError, report_request, snapshots_visible_to


class ReportRequestForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Period"),
        choices=[(k, v) for k, v in PeriodKind.choices if k != PeriodKind.CUSTOM],
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=gettext_lazy("Quarter or half"), min_value=1, max_value=4, required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason for reissuing"), required=False, max_length=500,
        help_text=gettext_lazy("Only when the period's report was already issued."),
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["period_value"] = period_of(data["period"], data["year"], data.get("number") or 1)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return data


@login_required
def report_list(request, unit_id: int | None = None):
    scope, unit = statistics_unit(request.user, unit_id)
    if scope.audiences is not None:
        raise Http404
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            snapshot = report_request(user=request.user, unit=unit, period=form.cleaned_data["period_value"],
                                      reason=form.cleaned_data["reason"])
        except ReportError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The report is being generated."))
            return redirect("reports:report_status", pk=snapshot.pk)
    snapshots = snapshots_visible_to(request.user).filter(unit=unit).order_by("-period_start", "-version")
    page = Paginator(snapshots, 30).get_page(request.GET.get("page"))
    return render(request, "reports/report_list.html", {"unit": unit, "form": form, "page": page})


def _snapshot(user, pk):
    snapshot = snapshots_visible_to(user).filter(pk=pk).first()
    if snapshot is None:
        raise Http404
    return snapshot


@login_required
def report_status(request, pk: int):
    snapshot = _snapshot(request.user, pk)
    return render(request, "reports/report_status.html", {"snapshot": snapshot, "done": snapshot.state in (
        SnapshotState.READY, SnapshotState.FAILED)})


DOWNLOADS = {
    "xlsx": ("file", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pdf": ("pdf", "application/pdf"),
}


@login_required
def report_download(request, pk: int, fmt: str = "xlsx"):
    """The stored workbook or PDF summary, as written when the report was issued (never redrawn)."""
    snapshot = _snapshot(request.user, pk)
    field, content_type = DOWNLOADS.get(fmt, (None, None))
    stored = getattr(snapshot, field) if field else None
    if snapshot.state != SnapshotState.READY or not stored:
        raise Http404
    name = f"bao-cao-{snapshot.period_start:%Y%m%d}-{snapshot.period_end:%Y%m%d}-v{snapshot.version}.{fmt}"
    return FileResponse(stored_file_open(stored), as_attachment=True, filename=name, content_type=content_type)
