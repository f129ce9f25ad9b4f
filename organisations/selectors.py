"""Reads, and the one place that decides which units and people a user may see.

Every view, export and API that lists people or units goes through these functions.
"""

from django.db.models import Q, QuerySet

from accounts.roles import Role, user_roles

from .models import COMMUNE_LEVEL_KINDS, SELF_REGISTERED_AUDIENCES, OrganisationUnit, Person, RosterImport

# Roles that read everything in the province (Home Affairs reads; site administrators manage).
# Seeing and managing are separate scopes: a Home Affairs officer who is also a unit officer reads
# the whole province but manages only their own subtree.
_PROVINCE_WIDE = {Role.SITE_ADMIN, Role.HOME_AFFAIRS}


def person_of(user) -> Person | None:
    """The profile of a user, or None (a bare administrator account has none)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except Person.DoesNotExist:
        return None


def officer_unit(user) -> OrganisationUnit | None:
    """The unit whose subtree a unit training officer manages: the unit they belong to now."""
    if Role.UNIT_OFFICER not in user_roles(user):
        return None
    person = person_of(user)
    return person.unit if person else None


def sees_whole_province(user) -> bool:
    """Whether the user may see every person of the province (Home Affairs, site administrators)."""
    return bool(user_roles(user) & _PROVINCE_WIDE)


def _people_filter(user) -> Q | None:
    """A filter over Person for what the user may see; None means the whole province."""
    if sees_whole_province(user):
        return None
    roles = user_roles(user)
    allowed = Q(user_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    unit = officer_unit(user)
    if unit is not None:
        allowed |= Q(unit__path__startswith=unit.path)
    if Role.FARMER_COORDINATOR in roles:
        allowed |= Q(audience__in=SELF_REGISTERED_AUDIENCES)
    return allowed


def people_in_scope(user) -> QuerySet[Person]:
    people = Person.objects.select_related("user", "unit", "commune")
    scope = _people_filter(user)
    return people if scope is None else people.filter(scope)


def units_managed_by(user) -> QuerySet[OrganisationUnit]:
    """Units whose people the user may import and edit: a unit officer's subtree, or everything for
    site administrators. Reading rights (Home Affairs, the Farmers' Union) never widen it."""
    if Role.SITE_ADMIN in user_roles(user):
        return OrganisationUnit.objects.all()
    unit = officer_unit(user)
    if unit is not None:
        return OrganisationUnit.objects.filter(path__startswith=unit.path)
    return OrganisationUnit.objects.none()


def people_managed_by(user) -> QuerySet[Person]:
    """People the user may edit or update by import: those of units_managed_by(user)."""
    people = Person.objects.select_related("user", "unit", "commune")
    if Role.SITE_ADMIN in user_roles(user):
        return people
    unit = officer_unit(user)
    if unit is not None:
        return people.filter(unit__path__startswith=unit.path)
    return people.none()


def can_manage_people(user) -> bool:
    """Import and edit people: unit training officers (in their subtree) and site administrators."""
    roles = user_roles(user)
    return Role.SITE_ADMIN in roles or (Role.UNIT_OFFICER in roles and officer_unit(user) is not None)


def roster_scope_unit(user) -> OrganisationUnit | None:
    """The top of the subtree a roster import covers: the province for site administrators, else the
    officer's unit (new people with a blank unit code join it)."""
    if Role.SITE_ADMIN in user_roles(user):
        return province_root()
    return officer_unit(user)


def roster_imports_visible_to(user) -> QuerySet[RosterImport]:
    """Roster imports a user may open: their own; site administrators may open all."""
    imports = RosterImport.objects.select_related("uploaded_by", "scope_unit")
    return imports if Role.SITE_ADMIN in user_roles(user) else imports.filter(uploaded_by=user)


def can_view_people(user) -> bool:
    roles = user_roles(user)
    return can_manage_people(user) or bool(roles & {Role.HOME_AFFAIRS, Role.FARMER_COORDINATOR})


def people_search(queryset: QuerySet[Person], query: str) -> QuerySet[Person]:
    query = query.strip()
    if not query:
        return queryset
    return queryset.filter(
        Q(full_name__icontains=query) | Q(employee_code__iexact=query) | Q(user__email__iexact=query)
    )


def province_root() -> OrganisationUnit | None:
    return OrganisationUnit.get_root_nodes().first()


def communes_open_for_registration() -> QuerySet[OrganisationUnit]:
    return OrganisationUnit.objects.filter(kind__in=COMMUNE_LEVEL_KINDS, valid_to__isnull=True).order_by("name")
