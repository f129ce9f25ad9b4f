"""Forms of the public verification page and the officer's revocation page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    serial = forms.CharField(
        label=_("Serial number"), max_length=30, help_text=_("As printed on the certificate, e.g. NA-2026-000123.")
    )
    check_code = forms.CharField(
        label=_("Check code"), max_length=12, help_text=_("The short code printed beside the serial number.")
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown in the certificate's history; the public page only says it was revoked."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for revoking the certificate."))
        return reason


class ExternalCertificateForm(forms.Form):
    """A certificate or degree obtained elsewhere. The file is checked by its content in the service."""

    kind = forms.ChoiceField(label=_("Kind"), choices=())
    title = forms.CharField(label=_("Name of the certificate or degree"), max_length=255,
                            help_text=_("As printed, e.g. Chứng chỉ ứng dụng CNTT cơ bản."))
    number = forms.CharField(label=_("Certificate number"), max_length=60, required=False,
                             help_text=_("Required for an IT skills certificate."))
    issuer = forms.CharField(label=_("Issued by (centre or school)"), max_length=255)
    issued_on = forms.DateField(label=_("Issued on"), widget=forms.DateInput(attrs={"type": "date"}))
    qualification = forms.ChoiceField(label=_("Level of the degree"), choices=(), required=False,
                                      help_text=_("For an IT degree only."))
    competency_codes = forms.MultipleChoiceField(
        label=_("Competencies the certificate shows"), choices=(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    file = forms.FileField(label=_("File (PDF or photo, at most 10 MB)"))

    def __init__(self, *args, **kwargs):
        from organisations.models import ITQualification

        from .choices import ExternalKind
        from .models import Competency

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ExternalKind.choices
        self.fields["qualification"].choices = [("", "—")] + [
            (value, label) for value, label in ITQualification.choices if value in ("college", "bachelor", "master")
        ]
        self.fields["competency_codes"].choices = [
            (c.code, f"{c.code} {c.name}") for c in Competency.objects.filter(is_active=True)
        ]

    def clean_issued_on(self):
        from .services.external import issued_on_check

        issued_on = self.cleaned_data["issued_on"]
        issued_on_check(issued_on)
        return issued_on

    def clean_file(self):
        from .errors import UploadRefused
        from .uploads import upload_check

        upload = self.cleaned_data["file"]
        try:
            upload_check(upload)
        except UploadRefused as refusal:
            raise forms.ValidationError(refusal.message) from None
        return upload


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The holder sees it: say what is wrong or missing."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give the reason for rejecting the certificate."))
        return reason
