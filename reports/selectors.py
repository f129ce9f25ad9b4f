"""Reads of the statistics, and who may read them for which units.

Learning figures (assigned … participant-times) are sums over the rollups (`MonthlyFigures` for whole
months filtered at most by audience and track, `DailyFigures` otherwise), grouped by the children of the
chosen unit in one query; classes come from the (small) class table; competency
coverage is aggregate SQL over the registry, starting from `people_in_scope(user)`; its people count, for a
reader of the whole province, is the sum of the head counts (`HeadCount`). The number of queries does not depend
on the amount of data.

Who reads what mirrors `organisations.selectors.people_in_scope` (the tests hold the two together):
Home Affairs and site administrators read the whole province, a unit officer their unit's subtree,
the Farmers' Union coordinator farmers and residents. Anything else answers 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, Substr
from django.http import Http404
from django.utils import timezone

from accounts.roles import Role, user_roles
from certification.choices import RecordState
from certification.models import Competency, CompetencyRecord, Standard
from courses.models import ClassSession, Cohort
from organisations.models import SELF_REGISTERED_AUDIENCES, OrganisationUnit, Person
from organisations.selectors import (
    can_view_people,
    officer_unit,
    people_in_scope,
    province_root,
    sees_whole_province,
)
from placement.selectors import LevelDistribution, level_distribution

from .choices import AGE_BANDS, AgeBand
from .models import DailyFigures, HeadCount, MonthlyFigures
from .periods import Period

COUNTERS = ("assigned", "enrolled", "enrolled_completed", "started", "completed", "hours", "certificates",
            "participant_times", "quiz_attempts", "quiz_passed", "quiz_score_sum")
# Every figure a report or the API shows: the stored counters, classes held and the derived rates.
FIGURES = (*COUNTERS, "classes_held", "completion_rate", "pass_rate", "average_score")


# --- Scope --------------------------------------------------------------------------------------------


class _SystemReader:
    """Who reads the statistics for a report issued on schedule (no requesting user): the whole
    province, no people. Only server code holds it; no request can present it."""

    is_authenticated = True
    is_active = True
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM_READER"


SYSTEM_READER = _SystemReader()


@dataclass(frozen=True)
class StatisticsScope:
    root: OrganisationUnit
    audiences: tuple[str, ...] | None  # None: every audience
    may_see_people: bool


def statistics_scope(user) -> StatisticsScope | None:
    """The subtree (and audiences) whose statistics the user may read, or None."""
    if user is SYSTEM_READER:
        root = province_root()
        return StatisticsScope(root, None, False) if root else None
    roles = user_roles(user)
    may_see_people = can_view_people(user)
    if roles & {Role.HOME_AFFAIRS, Role.SITE_ADMIN}:
        root = province_root()
        return StatisticsScope(root, None, may_see_people) if root else None
    unit = officer_unit(user)
    if unit is not None:
        return StatisticsScope(unit, None, may_see_people)
    if Role.FARMER_COORDINATOR in roles:
        root = province_root()
        return StatisticsScope(root, tuple(SELF_REGISTERED_AUDIENCES), may_see_people) if root else None
    return None


def can_read_statistics(user) -> bool:
    return statistics_scope(user) is not None


def statistics_unit(user, unit_id: int | str | None = None) -> tuple[StatisticsScope, OrganisationUnit]:
    """The unit to report on (the top of the user's scope by default); 404 outside the scope."""
    scope = statistics_scope(user)
    if scope is None:
        raise Http404
    if unit_id in (None, ""):
        return scope, scope.root
    try:
        unit = OrganisationUnit.objects.get(pk=int(unit_id), path__startswith=scope.root.path)
    except (OrganisationUnit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    return scope, unit


def unit_ancestors(scope: StatisticsScope, unit: OrganisationUnit) -> list[OrganisationUnit]:
    """Breadcrumbs from the top of the scope down to the unit's parent (one query)."""
    steplen = OrganisationUnit.steplen
    paths = [unit.path[:length] for length in range(len(scope.root.path), len(unit.path), steplen)]
    return list(OrganisationUnit.objects.filter(path__in=paths).order_by("path"))


# --- Filters ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatisticsFilter:
    period: Period
    audience: str = ""
    staff_category: str = ""
    is_leader: bool | None = None
    gender: str = ""
    age_band: str = ""
    track: str = ""
    course_id: int | None = None
    form: str = ""

    def rollup_q(self) -> Q:
        condition = Q(day__gte=self.period.start, day__lte=self.period.end)
        for name in ("audience", "staff_category", "gender", "age_band", "track", "form"):
            if getattr(self, name):
                condition &= Q(**{name: getattr(self, name)})
        if self.is_leader is not None:
            condition &= Q(is_leader=self.is_leader)
        if self.course_id:
            condition &= Q(course_id=self.course_id)
        return condition

    def headcount_q(self) -> Q:
        """The person filters but the age band: those the head counts (`HeadCount`) and people share."""
        condition = Q()
        for name in ("audience", "staff_category", "gender"):
            if getattr(self, name):
                condition &= Q(**{name: getattr(self, name)})
        if self.is_leader is not None:
            condition &= Q(is_leader=self.is_leader)
        return condition

    def monthly_q(self) -> Q | None:
        """The same rows' filter on the monthly sums, when they can answer: a period of whole months filtered at
        most by audience and track (every quarter, half-year and year unfiltered: the default views)."""
        whole_months = self.period.start.day == 1 and (self.period.end + datetime.timedelta(days=1)).day == 1
        finer = (self.staff_category, self.gender, self.age_band, self.form, self.course_id, self.is_leader is not None)
        if not whole_months or any(finer):
            return None
        condition = Q(month__gte=self.period.start, month__lte=self.period.end)
        for name in ("audience", "track"):
            if getattr(self, name):
                condition &= Q(**{name: getattr(self, name)})
        return condition

    def person_q(self, today: datetime.date) -> Q:
        """The person filters, for figures about people now (competency coverage)."""
        condition = self.headcount_q()
        if self.age_band == AgeBand.UNKNOWN:
            condition &= Q(birth_year__isnull=True)
        elif self.age_band:
            low, high = next((low, high) for band, low, high in AGE_BANDS if band == self.age_band)
            condition &= Q(birth_year__gte=today.year - high, birth_year__lte=today.year - low)
        return condition


# --- Figures ------------------------------------------------------------------------------------------


@dataclass
class Figures:
    assigned: int = 0
    enrolled: int = 0
    enrolled_completed: int = 0
    started: int = 0
    completed: int = 0
    hours: Decimal = Decimal(0)
    certificates: int = 0
    participant_times: int = 0
    quiz_attempts: int = 0
    quiz_passed: int = 0
    quiz_score_sum: Decimal = Decimal(0)
    classes_held: int = 0

    @property
    def completion_rate(self) -> float | None:
        """Share of the enrolments made in the period that are completed, in percent."""
        return round(100 * self.enrolled_completed / self.enrolled, 1) if self.enrolled else None

    @property
    def pass_rate(self) -> float | None:
        """Share of the quiz attempts submitted in the period that reached the quiz's pass mark, in percent."""
        return round(100 * self.quiz_passed / self.quiz_attempts, 1) if self.quiz_attempts else None

    @property
    def average_score(self) -> float | None:
        """Mean score, in percent, of the quiz attempts submitted in the period."""
        return round(float(self.quiz_score_sum) / self.quiz_attempts, 1) if self.quiz_attempts else None

    def add(self, other: Figures) -> None:
        for name in (*COUNTERS, "classes_held"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class UnitRow:
    unit: OrganisationUnit
    figures: Figures
    is_own: bool = False  # people attached directly to the chosen unit, not to a child
    merged: list[OrganisationUnit] = field(default_factory=list)  # closed units folded into this row
    has_children: bool = False


@dataclass
class Statistics:
    unit: OrganisationUnit
    filters: StatisticsFilter
    total: Figures
    rows: list[UnitRow]


def _rollups(scope: StatisticsScope, filters: StatisticsFilter):
    """The summary rows of the filters: the monthly sums when they can answer, the daily rows otherwise (both
    have the unit, track, audience and every counter)."""
    monthly = filters.monthly_q()
    rows = MonthlyFigures.objects.filter(monthly) if monthly is not None else DailyFigures.objects.filter(filters.rollup_q())
    if scope.audiences is not None:
        rows = rows.filter(audience__in=scope.audiences)
    return rows


def statistics_for(user, *, unit: OrganisationUnit, filters: StatisticsFilter) -> Statistics:
    """The figures of the unit's subtree and of each child (with its subtree), from the rollups.

    Children closed with a successor in the subtree are folded into the row of the child holding
    the successor, so a merged unit's history adds up under the unit that took it over."""
    scope, unit = statistics_unit(user, unit.pk)
    steplen = OrganisationUnit.steplen
    prefix_length = len(unit.path) + steplen
    children = list(
        OrganisationUnit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
        .select_related("successor")
        .annotate(has_children=Exists(OrganisationUnit.objects.filter(path__startswith=OuterRef("path"), depth=unit.depth + 2)))
        .order_by("path")
    )
    row_of_prefix: dict[str, str] = {}
    for child in children:
        target = child.path
        if child.valid_to is not None and child.successor and child.successor.path.startswith(unit.path):
            successor_prefix = child.successor.path[:prefix_length]
            if successor_prefix != child.path and len(child.successor.path) >= prefix_length:
                target = successor_prefix
        row_of_prefix[child.path] = target

    by_prefix: dict[str, Figures] = {}
    grouped = (
        _rollups(scope, filters)
        .filter(unit__path__startswith=unit.path)
        .annotate(prefix=Substr("unit__path", 1, prefix_length))
        .values("prefix")
        .annotate(**{name: Sum(name) for name in COUNTERS})
        .order_by()
    )
    for group in grouped:
        by_prefix[group["prefix"]] = Figures(**{name: group[name] or 0 for name in COUNTERS})
    classes = (
        Cohort.objects.filter(unit__path__startswith=unit.path)
        .filter(
            Exists(
                ClassSession.objects.filter(
                    cohort=OuterRef("pk"), starts_at__gte=_start(filters.period.start), starts_at__lt=_start(filters.period.end, 1)
                )
            )
        )
    )
    if filters.course_id:
        classes = classes.filter(course_id=filters.course_id)
    if filters.track:
        classes = classes.filter(course__track=filters.track)
    for group in classes.annotate(prefix=Substr("unit__path", 1, prefix_length)).values("prefix").annotate(n=Count("pk")).order_by():
        by_prefix.setdefault(group["prefix"], Figures()).classes_held += group["n"]

    total = Figures()
    for figures in by_prefix.values():
        total.add(figures)
    rows_by_path: dict[str, UnitRow] = {}
    for child in children:
        if row_of_prefix[child.path] == child.path:
            rows_by_path[child.path] = UnitRow(child, Figures(), has_children=child.has_children)
    for child in children:
        target = rows_by_path[row_of_prefix[child.path]]
        if target.unit.pk != child.pk:
            target.merged.append(child)
        target.figures.add(by_prefix.get(child.path, Figures()))
    rows = list(rows_by_path.values())
    if unit.path in by_prefix:
        rows.insert(0, UnitRow(unit, by_prefix[unit.path], is_own=True))
    return Statistics(unit=unit, filters=filters, total=total, rows=rows)


def _start(day: datetime.date, plus_days: int = 0) -> datetime.datetime:
    zone = timezone.get_current_timezone()
    return datetime.datetime.combine(day + datetime.timedelta(days=plus_days), datetime.time.min, tzinfo=zone)


# --- Competency coverage ------------------------------------------------------------------------------


@dataclass
class Coverage:
    people: int
    competencies: list[tuple[Competency, int]]
    standards: list[tuple[Standard, int]]

    def share(self, count: int) -> float | None:
        return round(100 * count / self.people, 1) if self.people else None


def people_for_statistics(user, *, unit: OrganisationUnit, filters: StatisticsFilter, today: datetime.date):
    """People of the unit's subtree the user may see, matching the person filters.

    A person belongs where their unit is, or their commune when they have no unit: one test of that home unit
    against the subtree's units (a hashed list of ids) rather than two joins to the units and their paths, which
    took three times as long over 200,000 people (issue 8, S2)."""
    scope, unit = statistics_unit(user, unit.pk)
    subtree = OrganisationUnit.objects.filter(path__startswith=unit.path).values("pk")
    people = (
        (Person.objects.all() if user is SYSTEM_READER else people_in_scope(user))
        .alias(home_unit=Coalesce("unit", "commune"))
        .filter(home_unit__in=subtree)
    )
    if scope.audiences is not None:
        people = people.filter(audience__in=scope.audiences)
    return people.filter(filters.person_q(today))


def skill_levels_for(user, *, unit: OrganisationUnit, filters: StatisticsFilter,
                     today: datetime.date | None = None) -> LevelDistribution:
    """The IT skill survey's level distribution per basic module (placement app): each person's latest
    response submitted in the period, for the people of the unit's subtree the user may see and who
    match the person filters, counted (like every figure here) in the unit they belong to now. Two
    queries whatever the data."""
    today = today or timezone.localdate()
    people = people_for_statistics(user, unit=unit, filters=filters, today=today)
    return level_distribution(people, filters.period.start, filters.period.end)


def active_records(today: datetime.date):
    return CompetencyRecord.objects.filter(state=RecordState.ACTIVE).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today)
    )


def _people_count(user, *, unit: OrganisationUnit, filters: StatisticsFilter, people) -> int:
    """How many people a coverage is of. For a reader who sees the whole province, without an age band filter, the
    head counts of the last refresh summed (`HeadCount`: a few thousand rows however many people, issue 8, S2), as
    old as the learning figures beside them. For anyone else, or when no head count matches (none counted yet),
    the people counted now."""
    if not filters.age_band and (user is SYSTEM_READER or sees_whole_province(user)):
        subtree = OrganisationUnit.objects.filter(path__startswith=unit.path).values("pk")
        counted = (
            HeadCount.objects.filter(unit__in=subtree).filter(filters.headcount_q()).aggregate(n=Sum("people"))["n"]
        )
        if counted is not None:
            return counted
    return people.order_by().count()


def coverage_for(user, *, unit: OrganisationUnit, filters: StatisticsFilter, today: datetime.date | None = None) -> Coverage:
    """Who holds each active competency now and who meets each active standard, in aggregate SQL."""
    today = today or timezone.localdate()
    people = people_for_statistics(user, unit=unit, filters=filters, today=today)
    people_ids = people.values("pk")
    count = _people_count(user, unit=unit, filters=filters, people=people)
    held = dict(
        active_records(today)
        .filter(person__in=people_ids)
        .values("competency_id")
        .annotate(n=Count("person_id", distinct=True))
        .values_list("competency_id", "n")
        .order_by()
    )
    competencies = list(Competency.objects.filter(is_active=True).order_by("position", "code"))
    standards = list(Standard.objects.filter(is_active=True).prefetch_related("required", "optional"))
    met = standards_met_counts(people_ids, standards, today) if standards else {}
    # Head counts date from the last refresh, holders are counted now: every holder is a person of the scope, so the
    # largest of those counts is a floor of the people count (someone added since, already holding a competency,
    # must not take a share past 100 %). A count of the people now is never below it.
    count = max([count, *held.values(), *met.values()])
    return Coverage(
        people=count,
        competencies=[(competency, held.get(competency.pk, 0)) for competency in competencies],
        standards=[(standard, met.get(standard.pk, 0)) for standard in standards],
    )


def standard_met_q(standard: Standard, by_id: dict[int, Standard], today: datetime.date, seen=frozenset()) -> Q | None:
    """A filter over Person: meets the standard (and those it builds on) now; None if it cannot be met."""
    condition = Q()
    if standard.builds_on_id is not None:
        base = by_id.get(standard.builds_on_id)
        if base is None or base.pk in seen:
            return None
        base_q = standard_met_q(base, by_id, today, seen | {standard.pk})
        if base_q is None:
            return None
        condition &= base_q
    active = active_records(today).filter(person=OuterRef("pk"))
    for competency in standard.required.all():
        condition &= Q(Exists(active.filter(competency=competency)))
    optional = [competency.pk for competency in standard.optional.all()]
    if standard.optional_minimum:
        if len(optional) < standard.optional_minimum:
            return None
        counted = (
            active.filter(competency_id__in=optional)
            .values("person")
            .annotate(n=Count("competency", distinct=True))
            .filter(n__gte=standard.optional_minimum)
            .values("person")
        )
        condition &= Q(Exists(counted))
    return condition


def standards_met_counts(people_ids, standards: list[Standard], today: datetime.date) -> dict[int, int]:
    """How many of the people meet each standard, in one aggregate query.

    A standard that asks for any competency is met only by people holding an active record, so the
    aggregate reads those people alone (a semi-join on the active records) rather than testing every
    person of the scope: most people of a large province hold none yet, and testing each one made
    this the slowest statement of the national summary (issue 8, S2: 1.9 s of 2.1 s at 200,000
    people). A standard asking for nothing is met by everyone, and is counted as such."""
    by_id = {standard.pk: standard for standard in standards}
    aggregates, everyone = {}, []
    for standard in standards:
        condition = standard_met_q(standard, by_id, today)
        if condition is None:
            continue
        if not condition:  # nothing required, nothing built on: every person meets it
            everyone.append(standard.pk)
        else:
            aggregates[f"s{standard.pk}"] = Count("pk", filter=condition)
    people = Person.objects.filter(pk__in=people_ids)
    met = {}
    if aggregates:
        holders = people.filter(pk__in=active_records(today).values("person_id"))
        met = {int(key[1:]): value for key, value in holders.aggregate(**aggregates).items()}
    if everyone:
        total = people.count()
        met.update(dict.fromkeys(everyone, total))
    return met
