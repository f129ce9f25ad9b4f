"""Verifiable Credentials: the holder's download, the published public key and the public check of a
credential file (no login, rate-limited like /verify/)."""


from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from .credentials import credential_json, credential_parse, credential_verify
from .keys import published_keys
from .ratelimit import verify_attempt_allowed
from .selectors import certificates_visible_to

MAX_CREDENTIAL_BYTES = 256 * 1024


class CredentialForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Credential file (.json)"), required=False)
    text = forms.CharField(
        label=gettext_lazy("…or paste the credential"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if upload is None and not text:
            raise forms.ValidationError(_("Choose a credential file or paste its content."))
        if upload is not None and upload.size > MAX_CREDENTIAL_BYTES:
            raise forms.ValidationError(_("A credential file is at most 256 KB."))
        raw = upload.read() if upload is not None else text.encode("utf-8")
        credential = credential_parse(raw)
        if credential is None:
            raise forms.ValidationError(_("This is not a JSON credential file."))
        data["credential"] = credential
        return data


MESSAGES = {
    "valid": gettext_lazy("The credential is authentic and the certificate is valid."),
    "tampered": gettext_lazy("The credential has been altered: its signature does not match its content."),
    "revoked": gettext_lazy("The credential is authentic but the certificate has been revoked."),
    "unknown": gettext_lazy("This credential was not issued by this site, or the certificate is unknown."),
    "superseded": gettext_lazy("The credential is authentic but the certificate was reissued with a corrected name."),
}


@login_required
def certificate_credential(request, pk: int):
    """The signed credential of a certificate, beside its PDF: to its holder and those whose scope covers them."""
    certificate = get_object_or_404(certificates_visible_to(request.user), pk=pk)
    response = HttpResponse(credential_json(certificate), content_type="application/ld+json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"{certificate.serial}.credential.json")
    return response


@require_GET
def credential_keys(request):
    response = JsonResponse(published_keys(), json_dumps_params={"indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    return response


@never_cache
@csrf_exempt  # read-only check, also used by scripts posting JSON; it changes nothing
@require_http_methods(["GET", "POST"])
def verify_credential(request):
    if request.method == "GET":
        return render(request, "certification/verify_credential.html", {"form": CredentialForm()})
    if not verify_attempt_allowed(request):
        return render(request, "certification/verify_limited.html", status=429)
    if request.content_type == "application/json" or request.content_type == "application/ld+json":
        credential = credential_parse(request.body[:MAX_CREDENTIAL_BYTES + 1])
        if credential is None or len(request.body) > MAX_CREDENTIAL_BYTES:
            return JsonResponse({"status": "unknown", "message": str(MESSAGES["unknown"])}, status=400)
        result = credential_verify(credential)
        return JsonResponse({"status": result.status, "message": str(MESSAGES[result.status])})
    form = CredentialForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "certification/verify_credential.html", {"form": form}, status=400)
    result = credential_verify(form.cleaned_data["credential"])
    return render(
        request,
        "certification/verify_credential.html",
        {"form": CredentialForm(), "result": result, "message": MESSAGES[result.status]},
    )


