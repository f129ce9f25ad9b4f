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
