"""Generated demo people, at any scale: deterministic, numbered, and written with bulk inserts.

Person n is the same whatever the total asked for (a seeded random stream), and is skipped if it
exists, so asking for N people twice, or for more later, only adds the missing ones. Every batch
is a few bulk INSERTs sharing one password hash: 100,000 people take seconds, not hours.
"""

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import ConsentRecord
from accounts.roles import Role
from accounts.services import PRIVACY_NOTICE_VERSION

from .data import names
from .models import (
    COMMUNE_LEVEL_KINDS,
    SELF_REGISTERED_AUDIENCES,
    Audience,
    Gender,
    ITQualification,
    OrganisationUnit,
    Person,
    StaffCategory,
    UnitKind,
)

User = get_user_model()

# Shared by every demo login and every generated person. Demo data only: never seed a real site.
DEMO_PASSWORD = "Hoc-CNTT-2026"
# A reserved domain (RFC 2606 ".example"): mail to demo people can never reach anyone.
DEMO_EMAIL_DOMAIN = "demo.example"
BATCH_SIZE = 5000
GENERATOR_SEED = 2026

_AUDIENCE_WEIGHTS = (
    (Audience.GENERAL, 58),
    (Audience.FARMER, 18),
    (Audience.RESIDENT, 11),
    (Audience.LEADER_CIO, 6),
    (Audience.IT_STAFF, 7),
)
_QUALIFICATION_WEIGHTS = {
    Audience.IT_STAFF: ((ITQualification.BACHELOR, 55), (ITQualification.COLLEGE, 25), (ITQualification.MASTER, 15),
                        (ITQualification.CERTIFICATE, 5)),
    Audience.LEADER_CIO: ((ITQualification.CERTIFICATE, 50), (ITQualification.NONE, 25), (ITQualification.BACHELOR, 20),
                          (ITQualification.MASTER, 5)),
    Audience.GENERAL: ((ITQualification.CERTIFICATE, 45), (ITQualification.NONE, 45), (ITQualification.COLLEGE, 5),
                       (ITQualification.BACHELOR, 5)),
    Audience.FARMER: ((ITQualification.NONE, 92), (ITQualification.CERTIFICATE, 8)),
    Audience.RESIDENT: ((ITQualification.NONE, 85), (ITQualification.CERTIFICATE, 12), (ITQualification.BACHELOR, 3)),
}  # fmt: skip
# Age ranges (youngest, oldest) by audience.
_AGES = {
    Audience.LEADER_CIO: (36, 59),
    Audience.IT_STAFF: (23, 50),
    Audience.GENERAL: (23, 59),
    Audience.FARMER: (18, 70),
    Audience.RESIDENT: (16, 75),
}
_MOBILE_PREFIXES = ("086", "096", "097", "098", "032", "033", "035", "038", "088", "091", "094", "083", "085", "090",
                    "093", "070", "079", "077", "081", "082")  # fmt: skip
# Departments and their sub-units weigh more than communes: they employ more people each.
_DEPARTMENT_WEIGHT, _COMMUNE_WEIGHT = 3, 1


@dataclass(frozen=True)
class _Workplace:
    unit_id: int
    name: str
    is_commune: bool
    is_centre: bool
    in_organisation: bool  # the Farmers' Union and its sub-units: staff of a mass organisation
    head: str
    deputy: str


@dataclass(slots=True)
class _PersonSpec:
    index: int
    full_name: str
    gender: str
    audience: str
    birth_year: int
    staff_category: str
    it_qualification: str
    position: str = ""
    unit_id: int | None = None
    commune_id: int | None = None
    is_leader: bool = False
    is_cio: bool = False
    phone: str = ""


def _weighted(pairs):
    values, weights = zip(*pairs, strict=True)
    return values, tuple(accumulate(weights))


class _Generator:
    """Turns a seeded random stream into people. Person n is the same whatever the total asked for."""

    def __init__(self, *, tops: list[_Workplace], workplaces: list[_Workplace], communes: list[int], year: int):
        self.rng = random.Random(GENERATOR_SEED)
        self.tops = tops
        self.workplaces = workplaces
        self.workplace_weights = tuple(
            accumulate(_COMMUNE_WEIGHT if w.is_commune else _DEPARTMENT_WEIGHT for w in workplaces)
        )
        self.communes = communes
        self.year = year
        self.families = _weighted(names.FAMILY_NAMES)
        self.audiences = _weighted(_AUDIENCE_WEIGHTS)
        self.qualifications = {audience: _weighted(pairs) for audience, pairs in _QUALIFICATION_WEIGHTS.items()}

    def people(self, count: int) -> Iterator[_PersonSpec]:
        """The first `count` people: each department's head, CIO deputy and IT officer first, then a random mix."""
        index = 0
        for top in self.tops:
            for make in (self._head, self._cio, self._it_officer):
                index += 1
                if index > count:
                    return
                yield make(index, top)
        while index < count:
            index += 1
            yield self._random_person(index)

    def _pick(self, weighted):
        values, cumulative = weighted
        return self.rng.choices(values, cum_weights=cumulative)[0]

    def _base(self, index: int, audience: str) -> _PersonSpec:
        rng = self.rng
        roll = rng.random()
        gender = Gender.FEMALE if roll < 0.49 else Gender.MALE if roll < 0.99 else Gender.UNSPECIFIED
        feminine = gender == Gender.FEMALE or (gender == Gender.UNSPECIFIED and rng.random() < 0.5)
        middle = rng.choice(names.FEMALE_MIDDLE_NAMES if feminine else names.MALE_MIDDLE_NAMES)
        given = rng.choice(names.FEMALE_GIVEN_NAMES if feminine else names.MALE_GIVEN_NAMES)
        youngest, oldest = _AGES[audience]
        phone = f"{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(10_000_000):07d}" if rng.random() < 0.7 else ""
        return _PersonSpec(
            index=index,
            full_name=f"{self._pick(self.families)} {middle} {given}",
            gender=gender,
            audience=audience,
            birth_year=self.year - rng.randint(youngest, oldest),
            staff_category=StaffCategory.NON_STATE,
            it_qualification=self._pick(self.qualifications[audience]),
            phone=phone,
        )

    def _staff(self, index: int, audience: str, workplace: _Workplace, *, leader: bool) -> _PersonSpec:
        person = self._base(index, audience)
        person.unit_id = workplace.unit_id
        person.is_leader = leader
        if workplace.is_centre:
            person.staff_category = StaffCategory.VIEN_CHUC
        elif leader and (workplace.is_commune or workplace.in_organisation):
            person.staff_category = StaffCategory.CAN_BO  # elected or appointed in the political system
        else:
            person.staff_category = StaffCategory.CONG_CHUC
        if not leader and self.rng.random() < 0.12:
            person.staff_category = StaffCategory.CONTRACT
        return person

    def _head(self, index: int, workplace: _Workplace) -> _PersonSpec:
        person = self._staff(index, Audience.LEADER_CIO, workplace, leader=True)
        person.position = workplace.head
        return person

    def _cio(self, index: int, workplace: _Workplace) -> _PersonSpec:
        person = self._staff(index, Audience.LEADER_CIO, workplace, leader=True)
        person.position = f"{workplace.deputy}, phụ trách công nghệ thông tin (CIO)"
        person.is_cio = True
        return person

    def _it_officer(self, index: int, workplace: _Workplace) -> _PersonSpec:
        person = self._staff(index, Audience.IT_STAFF, workplace, leader=False)
        person.position = self.rng.choice(names.IT_STAFF_POSITIONS)
        return person

    def _random_person(self, index: int) -> _PersonSpec:
        audience = self._pick(self.audiences)
        if audience in SELF_REGISTERED_AUDIENCES:
            person = self._base(index, audience)
            person.commune_id = self.rng.choice(self.communes)
            if audience == Audience.FARMER:
                person.position = self.rng.choice(names.FARMER_POSITIONS)
            return person
        workplace = self.rng.choices(self.workplaces, cum_weights=self.workplace_weights)[0]
        if audience == Audience.LEADER_CIO:
            person = self._staff(index, audience, workplace, leader=True)
            person.position = workplace.deputy
        elif audience == Audience.IT_STAFF:
            person = self._it_officer(index, workplace)
        else:
            person = self._staff(index, audience, workplace, leader=False)
            positions = (
                names.COMMUNE_STAFF_POSITIONS
                if workplace.is_commune
                else names.CENTRE_STAFF_POSITIONS
                if workplace.is_centre
                else names.DEPARTMENT_STAFF_POSITIONS
            )
            person.position = self.rng.choice(positions)
        return person


@cache
def _ascii(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _handle(full_name: str) -> str:
    """The usual shape of a Vietnamese government mailbox: given name, then initials ("annv")."""
    *others, given = full_name.split()
    return _ascii(given) + "".join(_ascii(part)[0] for part in others)


def _workplaces(province: OrganisationUnit) -> tuple[list[_Workplace], list[_Workplace], list[int]]:
    today = timezone.localdate()
    units = list(
        OrganisationUnit.objects.filter(path__startswith=province.path, depth__gt=province.depth)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .exclude(kind=UnitKind.DISTRICT)
        .order_by("path")
        .values_list("pk", "path", "depth", "kind", "name")
    )
    organisation_paths = [path for _pk, path, _depth, kind, _name in units if kind == UnitKind.ORGANISATION]
    workplaces, tops, communes = [], [], []
    for pk, path, depth, kind, name in units:
        head, deputy = names.head_titles(name)
        workplace = _Workplace(
            unit_id=pk,
            name=name,
            is_commune=kind in COMMUNE_LEVEL_KINDS,
            is_centre=name.startswith("Trung tâm"),
            in_organisation=any(path.startswith(prefix) for prefix in organisation_paths),
            head=head,
            deputy=deputy,
        )
        workplaces.append(workplace)
        if workplace.is_commune:
            communes.append(pk)
        elif depth == province.depth + 1:
            tops.append(workplace)
    if not communes or not tops:
        raise ValueError(f"{province} has no departments or no communes yet: load them before generating people.")
    return tops, workplaces, communes


def _employee_code(province: OrganisationUnit, index: int) -> str:
    return f"DM{province.code}-{index:06d}"


def _self_registered_username(code: str) -> str:
    """Self-registered people get a handle, as at sign-up (accounts.adapters); staff log in with their code."""
    return f"_r{code.lower()}"


def demo_people_ensure(*, province: OrganisationUnit, count: int) -> int:
    """Make sure generated people 1..count exist in the province; return how many were created.

    Staff work in departments, sub-units and communes; farmers and residents registered in a
    commune. Every department gets a head, a deputy designated as its CIO and an IT officer.
    Each batch is one transaction of a few bulk INSERTs; all share one password hash.
    """
    tops, workplaces, communes = _workplaces(province)
    generator = _Generator(tops=tops, workplaces=workplaces, communes=communes, year=timezone.localdate().year)
    password_hash = make_password(DEMO_PASSWORD)
    learner_group_id = Group.objects.get(name=Role.LEARNER).pk
    created = 0
    batch: list[_PersonSpec] = []
    for spec in generator.people(count):
        batch.append(spec)
        if len(batch) == BATCH_SIZE:
            created += _insert_people(province, batch, password_hash=password_hash, learner_group_id=learner_group_id)
            batch = []
    if batch:
        created += _insert_people(province, batch, password_hash=password_hash, learner_group_id=learner_group_id)
    return created


@transaction.atomic
def _insert_people(province, specs: list[_PersonSpec], *, password_hash: str, learner_group_id: int) -> int:
    codes = [_employee_code(province, spec.index) for spec in specs]
    # Person n exists if either of its possible logins does, whatever the generator made of it then.
    logins = [login for code in codes for login in (code, _self_registered_username(code))]
    existing = set(User.objects.filter(username__in=logins).values_list("username", flat=True))
    rows = []
    for spec, code in zip(specs, codes, strict=True):
        if code in existing or _self_registered_username(code) in existing:
            continue
        self_registered = spec.audience in SELF_REGISTERED_AUDIENCES
        username = _self_registered_username(code) if self_registered else code
        email = f"{_handle(spec.full_name)}.{spec.index}@{DEMO_EMAIL_DOMAIN}"
        rows.append((spec, username, email, None if self_registered else code))
    if not rows:
        return 0

    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(username=username, email=email, password=password_hash, date_joined=now)
            for _spec, username, email, _code in rows
        ]
    )
    Person.objects.bulk_create(
        [
            Person(
                user_id=user.pk,
                full_name=spec.full_name,
                employee_code=code,
                unit_id=spec.unit_id,
                commune_id=spec.commune_id,
                position=spec.position,
                staff_category=spec.staff_category,
                audience=spec.audience,
                is_leader=spec.is_leader,
                is_cio=spec.is_cio,
                it_qualification=spec.it_qualification,
                gender=spec.gender,
                birth_year=spec.birth_year,
                phone=spec.phone,
            )
            for user, (spec, _username, _email, code) in zip(users, rows, strict=True)
        ]
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user_id=user.pk, email=user.email, verified=True, primary=True) for user in users]
    )
    memberships = User.groups.through
    memberships.objects.bulk_create([memberships(user_id=user.pk, group_id=learner_group_id) for user in users])
    ConsentRecord.objects.bulk_create(
        [
            ConsentRecord(user_id=user.pk, notice_version=PRIVACY_NOTICE_VERSION, given_at=now)
            for user, (spec, *_rest) in zip(users, rows, strict=True)
            if spec.audience in SELF_REGISTERED_AUDIENCES
        ]
    )
    return len(users)
