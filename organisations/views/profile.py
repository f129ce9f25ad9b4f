"""A person's own profile: they correct their details; e-mail and password are allauth's pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..forms import ProfileForm
from ..selectors import person_of
from ..services import person_update_own_profile


@login_required
def profile(request):
    person = person_of(request.user)
    if person is None:
        return render(request, "organisations/profile.html", {"person": None})
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        person_update_own_profile(person=person, data=form.cleaned_data)
        messages.success(request, _("Your details have been saved."))
        return redirect("organisations:profile")
    return render(request, "organisations/profile.html", {"person": person, "form": form})
