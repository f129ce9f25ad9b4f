"""The province's structure: its official communes, its departments and (for demos) its past units.

Communes come from the PyPI package `vietnam-provinces`, which carries the official list of the
two-level local government in force since 1 July 2025. Departments come from organisations.data.
Every loader here is idempotent: it matches units by code, creates what is missing, renames what
changed, and closes (never deletes) what has gone, so that old records still add up.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from treebeard.exceptions import PathOverflow
from vietnam_provinces import Province, ProvinceCode, VietNamDivisionType, Ward

from .data.departments import HISTORICAL_UNITS, UnitSpec, province_departments, unit_code
from .models import COMMUNE_LEVEL_KINDS, OrganisationUnit, UnitKind

# The day the two-level local government (provinces, then communes) came into force.
COMMUNE_LEVEL_SINCE = date(2025, 7, 1)

_COMMUNE_KIND_BY_DIVISION = {
    VietNamDivisionType.XA: UnitKind.COMMUNE,
    VietNamDivisionType.PHUONG: UnitKind.WARD,
    VietNamDivisionType.DAC_KHU: UnitKind.SPECIAL_ZONE,
}


class AdminUnitsError(ValueError):
    """The official list cannot be loaded as asked; the message says why."""


class UnknownProvince(AdminUnitsError):
    """The code is not one of the provinces in the official list."""


@dataclass(frozen=True)
class OfficialUnit:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class OfficialProvince:
    code: str
    name: str
    # "tỉnh" or "thành phố": the word that names the province level in unit names ("Thanh tra tỉnh").
    level_word: str
    communes: tuple[OfficialUnit, ...]


@dataclass(frozen=True)
class LoadResult:
    province: OrganisationUnit
    created: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0


def official_province(province_code: int) -> OfficialProvince:
    """The province and its commune-level units as the package lists them."""
    try:
        code = ProvinceCode(province_code)
    except ValueError:
        known = ", ".join(str(c.value) for c in ProvinceCode)
        raise UnknownProvince(f"{province_code} is not an official province code (known codes: {known}).") from None
    province = Province.from_code(code)
    if province.division_type == VietNamDivisionType.TINH:
        name, level_word = f"Tỉnh {province.name}", "tỉnh"
    else:  # a centrally-run city: its official name already says "Thành phố".
        name, level_word = province.name, "thành phố"
    communes = tuple(
        OfficialUnit(code=str(ward.code.value), name=ward.name, kind=_COMMUNE_KIND_BY_DIVISION[ward.division_type])
        for ward in Ward.iter_by_province(code)
    )
    return OfficialProvince(code=str(code.value), name=name, level_word=level_word, communes=communes)


def units_append(*, parent: OrganisationUnit, units: Sequence[OrganisationUnit]) -> list[OrganisationUnit]:
    """Save unsaved units as the last children of `parent` with one INSERT.

    treebeard's add_child costs three queries per node; here the paths are computed the way
    add_child computes them, so the tree stays exactly as treebeard would have built it.
    """
    if not units:
        return []
    locked = OrganisationUnit.objects.select_for_update().only("path", "depth", "numchild").get(pk=parent.pk)
    depth = locked.depth + 1
    last_path = (
        OrganisationUnit.objects.filter(path__startswith=locked.path, depth=depth)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    first_step = OrganisationUnit._str2int(last_path[-OrganisationUnit.steplen :]) + 1 if last_path else 1
    last_step = first_step + len(units) - 1
    if len(OrganisationUnit._int2str(last_step)) > OrganisationUnit.steplen:
        raise PathOverflow(f"{parent} cannot take {len(units)} more children.")
    for step, unit in enumerate(units, start=first_step):
        unit.depth = depth
        unit.path = OrganisationUnit._get_path(locked.path, depth, step)
        unit.numchild = 0
        unit.clean_fields()
    created = OrganisationUnit.objects.bulk_create(units)
    OrganisationUnit.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(units))
    parent.numchild = locked.numchild + len(units)
    return created


def _units_by_code(codes) -> dict[str, OrganisationUnit]:
    return {unit.code: unit for unit in OrganisationUnit.objects.filter(code__in=list(codes))}


def _province_root(official: OfficialProvince) -> tuple[OrganisationUnit, bool]:
    province = OrganisationUnit.objects.filter(code=official.code).first()
    if province is None:
        # No valid_from: most provinces are far older than the 2025 reform, and merged ones kept a code.
        province = OrganisationUnit(name=official.name, kind=UnitKind.PROVINCE, code=official.code)
        province.clean_fields(exclude=["path", "depth"])  # treebeard sets them
        return OrganisationUnit.add_root(instance=province), True
    if not province.is_root() or province.kind != UnitKind.PROVINCE:
        raise AdminUnitsError(f"The unit with code {official.code} ({province}) is not a province at the top.")
    if province.name != official.name:
        province.name = official.name
        province.full_clean()
        province.save(update_fields=["name"])
    return province, False


@transaction.atomic
def admin_units_load(*, province_code: int) -> LoadResult:
    """Create or refresh the province and its communes; close communes that left the official list."""
    official = official_province(province_code)
    province, province_created = _province_root(official)
    today = timezone.localdate()

    official_codes = {unit.code for unit in official.communes}
    existing = {
        unit.code: unit
        for unit in OrganisationUnit.objects.filter(
            Q(code__in=official_codes)
            | Q(path__startswith=province.path, depth=province.depth + 1, kind__in=COMMUNE_LEVEL_KINDS)
        )
    }

    new_units, changed = [], []
    for spec in official.communes:
        unit = existing.get(spec.code)
        if unit is None:
            new_units.append(
                OrganisationUnit(name=spec.name, kind=spec.kind, code=spec.code, valid_from=COMMUNE_LEVEL_SINCE)
            )
        elif (unit.name, unit.kind, unit.valid_to) != (spec.name, spec.kind, None):
            unit.name, unit.kind, unit.valid_to = spec.name, spec.kind, None
            unit.clean_fields()
            changed.append(unit)
    # A commune that starts in the future (a merger entered ahead of time) is not closed.
    gone = [
        unit.pk
        for code, unit in existing.items()
        if code not in official_codes and unit.valid_to is None and (unit.valid_from or today) <= today
    ]

    units_append(parent=province, units=new_units)
    OrganisationUnit.objects.bulk_update(changed, ["name", "kind", "valid_to"])
    closed = OrganisationUnit.objects.filter(pk__in=gone).update(valid_to=today) if gone else 0
    return LoadResult(
        province=province,
        created=len(new_units) + int(province_created),
        updated=len(changed),
        closed=closed,
        unchanged=len(official.communes) - len(new_units) - len(changed),
    )


@transaction.atomic
def province_departments_load(*, province: OrganisationUnit) -> LoadResult:
    """Create or rename the province's departments, agencies, Farmers' Union and their sub-units."""
    official = official_province(int(province.code))
    wanted: dict[str, tuple[OrganisationUnit, str | None]] = {}  # code → (unit, code of its parent unit)
    for spec in province_departments(int(province.code)):
        code = unit_code(official.code, spec.abbreviation)
        wanted[code] = (_unit_from_spec(spec, code, official), None)
        for sub in spec.sub_units:
            sub_code = unit_code(official.code, spec.abbreviation, sub.abbreviation)
            wanted[sub_code] = (_unit_from_spec(sub, sub_code, official), code)
    existing = _units_by_code(wanted)

    changed = []
    for code, (unit, _parent_code) in wanted.items():
        current = existing.get(code)
        if current is not None and (current.name, current.kind) != (unit.name, unit.kind):
            current.name, current.kind = unit.name, unit.kind
            current.clean_fields()
            changed.append(current)
    OrganisationUnit.objects.bulk_update(changed, ["name", "kind"])

    missing: dict[str | None, list[OrganisationUnit]] = {}
    for code, (unit, parent_code) in wanted.items():
        if code not in existing:
            missing.setdefault(parent_code, []).append(unit)
    created = units_append(parent=province, units=missing.pop(None, []))
    parents = {**existing, **{unit.code: unit for unit in created}}
    for parent_code, units in missing.items():
        created += units_append(parent=parents[parent_code], units=units)
    return LoadResult(
        province=province,
        created=len(created),
        updated=len(changed),
        unchanged=len(wanted) - len(created) - len(changed),
    )


def _unit_from_spec(spec: UnitSpec, code: str, official: OfficialProvince) -> OrganisationUnit:
    return OrganisationUnit(name=spec.name.format(level=official.level_word), kind=spec.kind, code=code)


@transaction.atomic
def province_history_load(*, province: OrganisationUnit) -> LoadResult:
    """Add the province's known former district-level units, closed and linked to their successors."""
    specs = HISTORICAL_UNITS.get(int(province.code), ())
    codes = [spec.code for spec in specs] + [spec.successor_code for spec in specs]
    known = _units_by_code(codes)
    new_units, changed = [], []
    for spec in specs:
        successor = known.get(spec.successor_code)
        if successor is None:
            raise AdminUnitsError(f"Load the communes first: {spec.name}'s successor {spec.successor_code} is missing.")
        unit = known.get(spec.code)
        if unit is None:
            new_units.append(
                OrganisationUnit(
                    name=spec.name,
                    kind=spec.kind,
                    code=spec.code,
                    valid_from=spec.valid_from,
                    valid_to=spec.valid_to,
                    successor=successor,
                )
            )
        elif (unit.name, unit.valid_from, unit.valid_to, unit.successor_id) != (
            spec.name,
            spec.valid_from,
            spec.valid_to,
            successor.pk,
        ):
            unit.name, unit.valid_from, unit.valid_to = spec.name, spec.valid_from, spec.valid_to
            unit.successor = successor
            unit.clean_fields()
            changed.append(unit)
    for unit in new_units:  # a handful, saved one by one so Wagtail's reference index sees the successor link
        unit.clean_fields(exclude=["path", "depth"])
        province.add_child(instance=unit)
    OrganisationUnit.objects.bulk_update(changed, ["name", "valid_from", "valid_to", "successor"])
    return LoadResult(
        province=province,
        created=len(new_units),
        updated=len(changed),
        unchanged=len(specs) - len(new_units) - len(changed),
    )
