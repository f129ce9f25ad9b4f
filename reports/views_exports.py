"""Enrolment exports: request one from the statistics page, follow its progress, download it (the
requester only, through a signed link). The work happens in reports.exports and its Celery task."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from .exports import download_allowed, download_token, enrolment_export_request, export_file, export_filename, exports_of
from .forms import StatisticsForm
from .models import ExportFormat, SnapshotState

CONTENT_TYPES = {
    ExportFormat.CSV: "text/csv; charset=utf-8",
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
@require_POST
def export_request(request, unit_id: int):
    """The statistics page's filters come along in the query string, the format in the form."""
    filters = StatisticsForm(request.GET or None).filters()
    export = enrolment_export_request(user=request.user, unit_id=unit_id, filters=filters,
                                      fmt=request.POST.get("format", ""))
    return redirect("reports:export_status", pk=export.pk)


def _own_export(user, pk: int):
    export = exports_of(user).filter(pk=pk).first()
    if export is None:
        raise Http404
    return export


@login_required
def export_status(request, pk: int):
    export = _own_export(request.user, pk)
    ready = export.state == SnapshotState.READY and export_file(export).exists()
    link = reverse("reports:export_download", args=[export.pk]) + f"?token={download_token(export)}" if ready else ""
    return render(request, "reports/export_status.html", {
        "export": export, "link": link, "done": export.state in (SnapshotState.READY, SnapshotState.FAILED),
    })


@login_required
def export_download(request, pk: int):
    export = _own_export(request.user, pk)
    path = export_file(export)
    if (export.state != SnapshotState.READY or not download_allowed(export, request.user, request.GET.get("token", ""))
            or not path.exists()):
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=export_filename(export),
                        content_type=CONTENT_TYPES[export.format])
