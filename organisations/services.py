"""Writes about people and units. Each service is atomic and validates before it saves."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
import datetime

from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from accounts.services import consent_record

from .models import Audience, OrganisationUnit, Person, RosterImport, StaffCategory

User = get_user_model()

PROFILE_FIELDS = ("full_name", "phone", "gender", "birth_year", "position")


def _person_save_fields(person: Person, data: dict, fields: tuple[str, ...]) -> Person:
    """Copy the given fields present in `data` onto the person, validate, save."""
    for field in fields:
        if field in data:
            setattr(person, field, data[field])
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def person_update_own_profile(*, person: Person, data: dict) -> Person:
    """A person corrects their own details. Unit, audience and roles are the officer's to change."""
    return _person_save_fields(person, data, PROFILE_FIELDS)


OFFICER_EDITABLE_FIELDS = PROFILE_FIELDS + (
    "unit", "staff_category", "audience", "is_leader", "is_cio", "it_qualification",
)


RESIDENT_EDITABLE_FIELDS = ("full_name", "phone", "gender", "birth_year", "audience", "commune")
SELF_REGISTERED = (Audience.FARMER, Audience.RESIDENT)


@transaction.atomic
def person_update(*, person: Person, data: dict, scope_units) -> Person:
    """An officer changes a person of their subtree. The new unit (or, for a self-registered farmer or resident,
    the new commune) must be in the officer's scope too; a self-registered person stays a farmer or resident."""
    if person.audience in SELF_REGISTERED:
        if data.get("audience", person.audience) not in SELF_REGISTERED:
            raise ValueError("A self-registered person stays a farmer or a resident.")
        fields, place = RESIDENT_EDITABLE_FIELDS, data.get("commune", person.commune)
    else:
        fields, place = OFFICER_EDITABLE_FIELDS, data.get("unit", person.unit)
    if place is not None and not scope_units.filter(pk=place.pk).exists():
        raise PermissionError("The unit is outside the officer's scope.")
    return _person_save_fields(person, data, fields)


@transaction.atomic
def person_register_self(
    *, user, full_name: str, commune: OrganisationUnit, audience: str, phone: str = "", notice_version: str
) -> Person:
    """A farmer or resident registers: profile in their commune, learner role, consent on record."""
    if audience not in (Audience.FARMER, Audience.RESIDENT):
        raise ValueError(f"Self-registration is for farmers and residents, not {audience!r}.")
    person = Person(
        user=user,
        full_name=full_name,
        commune=commune,
        audience=audience,
        staff_category=StaffCategory.NON_STATE,
        phone=phone,
    )
    person.full_clean(exclude=["user"])
    person.save()
    user.groups.add(Group.objects.get(name=Role.LEARNER))
    consent_record(user=user, notice_version=notice_version)
    return person


# A dry run nobody confirms keeps a copy of personal data; it is dropped after this long.
ROSTER_PREVIEW_RETENTION = datetime.timedelta(days=7)


@transaction.atomic
def roster_imports_expire(*, now: datetime.datetime | None = None) -> int:
    """Discard roster previews left unconfirmed past the retention period, clearing their rows."""
    cutoff = (now or timezone.now()) - ROSTER_PREVIEW_RETENTION
    return RosterImport.objects.filter(status=RosterImport.Status.PREVIEWED, created_at__lt=cutoff).update(
        status=RosterImport.Status.DISCARDED, rows=[]
    )


# IT qualifications from lowest to highest: a verified certificate never lowers what a person holds.
QUALIFICATION_ORDER = ("none", "certificate", "college", "bachelor", "master")


@transaction.atomic
def person_qualification_raise(*, person: Person, qualification: str) -> Person:
    """Record a verified IT qualification (certification calls this for a verified external certificate
    or degree): the person's highest IT qualification becomes this one if it is higher."""
    if qualification not in QUALIFICATION_ORDER:
        raise ValueError(f"Unknown IT qualification {qualification!r}.")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if QUALIFICATION_ORDER.index(qualification) > QUALIFICATION_ORDER.index(person.it_qualification):
        person.it_qualification = qualification
        person.full_clean()
        person.save(update_fields=["it_qualification", "updated_at"])
    return person
