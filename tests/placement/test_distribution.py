"""The level distribution per module: checked against a straightforward Python count over generated
responses (latest submitted per person in the period, by the unit recorded at submission), for a
person who moved, for a Person-queryset scope, and in a fixed number of queries."""

import datetime
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from organisations.models import Audience
from organisations.selectors import people_in_scope
from placement.models import ModuleLevel, ResponseStatus, SurveyResponse
from placement.modules import MODULE_CODES, Level
from placement.selectors import level_distribution, survey_coverage
from placement.services import response_submit, self_assessment_save

from .conftest import make_survey, ratings_for, take_quiz

pytestmark = pytest.mark.django_db

ZONE = datetime.timezone(datetime.timedelta(hours=7))


def at(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 10, tzinfo=ZONE)


def record(person, survey, *, when, unit, levels: dict[str, int], status=ResponseStatus.SUBMITTED, audience=None):
    """A response as the service leaves it, written directly so hundreds can be generated quickly."""
    response = SurveyResponse.objects.create(
        survey=survey, person=person, status=status, submitted_at=when if status == ResponseStatus.SUBMITTED else None,
        unit=unit, audience=audience or person.audience,
    )
    ModuleLevel.objects.bulk_create([
        ModuleLevel(response=response, module_code=code, self_score=1, combined=0.5, level=level)
        for code, level in levels.items()
    ])
    return response


@pytest.fixture
def generated(make_person, province, unit_a, unit_a_child, unit_b):
    """Forty people in four units, two survey rounds, drafts and answers outside the period."""
    rng = random.Random(20261123)
    rounds = [make_survey(title="Đợt 1"), make_survey(title="Đợt 2")]
    units = [province, unit_a, unit_a_child, unit_b]
    records = []  # (person id, when, unit path, status, levels) — the independent record of what was written
    for index in range(40):
        home = rng.choice(units)
        person = make_person(unit=home)
        for survey in rounds[: rng.randint(0, 2)]:
            when = at(rng.randint(1, 12), rng.randint(1, 28))
            unit = rng.choice(units)  # where they were then (some have moved since)
            status = ResponseStatus.SUBMITTED if rng.random() < 0.85 else ResponseStatus.DRAFT
            levels = {code: rng.choice(Level.values) for code in MODULE_CODES if rng.random() < 0.95}
            record(person, survey, when=when, unit=unit, levels=levels, status=status)
            records.append((person.pk, when, unit.path, status, levels))
    return records


def expected(records, prefix: str, start=None, end=None) -> tuple[dict, int]:
    latest = {}
    for person_id, when, path, status, levels in records:
        if status != ResponseStatus.SUBMITTED or (start and when < start) or (end and when >= end):
            continue
        if person_id not in latest or when >= latest[person_id][0]:
            latest[person_id] = (when, path, levels)
    counts = {code: {level: 0 for level in Level.values} for code in MODULE_CODES}
    people = 0
    for _when, path, levels in latest.values():
        if path.startswith(prefix):
            people += 1
            for code, level in levels.items():
                counts[code][level] += 1
    return counts, people


@pytest.mark.parametrize("unit_name", ["province", "unit_a", "unit_a_child", "unit_b"])
def test_distribution_matches_an_independent_count(generated, request, unit_name):
    unit = request.getfixturevalue(unit_name)
    counts, people = expected(generated, unit.path)
    result = level_distribution(unit)
    assert result.counts_by_code() == counts
    assert result.people == people
    assert people > 0
    assert [module.code for module in result.modules] == list(MODULE_CODES)


def test_distribution_over_a_period_and_paths(generated, unit_a, unit_b):
    start, end = datetime.date(2026, 4, 1), datetime.date(2026, 9, 30)  # dates: whole days, both included
    start_moment, end_moment = at(4, 1).replace(hour=0), at(10, 1).replace(hour=0)
    counts_a, people_a = expected(generated, unit_a.path, start_moment, end_moment)
    counts_b, people_b = expected(generated, unit_b.path, start_moment, end_moment)
    result = level_distribution([unit_a.path, unit_b.path], start, end)
    assert result.people == people_a + people_b
    assert result.counts_by_code() == {
        code: {level: counts_a[code][level] + counts_b[code][level] for level in Level.values}
        for code in MODULE_CODES
    }


def test_distribution_agrees_with_raw_sql(generated, province):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT l.module_code, l.level, COUNT(*) FROM placement_modulelevel l
            JOIN placement_surveyresponse r ON r.id = l.response_id
            WHERE r.status = 'submitted' AND NOT EXISTS (
                SELECT 1 FROM placement_surveyresponse n WHERE n.person_id = r.person_id AND n.status = 'submitted'
                AND (n.submitted_at > r.submitted_at OR (n.submitted_at = r.submitted_at AND n.id > r.id)))
            GROUP BY l.module_code, l.level
            """
        )
        raw = {(code, level): count for code, level, count in cursor.fetchall()}
    result = level_distribution(province).counts_by_code()
    assert {(code, level): count for code, levels in result.items() for level, count in levels.items() if count} == raw


def test_a_person_who_moved_counts_in_the_unit_recorded_at_submission(survey, make_person, unit_a, unit_b):
    person = make_person(unit=unit_a, full_name="Đỗ Văn Chuyển")
    self_assessment_save(person=person, survey=survey, ratings=ratings_for(survey, 3))
    take_quiz(person, survey.diagnostic_quiz, right=set(range(6)))
    response_submit(person=person, survey=survey)
    person.unit = unit_b
    person.save()

    in_a, in_b = level_distribution(unit_a), level_distribution(unit_b)
    assert in_a.people == 1 and in_a.counts_by_code()["IU03"][Level.ADVANCED] == 1
    assert in_b.people == 0 and sum(in_b.counts_by_code()["IU03"].values()) == 0
    # Coverage is about who belongs to the unit now.
    assert SurveyResponse.objects.get(person=person).unit == unit_a


def test_a_person_queryset_scope_counts_those_people_wherever_they_answered(generated, home_affairs, unit_b):
    people = people_in_scope(home_affairs).filter(unit__path__startswith=unit_b.path)
    ids = set(people.values_list("pk", flat=True))
    latest = {}
    for person_id, when, _path, status, levels in generated:
        newest = person_id not in latest or when >= latest[person_id][0]
        if status == ResponseStatus.SUBMITTED and person_id in ids and newest:
            latest[person_id] = (when, levels)
    result = level_distribution(people)
    assert result.people == len(latest)
    for code in MODULE_CODES:
        assert sum(result.counts_by_code()[code].values()) == sum(1 for _w, levels in latest.values() if code in levels)


def test_audiences_limit_the_responses(survey, make_person, unit_a):
    farmer = make_person(unit=unit_a, audience=Audience.FARMER)
    clerk = make_person(unit=unit_a)
    record(farmer, survey, when=at(3, 1), unit=unit_a, levels={"IU06": Level.BASIC})
    record(clerk, survey, when=at(3, 1), unit=unit_a, levels={"IU06": Level.ADVANCED})
    result = level_distribution(unit_a, audiences=[Audience.FARMER]).counts_by_code()["IU06"]
    assert result == {0: 0, 1: 1, 2: 0, 3: 0}


def test_the_number_of_queries_does_not_grow_with_the_data(survey, make_person, unit_a):
    people = [make_person(unit=unit_a) for _ in range(3)]
    for person in people:
        record(person, survey, when=at(5, 5), unit=unit_a, levels={code: Level.BASIC for code in MODULE_CODES})
    with CaptureQueriesContext(connection) as few:
        level_distribution(unit_a, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    for _ in range(30):
        person = make_person(unit=unit_a)
        record(person, survey, when=at(6, 6), unit=unit_a, levels={code: Level.PROFICIENT for code in MODULE_CODES})
    with CaptureQueriesContext(connection) as many:
        result = level_distribution(unit_a, datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert result.people == 33
    assert len(few) == len(many) == 2


def test_coverage_counts_people_now_in_scope_who_answered(survey, make_person, home_affairs, unit_a, unit_b):
    answered = [make_person(unit=unit_a) for _ in range(2)]
    silent = [make_person(unit=unit_a) for _ in range(3)]
    make_person(unit=unit_b)
    for person in answered:
        record(person, survey, when=timezone.now(), unit=unit_b, levels={"IU01": Level.BASIC})
    coverage = survey_coverage(home_affairs, unit_a)
    assert (coverage.surveyed, coverage.in_scope) == (2, len(answered) + len(silent))
    assert coverage.percent == 40.0
    with CaptureQueriesContext(connection) as queries:
        survey_coverage(home_affairs, unit_a)
    assert len(queries) == 1


@pytest.fixture
def home_affairs(make_person, province):
    from accounts.roles import Role

    return make_person(unit=province, roles=[Role.HOME_AFFAIRS], full_name="Vũ Thị Nội Vụ").user
