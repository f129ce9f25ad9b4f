"""The head counts (`reports.HeadCount`): written by every rebuild and refresh, equal to a count of the people, and
read by the competency coverage of a reader who sees the whole province in place of counting the people (issue 8,
S2). An age band filter, a narrower reader, or no matching head count counts the people now. Runs on SQLite by
default and on PostgreSQL with DATABASE_URL."""

import datetime
import importlib
from collections import Counter
from types import SimpleNamespace

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from organisations.models import Audience, Gender, Person, StaffCategory
from reports.choices import AgeBand, PeriodKind
from reports.models import HeadCount
from reports.periods import period_of
from reports.rollups import rollups_rebuild, rollups_refresh
from reports.selectors import SYSTEM_READER, StatisticsFilter, coverage_for, people_for_statistics

from .conftest import record
from .test_rollups_equivalence import varied_records

YEAR = period_of(PeriodKind.YEAR, 2026)


def counted_people() -> Counter:
    """Every person with a home unit, counted per head count key in Python."""
    counts = Counter()
    for person in Person.objects.all():
        home = person.unit_id or person.commune_id
        if home is not None:
            counts[home, person.audience, person.staff_category, person.is_leader, person.gender] += 1
    return counts


def stored_head_counts() -> Counter:
    return Counter({
        (row.unit_id, row.audience, row.staff_category, row.is_leader, row.gender): row.people
        for row in HeadCount.objects.all()
    })


def live_count(user, unit, filters) -> int:
    return people_for_statistics(user, unit=unit, filters=filters, today=timezone.localdate()).count()


def coverage_people(user, unit, filters) -> tuple[int, str]:
    """The coverage's people count, and where it came from: the head counts alone, or a count of the people."""
    with CaptureQueriesContext(connection) as captured:
        people = coverage_for(user, unit=unit, filters=filters).people
    statements = [query["sql"] for query in captured.captured_queries]
    read = any("reports_headcount" in sql for sql in statements)
    counted = any(sql.startswith('SELECT COUNT(*) AS "__count" FROM "organisations_person"') for sql in statements)
    assert read or counted, statements
    return people, "people" if counted else "head counts"


def test_the_rebuild_counts_every_person_once(world, make_person):
    varied_records(world, make_person)
    rollups_rebuild()
    expected = counted_people()
    assert stored_head_counts() == expected
    # Units, communes (people without a workplace) and every audience and gender occur.
    assert {key[0] for key in expected} >= {world.units["a"].pk, world.units["c"].pk, world.province.pk}
    assert {key[1] for key in expected} == set(Audience.values)
    assert {key[4] for key in expected} == set(Gender.values)


def test_a_whole_province_reader_reads_the_head_counts_and_gets_the_people_count(world, make_person):
    varied_records(world, make_person, seed=3)
    rollups_rebuild()
    cases = [
        StatisticsFilter(period=YEAR),
        StatisticsFilter(period=YEAR, audience=Audience.GENERAL),
        StatisticsFilter(period=YEAR, staff_category=StaffCategory.CONG_CHUC, gender=Gender.FEMALE),
        StatisticsFilter(period=YEAR, is_leader=True),
        StatisticsFilter(period=YEAR, is_leader=False, audience=Audience.IT_STAFF),
    ]
    for reader in (world.home_affairs_user, SYSTEM_READER):
        for unit in (world.province, world.units["a"], world.units["c"]):
            for filters in cases:
                people, source = coverage_people(reader, unit, filters)
                assert source == "head counts", filters
                assert people == live_count(world.home_affairs_user, unit, filters), (unit, filters)
    assert coverage_people(world.home_affairs_user, world.province, cases[0])[0] == sum(counted_people().values())


def test_people_added_moved_and_deleted_count_from_the_next_refresh(world, make_person):
    leaving = make_person(unit=world.units["b"], full_name="Người Nghỉ Hưu")
    rollups_rebuild(now=timezone.now() - datetime.timedelta(minutes=5))
    province, unit_a, unit_b = world.province, world.units["a"], world.units["b"]
    everyone = StatisticsFilter(period=YEAR)
    before = {unit: coverage_people(world.home_affairs_user, unit, everyone)[0] for unit in (province, unit_a, unit_b)}
    make_person(unit=unit_a, full_name="Người Mới")
    moved = Person.objects.filter(unit=unit_b).exclude(pk=leaving.pk).first()
    moved.unit = unit_a
    moved.save()
    leaving.user.delete()
    # Until the refresh, the coverage's count is the last refresh's (as old as the learning figures beside it).
    assert {unit: coverage_people(world.home_affairs_user, unit, everyone)[0]
            for unit in (province, unit_a, unit_b)} == before
    rollups_refresh()
    assert stored_head_counts() == counted_people()
    after = {unit: coverage_people(world.home_affairs_user, unit, everyone)[0] for unit in (province, unit_a, unit_b)}
    assert after == {province: before[province], unit_a: before[unit_a] + 2, unit_b: before[unit_b] - 2}
    assert after == {unit: live_count(world.home_affairs_user, unit, everyone) for unit in after}


def test_holders_added_since_the_last_refresh_never_take_a_share_past_100_percent(world, make_person):
    rollups_rebuild()
    unit = world.units["a"]
    everyone = StatisticsFilter(period=YEAR)
    counted = coverage_people(world.home_affairs_user, unit, everyone)[0]
    newcomers = [make_person(unit=unit) for _ in range(counted + 1)]
    for person in newcomers:
        record(person, "IU01")
    coverage = coverage_for(world.home_affairs_user, unit=unit, filters=everyone)
    held = dict((competency.code, count) for competency, count in coverage.competencies)["IU01"]
    assert held >= len(newcomers) > counted
    assert coverage.people == held and coverage.share(held) == 100
    rollups_refresh()
    assert coverage_for(world.home_affairs_user, unit=unit, filters=everyone).people == counted + len(newcomers)


def test_an_age_band_or_a_narrower_reader_counts_the_people_now(world, make_person):
    rollups_rebuild()
    HeadCount.objects.update(people=1000)  # stale on purpose: whoever counts the people now does not see it
    officer = world.officer_user
    coordinator = make_person(unit=world.province, roles=[Role.FARMER_COORDINATOR]).user
    make_person(commune=world.units["c"], audience=Audience.FARMER)
    cases = [
        (world.home_affairs_user, world.province, StatisticsFilter(period=YEAR, age_band=AgeBand.FROM_30)),
        (world.home_affairs_user, world.province, StatisticsFilter(period=YEAR, age_band=AgeBand.UNKNOWN)),
        (officer, world.units["a"], StatisticsFilter(period=YEAR)),
        (coordinator, world.province, StatisticsFilter(period=YEAR)),
    ]
    for reader, unit, filters in cases:
        people, source = coverage_people(reader, unit, filters)
        assert source == "people", (reader, filters)
        assert people == live_count(reader, unit, filters) < 1000, (reader, filters)
    assert coverage_people(coordinator, world.province, StatisticsFilter(period=YEAR))[0] == 1


def test_without_head_counts_the_people_are_counted_now(world):
    """Before the first refresh (or when no head count matches the filters) the count is the people's own."""
    everyone = StatisticsFilter(period=YEAR)
    assert not HeadCount.objects.exists()
    people, source = coverage_people(world.home_affairs_user, world.province, everyone)
    assert source == "people"
    assert people == live_count(world.home_affairs_user, world.province, everyone) > 0
    rollups_rebuild()
    nobody = StatisticsFilter(period=YEAR, audience=Audience.RESIDENT)
    assert coverage_people(world.home_affairs_user, world.province, nobody)[0] == 0


def test_the_migration_counts_the_people_already_there(world, make_person):
    from django.apps import apps

    count = importlib.import_module("reports.migrations.0013_head_counts").count_the_people
    varied_records(world, make_person, seed=5)
    count(apps, SimpleNamespace(connection=connection))
    assert stored_head_counts() == counted_people()
