"""External certificates: the holder submits and follows them; the officers managing the holder verify or
reject them. Files go out only through `external_file`, which checks who asks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lms.downloads import stored_file_open
from organisations.selectors import person_of

from .choices import ExternalState
from .errors import CertificationError
from .forms import ExternalCertificateForm, RejectForm
from .selectors.external import can_review_externals, externals_of, externals_reviewable_by, externals_visible_to
from .services.external import external_certificate_reject, external_certificate_submit, external_certificate_verify

PAGE_SIZE = 30


@login_required
@require_http_methods(["GET", "POST"])
def external_mine(request):
    person = person_of(request.user)
    if person is None:
        raise Http404
    form = ExternalCertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            external_certificate_submit(
                person=person, kind=data["kind"], title=data["title"], number=data["number"], issuer=data["issuer"],
                issued_on=data["issued_on"], qualification=data["qualification"] or "certificate",
                competency_codes=data["competency_codes"], upload=data["file"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except CertificationError as refusal:
            form.add_error("file", refusal.message)
        else:
            messages.success(request, _("Your certificate has been sent to your unit officer for verification."))
            return redirect("certification:external_mine")
    page = Paginator(externals_of(person), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certification/external_mine.html", {"form": form, "page": page})


@login_required
def external_queue(request):
    if not can_review_externals(request.user):
        raise PermissionDenied
    state = request.GET.get("state", ExternalState.SUBMITTED)
    if state not in ExternalState.values:
        state = ExternalState.SUBMITTED
    externals = externals_reviewable_by(request.user).filter(state=state)
    query = request.GET.get("q", "").strip()
    if query:
        externals = externals.filter(person__full_name__icontains=query)
    externals = externals.order_by("submitted_at", "id") if state == ExternalState.SUBMITTED else externals
    page = Paginator(externals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certification/external_queue.html", {
        "page": page, "state": state, "states": ExternalState.choices, "query": query,
    })


@login_required
@require_http_methods(["GET", "POST"])
def external_review(request, pk: int):
    if not can_review_externals(request.user):
        raise PermissionDenied
    external = get_object_or_404(externals_reviewable_by(request.user), pk=pk)
    reject_form = RejectForm(request.POST if request.POST.get("action") == "reject" else None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "verify":
                external_certificate_verify(external=external, verified_by=request.user)
                messages.success(request, _("The certificate is verified and its competencies recorded."))
                return redirect("certification:external_queue")
            if request.POST.get("action") == "reject" and reject_form.is_valid():
                external_certificate_reject(
                    external=external, rejected_by=request.user, reason=reject_form.cleaned_data["reason"]
                )
                messages.success(request, _("The certificate has been rejected."))
                return redirect("certification:external_queue")
        except CertificationError as refusal:
            messages.error(request, refusal.message)
            external.refresh_from_db()
    return render(request, "certification/external_review.html", {"external": external, "reject_form": reject_form})


@login_required
def external_file(request, pk: int):
    external = get_object_or_404(externals_visible_to(request.user), pk=pk)
    if not external.file:  # erased at the holder's request (privacy.services.person_anonymise)
        raise Http404
    handle = stored_file_open(external.file)
    extension = external.file.name.rsplit(".", 1)[-1]
    # A photo, decoded in full by Pillow on upload, opens in the browser; a PDF is downloaded (issue 10:
    # documents are attachments). Both carry nosniff and a sandbox policy.
    response = FileResponse(
        handle, content_type=external.content_type, filename=f"certificate-{external.pk}.{extension}",
        as_attachment=not external.content_type.startswith("image/"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
