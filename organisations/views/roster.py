"""Roster import pages: upload a staff list, see the dry run, confirm or discard. The work is roster.py's."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from privacy.models import AccessAction
from privacy.services import describe_filters, personal_data_accessed

from ..models import RosterImport
from ..roster import (
    RosterError,
    RowOutcome,
    roster_import_apply,
    roster_import_discard,
    roster_preview_create,
    roster_template_workbook,
    row_for_display,
)
from ..selectors import can_manage_people, roster_imports_visible_to

PAGE_SIZE = 50
RECENT_IMPORTS = 10
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RosterUploadForm(forms.Form):
    """The staff list file; organisations.roster checks everything about its content."""

    file = forms.FileField(
        label=gettext_lazy("Staff list (.xlsx or .csv)"),
        allow_empty_file=True,  # the roster reader says "the file is empty" in its own words
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "An Excel workbook (.xlsx) or a CSV UTF-8 file, at most %(size)s and %(rows)s rows."
        ) % {"size": filesizeformat(settings.ROSTER_IMPORT_MAX_BYTES), "rows": settings.ROSTER_IMPORT_MAX_ROWS}


def _check_manager(user) -> None:
    if not can_manage_people(user):
        raise PermissionDenied


def _visible_import(user, pk: int) -> RosterImport:
    """Someone else's import answers 404, exactly like one that does not exist."""
    return get_object_or_404(roster_imports_visible_to(user), pk=pk)


@login_required
def roster_upload(request):
    _check_manager(request.user)
    form = RosterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            roster_import = roster_preview_create(user=request.user, upload=form.cleaned_data["file"])
        except RosterError as error:
            form.add_error("file", error.message)
        else:
            return redirect("organisations:roster_preview", pk=roster_import.pk)
    recent = (
        RosterImport.objects.filter(uploaded_by=request.user).defer("rows").order_by("-created_at")[:RECENT_IMPORTS]
    )
    return render(request, "organisations/roster_upload.html", {"form": form, "recent": recent})


@login_required
def roster_template(request):
    _check_manager(request.user)
    response = HttpResponse(roster_template_workbook(user=request.user), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, "roster-template.xlsx")
    return response


@login_required
def roster_preview(request, pk: int):
    _check_manager(request.user)
    roster_import = _visible_import(request.user, pk)
    outcome = request.GET.get("outcome", "")
    if outcome not in RowOutcome.values:
        outcome = ""
    rows = [row for row in roster_import.rows if not outcome or row["outcome"] == outcome]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # The file's rows are people's records before they exist as such: the log keeps how many were shown.
    personal_data_accessed(user=request.user, action=AccessAction.LIST, what="organisations:roster_preview",
                           count=len(page.object_list),
                           filters=describe_filters({"import": roster_import.pk, **request.GET.dict()}))
    return render(
        request,
        "organisations/roster_preview.html",
        {
            "roster_import": roster_import,
            "page": page,
            "rows": [row_for_display(row) for row in page.object_list],
            "outcome": outcome,
            "outcomes": RowOutcome.choices,
            "is_pending": roster_import.status == RosterImport.Status.PREVIEWED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def roster_apply(request, pk: int):
    """GET: the confirmation step, with the counts. POST: apply."""
    _check_manager(request.user)
    roster_import = _visible_import(request.user, pk)
    if roster_import.status != RosterImport.Status.PREVIEWED:
        messages.error(request, _("This import has already been applied or discarded."))
        return redirect("organisations:roster_preview", pk=pk)
    if request.method == "GET":
        return render(request, "organisations/roster_confirm.html", {"roster_import": roster_import})
    try:
        applied = roster_import_apply(roster_import=roster_import, user=request.user)
    except RosterError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "The staff list has been applied: %(created)s new, %(updated)s updated, %(unchanged)s unchanged, "
                "%(rejected)s rejected. New people receive an invitation by e-mail."
            )
            % {
                "created": applied.created_count,
                "updated": applied.updated_count,
                "unchanged": applied.unchanged_count,
                "rejected": applied.rejected_count,
            },
        )
    return redirect("organisations:roster_preview", pk=pk)


@login_required
@require_POST
def roster_discard(request, pk: int):
    _check_manager(request.user)
    roster_import = _visible_import(request.user, pk)
    try:
        roster_import_discard(roster_import=roster_import, user=request.user)
    except RosterError as error:
        messages.error(request, error.message)
        return redirect("organisations:roster_preview", pk=pk)
    messages.success(request, _("The import has been discarded; nothing was changed."))
    return redirect("organisations:roster_upload")
