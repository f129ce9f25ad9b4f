"""Wagtail admin registration for H5P activities (the views live in h5p.admin_views and h5p.chooser)."""

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import content_policy, content_viewset
from .chooser import content_chooser_viewset
from .models import H5PContent

register_permission_policy(H5PContent, content_policy)


@hooks.register("register_admin_viewset")
def register_h5p_contents():
    return [content_viewset, content_chooser_viewset]
