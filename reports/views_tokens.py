"""API token pages: a reader of statistics lists their own tokens, creates one (shown once) and revokes
one after confirming. Anyone else's token answers 404; so does the page for roles without statistics."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from lms.validators import visible_text_validator

from .selectors import can_read_statistics
from .tokens import api_token_create, api_token_of, api_token_revoke, api_tokens_of


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What the token is for"), max_length=100, validators=[visible_text_validator],
        help_text=gettext_lazy("For example: the province's data portal. Only you see this name."),
    )


def _reader(request):
    if not can_read_statistics(request.user):
        raise Http404


@never_cache
@login_required
def token_list(request):
    _reader(request)
    form = ApiTokenForm(request.POST or None)
    created = raw = None
    if request.method == "POST" and form.is_valid():
        created, raw = api_token_create(user=request.user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    return render(request, "reports/api_tokens.html", {
        "form": form, "tokens": api_tokens_of(request.user), "created": created, "raw": raw,
    })


@never_cache
@login_required
def token_revoke(request, pk: int):
    _reader(request)
    token = api_token_of(request.user, pk)
    if request.method == "POST":
        api_token_revoke(user=request.user, token_id=token.pk)
        messages.success(request, _("The token “%(name)s” is revoked: programs using it are refused from now on.")
                         % {"name": token.name})
        return redirect("reports:api_tokens")
    return render(request, "reports/api_token_confirm_revoke.html", {"token": token})
