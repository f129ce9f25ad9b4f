"""The roles of the programme. Each role is a Django group whose name is the role's value.

Which rows a role may see (its organisation scope) is decided in organisations.selectors, once.
"""

from functools import cached_property

from django.core.cache import cache
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    TRAINER = "trainer", _("Trainer")
    UNIT_OFFICER = "unit_officer", _("Unit training officer")
    CURRICULUM_MANAGER = "curriculum_manager", _("Curriculum manager")
    FARMER_COORDINATOR = "farmer_coordinator", _("Farmers' Union coordinator")
    HOME_AFFAIRS = "home_affairs", _("Home Affairs officer")
    SITE_ADMIN = "site_admin", _("Site administrator")


# Roles that see or change other people's data: they must log in with a second factor.
MFA_REQUIRED_ROLES = frozenset(
    {Role.UNIT_OFFICER, Role.CURRICULUM_MANAGER, Role.FARMER_COORDINATOR, Role.HOME_AFFAIRS, Role.SITE_ADMIN}
)

# Roles that use the Wagtail admin.
ADMIN_ROLES = frozenset({Role.TRAINER, Role.CURRICULUM_MANAGER, Role.SITE_ADMIN})


# The user's group names stay in the cache between requests, for users loaded other than as a request's
# signed-in user (whose group names come with its row: accounts.authentication, roles_remember). Any change of a
# user's groups forgets the entry at once (accounts.receivers), so a role taken away or given takes
# effect on the next request; the timeout only bounds what an unforeseen write path could leave.
ROLES_CACHE_TIMEOUT = 60 * 60


def _roles_key(user_pk) -> str:
    return f"accounts:group-names:{user_pk}"


def roles_forget(user_pks) -> None:
    cache.delete_many([_roles_key(pk) for pk in user_pks])


def user_roles(user) -> frozenset[Role]:
    """The roles of a user, read once per request object and then remembered on it."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_lms_roles", None)
    if cached is None:
        key = _roles_key(user.pk)
        names = cache.get(key)
        if names is None:
            names = sorted(user.groups.values_list("name", flat=True))
            cache.set(key, names, ROLES_CACHE_TIMEOUT)
        cached = roles_remember(user, names)
    return cached


def roles_remember(user, group_names) -> frozenset[Role]:
    """Remember on this user object the roles its groups (names just read from the database) give it: the
    signed-in user of a request (accounts.authentication) reads them with its own row, not from the cache."""
    roles = frozenset(role for role in Role if role.value in group_names)
    if user.is_superuser:
        roles = roles | {Role.SITE_ADMIN}
    user._lms_roles = roles
    return roles


def has_role(user, *roles: Role) -> bool:
    return bool(user_roles(user) & set(roles))


def requires_mfa(user) -> bool:
    return bool(user_roles(user) & MFA_REQUIRED_ROLES)


class RoleView:
    """Template helper: `roles.unit_officer` is True when the user holds that role."""

    def __init__(self, user):
        self._user = user

    @cached_property
    def _roles(self) -> frozenset[Role]:
        return user_roles(self._user)

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_"):
            raise AttributeError(name)
        return Role(name) in self._roles if name in Role.values else False
