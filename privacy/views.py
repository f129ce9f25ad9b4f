"""Pages of the personal-data workflow: a person's own data and requests; the officers' request queue.
Who may see or handle what is decided in selectors; writes are services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.services import PRIVACY_NOTICE_VERSION, consent_record
from organisations.selectors import people_managed_by, person_of

from .forms import ConsentForm, DataRequestForm, QueueFilterForm, ResponseForm
from .models import AccessAction, DataRequestKind
from .selectors import (
    can_handle_data_requests,
    can_view_data_requests,
    consent_standing,
    consents_of,
    data_requests_handled_by,
    data_requests_of,
    data_requests_queue,
    data_requests_visible_to,
    personal_data_export,
)
from .services import (
    DataRequestError,
    consent_withdraw,
    data_request_complete,
    data_request_erase,
    data_request_file,
    data_request_refuse,
    data_request_start,
    describe_filters,
    personal_data_accessed,
)

PAGE_SIZE = 50


# --- The person's own data ----------------------------------------------------------------------------

def _my_data_page(request, consent_form=None, status=200):
    standing = consent_standing(request.user)
    return render(request, "privacy/my_data.html", {
        "person": person_of(request.user),
        "consents": consents_of(request.user),
        "consent_standing": standing,
        "consent_form": None if standing else consent_form or ConsentForm(),
        "notice_version": PRIVACY_NOTICE_VERSION,
        "data_requests": data_requests_of(request.user),
    }, status=status)


@login_required
def my_data(request):
    return _my_data_page(request)


@login_required
@require_POST
def my_data_download(request):
    person = person_of(request.user)
    personal_data_accessed(user=request.user, action=AccessAction.EXPORT, what="privacy:my_data_download",
                           person_ids=[person.pk] if person else [])
    response = StreamingHttpResponse(personal_data_export(request.user), content_type="application/json; charset=utf-8")
    name = f"my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw_view(request, pk: int):
    """GET: what withdrawing means, and a button to confirm; POST: withdraw."""
    consent = consents_of(request.user).filter(pk=pk, withdrawn_at__isnull=True).first()
    if consent is None:
        raise Http404
    if request.method == "GET":
        return render(request, "privacy/consent_withdraw.html", {"consent": consent})
    consent_withdraw(user=request.user, consent_id=pk)
    messages.success(request, _("Your consent has been withdrawn. To have your data deleted as well, file a "
                                "deletion request below."))
    return redirect("privacy:my_data")


@login_required
@require_POST
def consent_give(request):
    """Consent to the current notice, given (again) from "My personal data"; the box must be ticked."""
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _my_data_page(request, consent_form=form, status=400)
    consent_record(user=request.user)
    messages.success(request, _("Thank you: your consent has been recorded."))
    return redirect("privacy:my_data")


@login_required
def request_new(request):
    form = DataRequestForm(request.POST or None, initial={"kind": request.GET.get("kind", DataRequestKind.CORRECTION)})
    if request.method == "POST" and form.is_valid():
        data_request = data_request_file(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your request has been filed. It will be answered by %(due)s.") % {
            "due": timezone.localtime(data_request.due_at).strftime("%d/%m/%Y %H:%M")})
        return redirect("privacy:my_data")
    return render(request, "privacy/request_new.html", {"form": form})


# --- The officers' queue ------------------------------------------------------------------------------

def _require_view(user):
    if not can_view_data_requests(user):
        raise PermissionDenied


def _require_handle(user):
    if not can_handle_data_requests(user):
        raise PermissionDenied


@login_required
def queue(request):
    _require_view(request.user)
    params = request.GET.copy()
    params.setdefault("status", "open")
    filters = QueueFilterForm(params)
    filters.is_valid()
    query, status = filters.cleaned_data.get("q", ""), filters.cleaned_data.get("status", "")
    rows = data_requests_queue(data_requests_visible_to(request.user), query=query, status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    personal_data_accessed(user=request.user, action=AccessAction.LIST, what="privacy:queue",
                           person_ids=[r.user.person.pk for r in page.object_list if hasattr(r.user, "person")],
                           filters=describe_filters(request.GET))
    return render(request, "privacy/queue.html", {
        "page": page, "filters": filters, "now": timezone.now(), "can_handle": can_handle_data_requests(request.user),
    })


@login_required
def request_detail(request, pk: int):
    return _detail_page(request, pk)


def _detail_page(request, pk: int, *, status: int = 200, complete_form=None, refuse_form=None):
    """The request's page; after a refused close, with the answer the officer typed (and why) kept in its form."""
    _require_view(request.user)
    # A request outside the user's scope answers 404, exactly like one that does not exist.
    data_request = get_object_or_404(data_requests_visible_to(request.user), pk=pk)
    can_handle = data_requests_handled_by(request.user).filter(pk=pk).exists()
    person = person_of(data_request.user)
    personal_data_accessed(user=request.user, action=AccessAction.VIEW, what="privacy:request_detail",
                           person_ids=[person.pk] if person else [])
    return render(request, "privacy/request_detail.html", {
        "data_request": data_request, "person": person, "can_handle": can_handle,
        "can_edit_person": bool(person) and people_managed_by(request.user).filter(pk=person.pk).exists(),
        "events": data_request.events.select_related("actor__person"),
        "complete_form": complete_form or ResponseForm(auto_id="complete_%s"),
        "refuse_form": refuse_form or ResponseForm(auto_id="refuse_%s"),
    }, status=status)


def _handled(request, pk: int):
    """The request, if the user may handle it (role gate 403 first, then 404 out of scope)."""
    _require_handle(request.user)
    return get_object_or_404(data_requests_handled_by(request.user), pk=pk)


def _act(request, action, **kwargs):
    try:
        action(actor=request.user, request_id=kwargs.pop("pk"), **kwargs)
    except DataRequestError as error:
        messages.error(request, str(error))
        return False
    return True


@login_required
@require_POST
def request_start(request, pk: int):
    _handled(request, pk)
    if _act(request, data_request_start, pk=pk):
        messages.success(request, _("You have taken up the request."))
    return redirect("privacy:request_detail", pk=pk)


def _close_with_response(request, pk: int, service, done_message: str, which: str):
    """Complete or refuse: the officer's answer goes to the person. Refused (no answer, too long, or the
    request closed meanwhile), the page comes back with the answer as typed and why."""
    _handled(request, pk)
    form = ResponseForm(request.POST, auto_id=f"{which}_%s")
    if form.is_valid() and _act(request, service, pk=pk, response=form.cleaned_data["response"]):
        messages.success(request, done_message)
        return redirect("privacy:request_detail", pk=pk)
    return _detail_page(request, pk, status=400, **{f"{which}_form": form})


@login_required
@require_POST
def request_complete(request, pk: int):
    return _close_with_response(request, pk, data_request_complete,
                                _("The request is closed and the person has been told."), "complete")


@login_required
@require_POST
def request_refuse(request, pk: int):
    return _close_with_response(request, pk, data_request_refuse,
                                _("The request is refused and the person has been told why."), "refuse")


@login_required
def request_erase(request, pk: int):
    """A confirmation page, then the deletion itself (POST)."""
    data_request = _handled(request, pk)
    if data_request.kind != DataRequestKind.DELETION or not data_request.is_open:
        messages.error(request, _("Only an open deletion request deletes data."))
        return redirect("privacy:request_detail", pk=pk)
    person = person_of(data_request.user)
    if request.method == "POST":
        form = ResponseForm(request.POST)
        response = form.cleaned_data["response"] if form.is_valid() else ""
        if _act(request, data_request_erase, pk=pk, response=response):
            messages.success(request, _("The person's data has been deleted and the account closed."))
        return redirect("privacy:request_detail", pk=pk)
    personal_data_accessed(user=request.user, action=AccessAction.VIEW, what="privacy:request_erase",
                           person_ids=[person.pk] if person else [])
    return render(request, "privacy/request_erase.html", {
        "data_request": data_request, "person": person,
        "certificates": person.certificates.count() if person else 0,
    })
