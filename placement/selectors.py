"""Reads of the IT skill survey: the open survey, a person's response and diagnostic result, course
recommendations, and the level distribution per module that the results page (and reports) show.

Scoping of people is organisations'; `results_scope` mirrors the statistics scope (Home Affairs and
site administrators: the province; a unit officer: their unit's subtree; the Farmers' Union
coordinator: farmers and residents). Anything else answers 404.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.roles import Role, user_roles
from assessments.models import Attempt, AttemptSlot
from assessments.quizzes.choices import FINISHED_STATES, AttemptState
from courses.choices import EnrolmentStatus
from courses.models import Course, Enrolment
from courses.selectors import courses_visible_to, self_enrolment_refusal
from organisations.models import SELF_REGISTERED_AUDIENCES, OrganisationUnit, Person
from organisations.selectors import officer_unit, people_in_scope, province_root

from .models import ModuleLevel, ResponseStatus, Survey, SurveyResponse
from .modules import MODULE_CODES, MODULE_NAMES, Level

# --- The learner's side ----------------------------------------------------------------------------


def current_survey(now: datetime.datetime | None = None) -> Survey | None:
    """The open survey people are asked to take now (the most recently opened if several are)."""
    now = now or timezone.now()
    return (
        Survey.objects.filter(is_active=True)
        .filter(Q(opens_at__isnull=True) | Q(opens_at__lte=now), Q(closes_at__isnull=True) | Q(closes_at__gt=now))
        .select_related("diagnostic_quiz")
        .order_by(F("opens_at").desc(nulls_last=True), "-id")
        .first()
    )


def survey_for_person(survey_id) -> Survey | None:
    """An active survey by id (None, so 404, for an unknown or withdrawn one)."""
    if not str(survey_id).isdecimal():
        return None
    return Survey.objects.select_related("diagnostic_quiz").filter(pk=survey_id, is_active=True).first()


def response_of(person: Person | None, survey: Survey) -> SurveyResponse | None:
    if person is None:
        return None
    return SurveyResponse.objects.filter(person=person, survey=survey).first()


def ratings_of(response: SurveyResponse | None) -> dict[int, int]:
    """The person's saved ratings by item id."""
    if response is None:
        return {}
    return dict(response.answers.values_list("item_id", "rating"))


def latest_diagnostic_attempt(person: Person, survey: Survey) -> Attempt | None:
    """The person's latest finished attempt of the survey's diagnostic quiz in this round (started
    after the survey opened, so a quiz reused by a new round does not carry the old result over)."""
    if survey.diagnostic_quiz_id is None:
        return None
    attempts = Attempt.objects.filter(person=person, quiz_id=survey.diagnostic_quiz_id, state__in=FINISHED_STATES)
    if survey.opens_at is not None:
        attempts = attempts.filter(started_at__gte=survey.opens_at)
    return attempts.order_by("-submitted_at", "-number").first()


def diagnostic_fractions(attempt: Attempt | None) -> dict[str, float]:
    """Per module code, marks earned over marks available on the attempt's questions tagged with it.

    One aggregate query over the attempt's slots joined to the questions' competency tags; a question
    tagged with two modules counts for both; an ungraded slot (an essay) counts as 0 earned.
    """
    if attempt is None:
        return {}
    rows = (
        AttemptSlot.objects.filter(attempt=attempt, version__question__competencies__code__in=MODULE_CODES)
        .values(code=F("version__question__competencies__code"))
        .annotate(
            earned=Sum(Coalesce("mark", Value(0), output_field=DecimalField(max_digits=8, decimal_places=2))),
            available=Sum("max_mark"),
        )
        .order_by("code")
    )
    return {
        row["code"]: min(1.0, float(row["earned"]) / float(row["available"]))
        for row in rows
        if row["available"]
    }


def levels_of(response: SurveyResponse | None) -> list[ModuleLevel]:
    if response is None or not response.is_submitted:
        return []
    return list(response.levels.order_by("module_code"))


@dataclass(frozen=True)
class Recommendation:
    course: Course
    modules: list[str]
    enrolled: bool


def recommended_courses(person: Person, levels: Iterable[ModuleLevel]) -> list[Recommendation]:
    """Live courses developing a module the person placed below "proficient" in, that they may follow:
    already enrolled (still in progress), assigned, or open to them for self-enrolment. Courses that
    cover more of the weak modules come first."""
    weak = {level.module_code for level in levels if level.level < Level.PROFICIENT}
    if not weak:
        return []
    enrolments = dict(Enrolment.objects.filter(person=person).values_list("course_id", "status"))
    assigned = set(person.assignments.values_list("course_id", flat=True))
    found = []
    for course in courses_visible_to(person).select_related("page"):
        covered = sorted(weak & set(course.competency_codes or []))
        if not covered:
            continue
        status = enrolments.get(course.pk)
        if status == EnrolmentStatus.COMPLETED:
            continue
        if status == EnrolmentStatus.ACTIVE:
            found.append(Recommendation(course, covered, True))
        elif course.pk in assigned or self_enrolment_refusal(person=person, course=course) is None:
            found.append(Recommendation(course, covered, False))
    return sorted(found, key=lambda rec: (-len(rec.modules), rec.course.title))


# --- Aggregation ------------------------------------------------------------------------------------


def _moment(value, *, end: bool) -> datetime.datetime | None:
    """A date means the whole local day (an end date is included); a datetime is taken as it is."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    day = value + datetime.timedelta(days=1) if end else value
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _scope_filter(scope) -> Q:
    if isinstance(scope, QuerySet):
        if scope.model is not Person:
            raise TypeError("level_distribution takes a Person queryset, a unit or unit paths.")
        return Q(person__in=scope.values("pk"))
    if isinstance(scope, OrganisationUnit):
        return Q(unit__path__startswith=scope.path)
    paths = [scope] if isinstance(scope, str) else list(scope)
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(unit__path__startswith=path)
    return condition


def _period_filter(start, end, survey: Survey | None) -> Q:
    period = Q(status=ResponseStatus.SUBMITTED)
    start, end = _moment(start, end=False), _moment(end, end=True)
    if start is not None:
        period &= Q(submitted_at__gte=start)
    if end is not None:
        period &= Q(submitted_at__lt=end)
    if survey is not None:
        period &= Q(survey=survey)
    return period


def counted_responses(scope, start=None, end=None, *, survey: Survey | None = None,
                      audiences: Iterable[str] | None = None) -> QuerySet[SurveyResponse]:
    """Each person's latest submitted response in the period (and survey, if given), within the scope.

    "Latest" is chosen before scoping, so a person who answered again after moving counts once, in
    the unit of their latest answer. Scoping by unit uses the unit recorded at submission.
    """
    period = _period_filter(start, end, survey)
    newer = SurveyResponse.objects.filter(period, person=OuterRef("person")).filter(
        Q(submitted_at__gt=OuterRef("submitted_at")) | Q(submitted_at=OuterRef("submitted_at"), pk__gt=OuterRef("pk"))
    )
    responses = SurveyResponse.objects.filter(period).exclude(Exists(newer)).filter(_scope_filter(scope))
    if audiences is not None:
        responses = responses.filter(audience__in=list(audiences))
    return responses


@dataclass
class ModuleDistribution:
    code: str
    name: str
    counts: list[int]  # people per level, indexed by Level value
    total: int

    @property
    def percents(self) -> list[float]:
        return [round(100 * count / self.total, 1) if self.total else 0.0 for count in self.counts]

    @property
    def rows(self) -> list[tuple[Level, int, float]]:
        return list(zip(Level, self.counts, self.percents))


@dataclass
class LevelDistribution:
    modules: list[ModuleDistribution] = field(default_factory=list)
    people: int = 0

    def counts_by_code(self) -> dict[str, dict[int, int]]:
        return {module.code: dict(enumerate(module.counts)) for module in self.modules}


def level_distribution(scope, start=None, end=None, *, survey: Survey | None = None,
                       audiences: Iterable[str] | None = None) -> LevelDistribution:
    """How many people were placed at each level of each basic module: two queries, whatever the data.

    - `scope`: an `OrganisationUnit` (its subtree), a unit path or an iterable of unit paths (their
      subtrees), matched against the unit recorded when the response was submitted; or a `Person`
      queryset already scoped by the caller (e.g. `organisations.selectors.people_in_scope(user)`),
      matched on the person.
    - `start`, `end`: dates (whole local days, both included) or aware datetimes (end excluded);
      None leaves that side open. Only submitted responses count, each person's latest in the period.
    - `survey`: limit to one round; `audiences`: limit to responses given in these audiences.

    Returns a `LevelDistribution`: `people` counted, and per module (IU01…IU06, in order) the
    number of people at each level (`counts[level]`) and their total. `counts_by_code()` gives
    {"IU01": {0: n0, 1: n1, 2: n2, 3: n3}, ...}.
    """
    responses = counted_responses(scope, start, end, survey=survey, audiences=audiences)
    grouped = (
        ModuleLevel.objects.filter(response__in=responses.values("pk"))
        .values("module_code", "level")
        .annotate(people=Count("response_id"))
        .order_by()
    )
    counts = {code: [0] * len(Level) for code in MODULE_CODES}
    for row in grouped:
        if row["module_code"] in counts:
            counts[row["module_code"]][row["level"]] = row["people"]
    modules = [
        ModuleDistribution(code, str(MODULE_NAMES[code]), counts[code], sum(counts[code])) for code in MODULE_CODES
    ]
    return LevelDistribution(modules=modules, people=responses.count())


# --- Results page scope ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultsScope:
    root: OrganisationUnit
    audiences: tuple[str, ...] | None  # None: every audience


def results_scope(user) -> ResultsScope | None:
    """The subtree (and audiences) whose survey results the user may read, or None."""
    roles = user_roles(user)
    if roles & {Role.HOME_AFFAIRS, Role.SITE_ADMIN}:
        root = province_root()
        return ResultsScope(root, None) if root else None
    unit = officer_unit(user)
    if unit is not None:
        return ResultsScope(unit, None)
    if Role.FARMER_COORDINATOR in roles:
        root = province_root()
        return ResultsScope(root, tuple(SELF_REGISTERED_AUDIENCES)) if root else None
    return None


def results_unit(user, unit_id=None) -> tuple[ResultsScope, OrganisationUnit]:
    """The unit to show (the top of the user's scope by default); 404 outside the scope."""
    scope = results_scope(user)
    if scope is None:
        raise Http404
    if unit_id in (None, ""):
        return scope, scope.root
    try:
        return scope, OrganisationUnit.objects.get(pk=int(unit_id), path__startswith=scope.root.path)
    except (OrganisationUnit.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unit_breadcrumbs(scope: ResultsScope, unit: OrganisationUnit) -> list[OrganisationUnit]:
    steplen = OrganisationUnit.steplen
    paths = [unit.path[:length] for length in range(len(scope.root.path), len(unit.path), steplen)]
    return list(OrganisationUnit.objects.filter(path__in=paths).order_by("path"))


@dataclass(frozen=True)
class Coverage:
    surveyed: int
    in_scope: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.surveyed / self.in_scope, 1) if self.in_scope else None


def survey_coverage(user, unit: OrganisationUnit, start=None, end=None, *, survey: Survey | None = None,
                    audiences: Iterable[str] | None = None) -> Coverage:
    """People the user may see who belong to the unit's subtree now, and how many of them submitted a
    response in the period (wherever they were then). One query."""
    people = people_in_scope(user).filter(Q(unit__path__startswith=unit.path) | Q(commune__path__startswith=unit.path))
    if audiences is not None:
        people = people.filter(audience__in=list(audiences))
    answered = SurveyResponse.objects.filter(_period_filter(start, end, survey), person=OuterRef("pk"))
    totals = people.order_by().annotate(answered=Exists(answered)).aggregate(
        in_scope=Count("pk"), surveyed=Count("pk", filter=Q(answered=True))
    )
    return Coverage(surveyed=totals["surveyed"], in_scope=totals["in_scope"])


# --- A person's progress through a survey --------------------------------------------------------------


@dataclass
class SurveyProgress:
    survey: Survey
    response: SurveyResponse | None
    items: int
    answered: int
    attempt: Attempt | None  # latest finished diagnostic attempt of this round
    open_attempt: Attempt | None

    @property
    def self_assessment_done(self) -> bool:
        return self.response is not None and self.answered >= self.items

    @property
    def needs_diagnostic(self) -> bool:
        return self.survey.diagnostic_quiz_id is not None

    @property
    def diagnostic_done(self) -> bool:
        return not self.needs_diagnostic or self.attempt is not None

    @property
    def can_submit(self) -> bool:
        return self.self_assessment_done and self.diagnostic_done

    @property
    def submitted(self) -> bool:
        return self.response is not None and self.response.is_submitted

    @property
    def results_outdated(self) -> bool:
        """Submitted, but a later diagnostic attempt is not in the levels yet."""
        return self.submitted and self.attempt is not None and self.response.diagnostic_attempt_id != self.attempt.pk


def survey_progress(person: Person, survey: Survey) -> SurveyProgress:
    response = response_of(person, survey)
    open_one = None
    if survey.diagnostic_quiz_id is not None:
        open_one = Attempt.objects.filter(
            person=person, quiz_id=survey.diagnostic_quiz_id, state=AttemptState.IN_PROGRESS
        ).first()
    return SurveyProgress(
        survey=survey,
        response=response,
        items=survey.items.count(),
        answered=response.answers.count() if response is not None else 0,
        attempt=latest_diagnostic_attempt(person, survey),
        open_attempt=open_one,
    )


def submitted_responses_of(person: Person) -> QuerySet[SurveyResponse]:
    """The person's submitted responses, newest first (their history of rounds)."""
    return SurveyResponse.objects.filter(person=person, status=ResponseStatus.SUBMITTED).select_related(
        "survey"
    ).order_by("-submitted_at")
