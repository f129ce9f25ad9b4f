"""Wagtail admin registration for organisations (the views live in organisations.viewsets)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import OrganisationUnit
from .viewsets import OrganisationUnitPermissionPolicy, OrganisationUnitViewSet

# Registered before any view asks for the policy, or Wagtail would create its default one.
register_permission_policy(OrganisationUnit, OrganisationUnitPermissionPolicy(OrganisationUnit))


@hooks.register("register_admin_viewset")
def register_organisation_unit_viewset():
    return OrganisationUnitViewSet("organisation_units")
