"""The programme's indicators: how each target's current value is computed.

`ProgrammeTarget.indicator` names one of the functions registered in `INDICATORS`. Each takes the top
unit of the reader's scope (and the audiences they may read) and returns a `Measure`: a count of the
people or units that qualify, over how many there are (None for plain counts). Everything is aggregate
SQL, a fixed number of queries per indicator.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q

from certification.choices import CompetencyGroup
from certification.models import Competency, Standard
from courses.models import Enrolment
from organisations.models import (
    COMMUNE_LEVEL_KINDS,
    SELF_REGISTERED_AUDIENCES,
    Audience,
    ITQualification,
    OrganisationUnit,
    Person,
    StaffCategory,
    UnitKind,
)

from .models import Indicator
from .selectors import active_records, standards_met_counts

STATE_STAFF = (StaffCategory.CAN_BO, StaffCategory.CONG_CHUC, StaffCategory.VIEN_CHUC)
IT_DEGREES = (ITQualification.COLLEGE, ITQualification.BACHELOR, ITQualification.MASTER)
# The dedicated-IT-staff competencies of information security and of system administration.
SECURITY_AND_SYSADMIN = ("CT04", "CT03")
BASIC_STANDARD = "it_basic"


@dataclass(frozen=True)
class Measure:
    numerator: int
    denominator: int | None  # None: a plain count

    @property
    def value(self) -> Decimal | None:
        if self.denominator is None:
            return Decimal(self.numerator)
        if not self.denominator:
            return None
        return (Decimal(100) * self.numerator / self.denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class IndicatorScope:
    root: OrganisationUnit
    audiences: tuple[str, ...] | None
    today: datetime.date

    def people(self):
        people = Person.objects.filter(
            Q(unit__path__startswith=self.root.path) | Q(unit__isnull=True, commune__path__startswith=self.root.path)
        )
        return people if self.audiences is None else people.filter(audience__in=self.audiences)

    def open_units(self, kinds):
        return OrganisationUnit.objects.filter(path__startswith=self.root.path, kind__in=kinds).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.today)
        )


def _share(queryset, condition: Q) -> Measure:
    counts = queryset.aggregate(total=Count("pk"), met=Count("pk", filter=condition))
    return Measure(counts["met"], counts["total"])


def basic_it_standard(scope: IndicatorScope) -> Measure:
    staff = scope.people().filter(staff_category__in=STATE_STAFF).exclude(audience__in=SELF_REGISTERED_AUDIENCES)
    standards = list(Standard.objects.filter(is_active=True).prefetch_related("required", "optional"))
    basic = next((standard for standard in standards if standard.code == BASIC_STANDARD), None)
    total = staff.count()
    if basic is None:
        return Measure(0, total)
    met = standards_met_counts(staff.values("pk"), standards, scope.today).get(basic.pk, 0)
    return Measure(met, total)


def _cio_units(scope: IndicatorScope, kinds) -> Measure:
    cio_competencies = list(
        Competency.objects.filter(group=CompetencyGroup.CIO, is_active=True).values_list("pk", flat=True)
    )
    units = scope.open_units(kinds)
    if not cio_competencies:
        return Measure(0, units.count())
    holders = (
        Person.objects.filter(is_cio=True, unit__path__startswith=OuterRef("path"))
        .annotate(
            held=Count(
                "competency_records__competency",
                distinct=True,
                filter=Q(competency_records__in=active_records(scope.today), competency_records__competency__in=cio_competencies),
            )
        )
        .filter(held=len(cio_competencies))
    )
    return _share(units, Q(Exists(holders)))


def departments_cio(scope: IndicatorScope) -> Measure:
    return _cio_units(scope, [UnitKind.DEPARTMENT])


def communes_cio(scope: IndicatorScope) -> Measure:
    return _cio_units(scope, COMMUNE_LEVEL_KINDS)


def units_with_it_staff(scope: IndicatorScope) -> Measure:
    it_staff = Person.objects.filter(audience=Audience.IT_STAFF, unit__path__startswith=OuterRef("path"))
    return _share(scope.open_units([UnitKind.DEPARTMENT, *COMMUNE_LEVEL_KINDS]), Q(Exists(it_staff)))


def it_staff_degree(scope: IndicatorScope) -> Measure:
    return _share(scope.people().filter(audience=Audience.IT_STAFF), Q(it_qualification__in=IT_DEGREES))


def it_staff_security_sysadmin(scope: IndicatorScope) -> Measure:
    condition = Q()
    for code in SECURITY_AND_SYSADMIN:
        condition &= Q(Exists(active_records(scope.today).filter(person=OuterRef("pk"), competency__code=code)))
    return _share(scope.people().filter(audience=Audience.IT_STAFF), condition)


def farmers_reached(scope: IndicatorScope) -> Measure:
    reached = scope.people().filter(audience__in=SELF_REGISTERED_AUDIENCES).filter(
        Exists(Enrolment.objects.filter(person=OuterRef("pk")))
    )
    return Measure(reached.count(), None)


INDICATORS = {
    Indicator.BASIC_IT_STANDARD: basic_it_standard,
    Indicator.DEPARTMENTS_CIO: departments_cio,
    Indicator.COMMUNES_CIO: communes_cio,
    Indicator.UNITS_WITH_IT_STAFF: units_with_it_staff,
    Indicator.IT_STAFF_DEGREE: it_staff_degree,
    Indicator.IT_STAFF_SECURITY_SYSADMIN: it_staff_security_sysadmin,
    Indicator.FARMERS_REACHED: farmers_reached,
}


def measure(indicator: str, scope: IndicatorScope) -> Measure:
    return INDICATORS[indicator](scope)
