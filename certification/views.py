"""Pages of certification: public verification (no login), the learner's certificates and competencies,
and the officer's revocation. Rules live in services and selectors; these views stay thin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from lms.downloads import stored_file_open
from organisations.selectors import person_of

from .errors import CertificationError
from .forms import RevokeForm, VerifyForm
from .ratelimit import verify_attempt_allowed
from .selectors import (
    can_revoke_any,
    certificate_by_serial,
    certificate_by_token,
    certificates_of,
    certificates_revocable_by,
    certificates_visible_to,
    competencies_of,
    missing_for_next_standard,
    standards_met,
)
from .services import certificate_revoke, certificates_render

PAGE_SIZE = 30


# --- Public verification ----------------------------------------------------------------------------


def _too_many(request):
    return render(request, "certification/verify_limited.html", status=429)


def _verification_result(request, certificate):
    if certificate is None:
        return render(request, "certification/verify_not_found.html", {"form": VerifyForm()}, status=404)
    # Only what the certificate itself proves: the name, the course, the date and its state.
    return render(request, "certification/verify_result.html", {"certificate": certificate})


@never_cache
def verify_token(request, token: str):
    if not verify_attempt_allowed(request):
        return _too_many(request)
    return _verification_result(request, certificate_by_token(token))


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    if request.method == "GET":
        return render(request, "certification/verify.html", {"form": VerifyForm()})
    if not verify_attempt_allowed(request):
        return _too_many(request)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        return render(request, "certification/verify.html", {"form": form})
    data = form.cleaned_data
    return _verification_result(request, certificate_by_serial(data["serial"], data["check_code"]))


# --- Learner ----------------------------------------------------------------------------------------


@login_required
def my_certificates(request):
    person = person_of(request.user)
    page = Paginator(certificates_of(person), PAGE_SIZE).get_page(request.GET.get("page")) if person else None
    return render(request, "certification/my_certificates.html", {"person": person, "page": page})


@login_required
def certificate_pdf(request, pk: int):
    """The PDF of a certificate: to its holder and to the people whose scope covers them; others 404."""
    certificate = get_object_or_404(certificates_visible_to(request.user), pk=pk)
    if not certificate.pdf:
        certificates_render(certificates=[certificate])
        certificate.refresh_from_db()
    return FileResponse(stored_file_open(certificate.pdf), as_attachment=True, filename=f"{certificate.serial}.pdf",
                        content_type="application/pdf")


@login_required
def my_competencies(request):
    person = person_of(request.user)
    context = {"person": person}
    if person is not None:
        context.update(
            held=competencies_of(person),
            standards=standards_met(person),
            next_standard=missing_for_next_standard(person),
        )
    return render(request, "certification/my_competencies.html", context)


# --- Officer ----------------------------------------------------------------------------------------


@login_required
def manage(request):
    if not can_revoke_any(request.user):
        raise PermissionDenied
    certificates = certificates_revocable_by(request.user).order_by("-issued_at", "-id")
    query = request.GET.get("q", "").strip()
    if query:
        certificates = certificates.filter(
            Q(serial__iexact=query) | Q(holder_name__icontains=query) | Q(course_title__icontains=query)
        )
    page = Paginator(certificates, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "certification/manage.html", {"page": page, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request, pk: int):
    if not can_revoke_any(request.user):
        raise PermissionDenied
    certificate = get_object_or_404(certificates_revocable_by(request.user), pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if "confirm" not in request.POST:
            return render(request, "certification/revoke_confirm.html", {"form": form, "certificate": certificate})
        try:
            certificate_revoke(certificate=certificate, reason=form.cleaned_data["reason"], revoked_by=request.user)
        except CertificationError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Certificate %(serial)s has been revoked.") % {"serial": certificate.serial})
            return redirect("certification:manage")
    return render(request, "certification/revoke.html", {"form": form, "certificate": certificate})
