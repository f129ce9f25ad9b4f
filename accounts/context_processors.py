from django.contrib.auth.models import AnonymousUser

from .roles import RoleView


def roles(request):
    # No user yet when a middleware before authentication refuses the request (400 for a bad Host header).
    return {"roles": RoleView(getattr(request, "user", None) or AnonymousUser())}
