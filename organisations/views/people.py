"""People pages for officers: list with search, and one person's record. Scoping is the selectors'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from privacy.models import AccessAction
from privacy.services import describe_filters, personal_data_accessed

from ..forms import person_form_class
from ..selectors import (
    can_manage_people,
    can_view_people,
    people_in_scope,
    people_managed_by,
    people_search,
    units_managed_by,
)
from ..services import person_update

PAGE_SIZE = 50


@login_required
def people_list(request):
    if not can_view_people(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "")
    people = people_search(people_in_scope(request.user), query).order_by("full_name", "id")
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    personal_data_accessed(user=request.user, action=AccessAction.LIST, what="organisations:people_list",
                           person_ids=[person.pk for person in page.object_list], filters=describe_filters(request.GET))
    return render(
        request,
        "organisations/people_list.html",
        {"page": page, "query": query, "can_manage": can_manage_people(request.user)},
    )


@login_required
def person_detail(request, pk: int):
    if not can_view_people(request.user):
        raise PermissionDenied
    # A person outside the user's scope answers 404, exactly like one that does not exist.
    person = get_object_or_404(people_in_scope(request.user), pk=pk)
    can_edit = people_managed_by(request.user).filter(pk=person.pk).exists()
    personal_data_accessed(user=request.user, action=AccessAction.VIEW, what="organisations:person_detail",
                           person_ids=[person.pk])
    return render(request, "organisations/person_detail.html", {"person": person, "can_manage": can_edit})


@login_required
def person_edit(request, pk: int):
    if not can_manage_people(request.user):
        raise PermissionDenied
    person = get_object_or_404(people_managed_by(request.user), pk=pk)
    scope_units = units_managed_by(request.user)
    form = person_form_class(person)(request.POST or None, instance=person, units=scope_units)
    if request.method == "POST" and form.is_valid():
        person_update(person=person, data=form.cleaned_data, scope_units=scope_units)
        messages.success(request, _("The details of %(name)s have been saved.") % {"name": person.full_name})
        return redirect("organisations:person_detail", pk=person.pk)
    return render(request, "organisations/person_edit.html", {"person": person, "form": form})
