"""The unit matrix (people × competencies) for unit officers and the coverage by unit for Home Affairs.

The matrix reads the current records of one page of people in one query; the coverage is computed by the
database (counts filtered by correlated subqueries, grouped by the unit's branch of the tree), never by a
loop over people.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from accounts.roles import Role, user_roles
from organisations.models import OrganisationUnit, Person
from organisations.selectors import people_in_scope, province_root, units_managed_by

from ..choices import RecordState
from ..models import Competency, CompetencyRecord, Standard
from . import _effective_state, _met

# --- Who may see what ---------------------------------------------------------------------------------


def can_view_matrix(user) -> bool:
    return bool(user_roles(user) & {Role.UNIT_OFFICER, Role.SITE_ADMIN}) and units_managed_by(user).exists()


def can_view_coverage(user) -> bool:
    return bool(user_roles(user) & {Role.HOME_AFFAIRS, Role.SITE_ADMIN})


def matrix_units(user) -> QuerySet[OrganisationUnit]:
    """Units an officer may filter the matrix by: their subtree."""
    return units_managed_by(user).order_by("path")


def matrix_people(
    user, *, unit: OrganisationUnit | None = None, audience: str = "", query: str = ""
) -> QuerySet[Person]:
    """People of the officer's scope (organisations.selectors), optionally of a unit's subtree and an audience."""
    managed = units_managed_by(user)
    people = people_in_scope(user).filter(unit__in=managed)
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
    if audience:
        people = people.filter(audience=audience)
    if query:
        people = people.filter(Q(full_name__icontains=query) | Q(employee_code__iexact=query))
    return people.order_by("unit__path", "full_name", "pk")


def matrix_competencies(group: str = "") -> list[Competency]:
    competencies = Competency.objects.filter(is_active=True)
    if group:
        competencies = competencies.filter(group=group)
    return list(competencies.order_by("position", "code"))


@dataclass(frozen=True)
class MatrixRow:
    person: Person
    cells: list[tuple[str, CompetencyRecord | None]]  # (effective state or "", record) per competency
    standards: list[Standard]


def matrix_rows(people, competencies: list[Competency], *, today: datetime.date | None = None) -> list[MatrixRow]:
    """The rows of a page (or of an export batch) of people: one query for all their current records."""
    today = today or timezone.localdate()
    people = list(people)
    records = CompetencyRecord.objects.filter(person__in=[p.pk for p in people]).exclude(
        state=RecordState.SUPERSEDED
    )
    current: dict[tuple[int, int], CompetencyRecord] = {(r.person_id, r.competency_id): r for r in records}
    active: dict[int, set[int]] = {}
    for record in current.values():
        if _effective_state(record, today) == RecordState.ACTIVE:
            active.setdefault(record.person_id, set()).add(record.competency_id)
    standards = list(Standard.objects.filter(is_active=True).prefetch_related("required", "optional"))
    by_id = {standard.pk: standard for standard in standards}
    rows = []
    for person in people:
        cells = []
        for competency in competencies:
            record = current.get((person.pk, competency.pk))
            cells.append((_effective_state(record, today) if record else "", record))
        held = active.get(person.pk, set())
        rows.append(MatrixRow(person, cells, [s for s in standards if _met(s, held, by_id)]))
    return rows


# --- Coverage by unit (Home Affairs) -------------------------------------------------------------------


def _active_records(today: datetime.date):
    return CompetencyRecord.objects.filter(person=OuterRef("pk"), state=RecordState.ACTIVE).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def _count_of(today: datetime.date, competency_ids: list[int]):
    counted = (
        _active_records(today)
        .filter(competency_id__in=competency_ids)
        .order_by()
        .values("person")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _standard_condition(standard: Standard, by_id: dict[int, Standard], annotations: dict, today) -> Q:
    """A filter meaning "the person meets the standard", on per-person count annotations added to `annotations`."""
    condition = Q()
    seen = set()
    while standard is not None and standard.pk not in seen:
        seen.add(standard.pk)
        required = [c.pk for c in standard.required.all()]
        optional = [c.pk for c in standard.optional.all()]
        if required:
            annotations[f"req_{standard.pk}"] = _count_of(today, required)
            condition &= Q(**{f"req_{standard.pk}__gte": len(required)})
        if standard.optional_minimum:
            annotations[f"opt_{standard.pk}"] = _count_of(today, optional)
            condition &= Q(**{f"opt_{standard.pk}__gte": standard.optional_minimum})
        standard = by_id.get(standard.builds_on_id) if standard.builds_on_id else None
        if standard is None and condition == Q():
            condition = Q(pk__in=[])
    return condition


@dataclass(frozen=True)
class CoverageRow:
    unit: OrganisationUnit | None  # None: the total
    people: int
    standards: list[int]  # people meeting each standard, in the order of `standards`
    competencies: list[int]  # people holding each competency, in the order of `competencies`


@dataclass(frozen=True)
class Coverage:
    parent: OrganisationUnit
    standards: list[Standard]
    competencies: list[Competency]
    rows: list[CoverageRow]
    total: CoverageRow


def coverage_by_unit(
    *, parent: OrganisationUnit | None = None, group: str = "", today: datetime.date | None = None
) -> Coverage | None:
    """For each child unit of `parent` (the province by default), counting its whole subtree: how many
    people, how many meet each standard, how many hold each competency now. One aggregate query."""
    today = today or timezone.localdate()
    parent = parent or province_root()
    if parent is None:
        return None
    standards = list(Standard.objects.filter(is_active=True).prefetch_related("required", "optional"))
    by_id = {standard.pk: standard for standard in standards}
    competencies = matrix_competencies(group)
    annotations: dict = {}
    conditions = [_standard_condition(standard, by_id, annotations, today) for standard in standards]
    branch_length = len(parent.path) + OrganisationUnit.steplen
    people = (
        Person.objects.filter(unit__path__startswith=parent.path)
        .annotate(branch=Substr("unit__path", 1, branch_length), **annotations)
    )
    aggregates = {"people": Count("pk")}
    for index, condition in enumerate(conditions):
        aggregates[f"s{index}"] = Count("pk", filter=condition)
    for competency in competencies:
        aggregates[f"c{competency.pk}"] = Count(
            "pk", filter=Q(Exists(_active_records(today).filter(competency_id=competency.pk)))
        )
    grouped = {row["branch"]: row for row in people.values("branch").annotate(**aggregates).order_by("branch")}
    units = {unit.path: unit for unit in OrganisationUnit.objects.filter(path__in=list(grouped))}

    def make(unit, row) -> CoverageRow:
        return CoverageRow(
            unit,
            row.get("people", 0),
            [row.get(f"s{index}", 0) for index in range(len(standards))],
            [row.get(f"c{competency.pk}", 0) for competency in competencies],
        )

    rows = [make(units.get(path), row) for path, row in grouped.items() if path in units]
    rows.sort(key=lambda row: row.unit.name)
    # Each person is in exactly one branch: the total is the sum of the grouped rows (a handful of units).
    totals = {name: sum(row[name] for row in grouped.values()) for name in aggregates}
    return Coverage(parent, standards, competencies, rows, make(None, totals))
