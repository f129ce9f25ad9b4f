from .roles import RoleView


def roles(request):
    return {"roles": RoleView(request.user)}
