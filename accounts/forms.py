"""allauth form customisations (ACCOUNT_FORMS)."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """The login form, saying what "login" means here: an e-mail address or an employee code."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("E-mail or employee code")
        # The label says it all; a placeholder would repeat it and vanish while typing.
        login.widget.attrs.pop("placeholder", None)
        login.widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget.attrs.pop("placeholder", None)
