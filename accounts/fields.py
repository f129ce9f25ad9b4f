"""The consent box that signing up and "My personal data" share. (Not in accounts.forms: allauth imports the
signup form while its own forms module, which that one imports, is still loading.)"""

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class ConsentField(forms.BooleanField):
    """Explicit consent: the box is required, never ticked in advance, and the notice is one click away."""

    def __init__(self, *, required_message, **kwargs):
        super().__init__(
            label=_("I have read the personal data protection notice and agree that my data is processed for this "
                    "training."),
            required=True, initial=False, error_messages={"required": required_message}, **kwargs,
        )

    def get_bound_field(self, form, field_name):
        # The link is built when the form is shown: URLs cannot be reversed when forms are imported.
        self.help_text = format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', reverse("privacy_notice"),
                                     _("Read the personal data protection notice (opens in a new tab)"))
        return super().get_bound_field(form, field_name)

