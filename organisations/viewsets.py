"""Wagtail admin for the organisation tree: site administrators list, add and edit units.

Units are never deleted here: people's records point at them. A unit that stops existing is
closed with a "valid to" date and, after a merger, linked to its successor.
"""

import django_filters
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.forms import TreeNodeChoiceField
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from .models import OrganisationUnit, UnitKind


class OrganisationUnitPermissionPolicy(ModelPermissionPolicy):
    """The usual model permissions, except that nobody deletes a unit: it is closed instead."""

    def user_has_permission(self, user, action):
        return action != "delete" and super().user_has_permission(user, action)


def _open_units():
    today = timezone.localdate()
    return OrganisationUnit.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today)).order_by("path")


class OrganisationUnitForm(WagtailAdminModelForm):
    """Add a unit under a parent, or edit one. Moving a unit elsewhere in the tree is not offered:
    it would silently change which officers see its people."""

    parent = TreeNodeChoiceField(
        queryset=OrganisationUnit.objects.none(),
        label=_("Parent unit"),
        help_text=_("The new unit is added as the last child of this unit."),
    )

    class Meta:
        model = OrganisationUnit
        fields = ["name", "kind", "code", "valid_from", "valid_to", "successor"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            self.fields["parent"].queryset = _open_units()
            self.order_fields(["parent"])
        else:
            del self.fields["parent"]
        others = OrganisationUnit.objects.order_by("path")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["successor"] = TreeNodeChoiceField(
            queryset=others,
            required=False,
            label=_("Successor"),
            help_text=_("After a merger: the unit that took this one over. Set a 'valid to' date too."),
        )

    def clean(self):
        cleaned = super().clean()
        if self.instance._state.adding and cleaned.get("kind") == UnitKind.PROVINCE:
            self.add_error("kind", _("Provinces are loaded with the load_admin_units command, not added here."))
        if cleaned.get("successor") and not cleaned.get("valid_to"):
            self.add_error("valid_to", _("A unit with a successor has closed: give the date it closed."))
        return cleaned

    def save(self, commit=True):
        if self.instance._state.adding:
            # treebeard computes the materialised path; a plain save() cannot place the node.
            self.instance = self.cleaned_data["parent"].add_child(instance=self.instance)
            return self.instance
        return super().save(commit=commit)


class OrganisationUnitFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("open", pgettext_lazy("unit status", "Open")), ("closed", _("Closed"))],
        method="filter_status",
        empty_label=_("Open and closed"),
    )

    class Meta:
        model = OrganisationUnit
        fields = ["kind"]

    def filter_status(self, queryset, name, value):
        is_open = Q(valid_to__isnull=True) | Q(valid_to__gte=timezone.localdate())
        return queryset.filter(is_open) if value == "open" else queryset.exclude(is_open)


class OrganisationUnitIndexView(IndexView):
    def get_base_queryset(self):
        # The parent's path is the unit's path minus its last step: one subquery, no query per row.
        parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - OrganisationUnit.steplen)
        parent_name = OrganisationUnit.objects.filter(path=parent_path).values("name")[:1]
        return super().get_base_queryset().annotate(parent_name=Subquery(parent_name))


class OrganisationUnitViewSet(ModelViewSet):
    model = OrganisationUnit
    icon = "site"
    menu_label = _("Organisation units")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = OrganisationUnitIndexView
    list_display = [
        "name",
        "code",
        "kind",
        Column("parent_name", label=_("Parent unit")),
        "valid_from",
        "valid_to",
    ]
    filterset_class = OrganisationUnitFilterSet
    search_fields = ["name", "code"]
    search_backend_name = None
    copy_view_enabled = False

    def get_form_class(self, for_update=False):
        return OrganisationUnitForm
