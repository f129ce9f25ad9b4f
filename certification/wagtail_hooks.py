"""Wagtail admin registration for certification (the views live in certification.viewsets)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import CertificateTemplate, Competency, Standard
from .viewsets import CertificationViewSetGroup, FrameworkPermissionPolicy

# Registered before any view asks for a policy, or Wagtail would create its default ones.
register_permission_policy(Competency, FrameworkPermissionPolicy(Competency))
register_permission_policy(Standard, FrameworkPermissionPolicy(Standard))
register_permission_policy(CertificateTemplate, FrameworkPermissionPolicy(CertificateTemplate, can_delete=True))


@hooks.register("register_admin_viewset")
def register_certification_viewsets():
    return CertificationViewSetGroup()
