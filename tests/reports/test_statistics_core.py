"""Every statistics figure against an independent computation: raw SQL over the learning records,
written separately from the rollups and the ORM aggregates they are read through."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404

from certification.models import Standard
from courses.tracks import Track
from organisations.models import Gender
from reports.choices import AgeBand, PeriodKind, TrainingForm
from reports.periods import period_of
from reports.rollups import rollups_rebuild
from reports.selectors import StatisticsFilter, coverage_for, statistics_for, statistics_scope, statistics_unit

from .conftest import YEAR

Q1 = period_of(PeriodKind.QUARTER, YEAR, 1)


def utc_bounds(period):
    zone = datetime.timezone(datetime.timedelta(hours=7))
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return [connection.ops.adapt_datetimefield_value(value) for value in (start, end)]


def people_join(person_column):
    return (
        f"JOIN organisations_person p ON p.id = {person_column} "
        "LEFT JOIN organisations_organisationunit hu ON hu.id = p.unit_id "
        "LEFT JOIN organisations_organisationunit hc ON hc.id = p.commune_id"
    )


PEOPLE = (
    "organisations_person p LEFT JOIN organisations_organisationunit hu ON hu.id = p.unit_id "
    "LEFT JOIN organisations_organisationunit hc ON hc.id = p.commune_id"
)
HOME = "COALESCE(hu.path, hc.path)"


def raw_figures(paths, period, *, gender=None, track=None, leader=None, form=None):
    """The figures for people whose home unit lies under any of `paths`, in plain SQL."""
    start, end = utc_bounds(period)
    where_home = "(" + " OR ".join(f"{HOME} LIKE %s" for _ in paths) + ")"
    home_params = [f"{path}%" for path in paths]
    extra, extra_params = "", []
    if gender:
        extra += " AND p.gender = %s"
        extra_params.append(gender)
    if track:
        extra += " AND co.track = %s"
        extra_params.append(track)
    if leader is not None:
        extra += " AND p.is_leader = %s"
        extra_params.append(leader)
    enrolment_form = ""
    if form == TrainingForm.CLASS:
        enrolment_form = " AND e.cohort_id IS NOT NULL"
    elif form == TrainingForm.ONLINE:
        enrolment_form = " AND e.cohort_id IS NULL"

    def one(sql, params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0] or 0

    enrolments = f"""
        FROM courses_enrolment e JOIN courses_course co ON co.id = e.course_id {people_join('e.person_id')}
        WHERE {where_home}{extra}{enrolment_form}
    """
    base = home_params + extra_params
    assigned_form = {
        TrainingForm.CLASS: " AND EXISTS (SELECT 1 FROM courses_enrolment e2 WHERE e2.person_id = a.person_id"
        " AND e2.course_id = a.course_id AND e2.cohort_id IS NOT NULL)",
        TrainingForm.ONLINE: " AND NOT EXISTS (SELECT 1 FROM courses_enrolment e2 WHERE e2.person_id = a.person_id"
        " AND e2.course_id = a.course_id AND e2.cohort_id IS NOT NULL)",
    }.get(form, "")
    figures = {
        "assigned": one(
            f"SELECT COUNT(*) FROM courses_assignment a JOIN courses_course co ON co.id = a.course_id "
            f"{people_join('a.person_id')} WHERE {where_home}{extra}{assigned_form} "
            "AND a.created_at >= %s AND a.created_at < %s",
            base + [start, end],
        ),
        "enrolled": one(f"SELECT COUNT(*) {enrolments} AND e.enrolled_at >= %s AND e.enrolled_at < %s", base + [start, end]),
        "enrolled_completed": one(
            f"SELECT COUNT(*) {enrolments} AND e.enrolled_at >= %s AND e.enrolled_at < %s AND e.status = 'completed'",
            base + [start, end],
        ),
        "started": one(
            f"SELECT COUNT(*) {enrolments} AND (SELECT MIN(lp.first_opened_at) FROM courses_lessonprogress lp "
            "WHERE lp.enrolment_id = e.id) >= %s AND (SELECT MIN(lp.first_opened_at) FROM courses_lessonprogress lp "
            "WHERE lp.enrolment_id = e.id) < %s",
            base + [start, end],
        ),
        "completed": one(
            f"SELECT COUNT(*) {enrolments} AND e.status = 'completed' AND e.completed_at >= %s AND e.completed_at < %s",
            base + [start, end],
        ),
        "hours": Decimal(str(one(
            f"SELECT SUM(co.estimated_hours) {enrolments} AND e.status = 'completed' "
            "AND e.completed_at >= %s AND e.completed_at < %s",
            base + [start, end],
        ))),
        "certificates": one(
            f"SELECT COUNT(*) FROM certification_certificate ce JOIN courses_enrolment e ON e.id = ce.enrolment_id "
            f"JOIN courses_course co ON co.id = ce.course_id {people_join('ce.person_id')} "
            f"WHERE {where_home}{extra}{enrolment_form} AND ce.state = 'valid' AND ce.issued_at >= %s AND ce.issued_at < %s",
            base + [start, end],
        ),
        "participant_times": 0 if form == TrainingForm.ONLINE else one(
            f"SELECT COUNT(*) FROM courses_attendance at JOIN courses_classsession s ON s.id = at.session_id "
            f"JOIN courses_enrolment e ON e.id = at.enrolment_id JOIN courses_course co ON co.id = e.course_id "
            f"{people_join('e.person_id')} "
            f"WHERE {where_home}{extra} AND at.present = %s AND s.starts_at >= %s AND s.starts_at < %s",
            base + [True, start, end],
        ),
    }
    # Quiz results: finished, scored attempts of a quiz placed in a course (each test quiz is placed in
    # at most one), filed under that course.
    quiz_form = {
        TrainingForm.CLASS: " AND EXISTS (SELECT 1 FROM courses_enrolment e2 WHERE e2.person_id = at.person_id"
        " AND e2.course_id = co.id AND e2.cohort_id IS NOT NULL)",
        TrainingForm.ONLINE: " AND NOT EXISTS (SELECT 1 FROM courses_enrolment e2 WHERE e2.person_id = at.person_id"
        " AND e2.course_id = co.id AND e2.cohort_id IS NOT NULL)",
    }.get(form, "")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*), SUM(CASE WHEN at.fraction * 100 >= q.pass_mark - 0.000001 THEN 1 ELSE 0 END), "
            "SUM(at.fraction * 100) FROM assessments_attempt at JOIN assessments_quiz q ON q.id = at.quiz_id "
            "JOIN courses_lessonactivity la ON la.kind = 'quiz' AND la.ref = CAST(q.id AS TEXT) "
            "JOIN courses_lesson l ON l.id = la.lesson_id JOIN courses_course co ON co.id = l.course_id "
            f"{people_join('at.person_id')} WHERE {where_home}{extra}{quiz_form} "
            "AND at.state IN ('submitted', 'overdue_submitted') AND at.fraction IS NOT NULL "
            "AND at.submitted_at >= %s AND at.submitted_at < %s",
            base + [start, end],
        )
        attempts, passed, score_sum = cursor.fetchone()
    figures.update(quiz_attempts=attempts, quiz_passed=passed or 0,
                   quiz_score_sum=Decimal(str(round(score_sum or 0, 2))).quantize(Decimal("0.01")))
    return figures


def raw_classes(paths, period):
    start, end = utc_bounds(period)
    where = " OR ".join("u.path LIKE %s" for _ in paths)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM courses_cohort c JOIN organisations_organisationunit u ON u.id = c.unit_id "
            f"WHERE ({where}) AND EXISTS (SELECT 1 FROM courses_classsession s WHERE s.cohort_id = c.id "
            "AND s.starts_at >= %s AND s.starts_at < %s)",
            [f"{path}%" for path in paths] + [start, end],
        )
        return cursor.fetchone()[0]


def as_dict(figures):
    return {name: getattr(figures, name) for name in
            ("assigned", "enrolled", "enrolled_completed", "started", "completed", "hours", "certificates",
             "participant_times", "quiz_attempts", "quiz_passed", "quiz_score_sum")}


def test_province_figures_and_each_unit_row_match_raw_sql(world):
    rollups_rebuild()
    stats = statistics_for(world.home_affairs_user, unit=world.province, filters=StatisticsFilter(period=Q1))

    assert as_dict(stats.total) == raw_figures([world.province.path], Q1)
    assert stats.total.classes_held == raw_classes([world.province.path], Q1) == 1
    # Hand-checked anchors, so the two computations cannot share a misunderstanding.
    assert stats.total.enrolled == 7  # the 23:00 enrolment of 31 March counts in Q1 (Vietnam time)
    assert stats.total.completed == 4 and stats.total.hours == Decimal("14.5")
    assert stats.total.certificates == 3  # Cường's certificate was revoked
    assert stats.total.participant_times == 3  # An missed the March session; April is outside Q1
    # Quiz results: An 40 then 50 (the pass mark, a pass), Giang 90, Em 70 (late), Cường 75 of 80 needed;
    # Bình's April attempt, An's unfinished one and Dung's quiz placed in no course do not count.
    assert (stats.total.quiz_attempts, stats.total.quiz_passed) == (5, 3)
    assert (stats.total.pass_rate, stats.total.average_score) == (60.0, 65.0)

    rows = {row.unit.pk: row for row in stats.rows}
    units = world.units
    assert set(rows) == {units["a"].pk, units["b"].pk, units["c"].pk}  # Hưng Tây folded into Hưng Nguyên
    assert rows[units["c"].pk].merged == [units["d"]]
    assert rows[units["c"].pk].figures.quiz_passed == 1  # Em's attempt in the merged commune
    assert rows[units["a"].pk].figures.quiz_attempts == 3  # An twice, and Giang who moved here
    assert rows[units["b"].pk].figures.pass_rate == 0.0  # Cường
    for key, paths in {"a": [units["a"].path], "b": [units["b"].path], "c": [units["c"].path, units["d"].path]}.items():
        assert as_dict(rows[units[key].pk].figures) == raw_figures(paths, Q1), key
        assert rows[units[key].pk].figures.classes_held == raw_classes(paths, Q1)
    total = sum(row.figures.enrolled for row in stats.rows)
    assert total == stats.total.enrolled


def test_a_moved_person_counts_in_their_current_unit(world):
    rollups_rebuild()
    stats = statistics_for(world.home_affairs_user, unit=world.province, filters=StatisticsFilter(period=Q1))
    rows = {row.unit.pk: row.figures for row in stats.rows}
    # Giang's January enrolment and completion were made in Sở Y tế; she is now in Sở Nội vụ.
    assert rows[world.units["b"].pk].enrolled == 1
    assert rows[world.units["a"].pk].enrolled == 4


@pytest.mark.parametrize(
    "filters",
    [
        {"gender": Gender.FEMALE},
        {"track": Track.IT_STAFF},
        {"is_leader": True},
        {"form": TrainingForm.CLASS},
        {"form": TrainingForm.ONLINE},
    ],
)
def test_filtered_figures_match_raw_sql(world, filters):
    rollups_rebuild()
    stats = statistics_for(world.home_affairs_user, unit=world.province, filters=StatisticsFilter(period=Q1, **filters))
    raw = raw_figures(
        [world.province.path], Q1, gender=filters.get("gender"), track=filters.get("track"),
        leader=filters.get("is_leader"), form=filters.get("form"),
    )
    assert as_dict(stats.total) == raw


def test_age_band_and_course_filters(world):
    rollups_rebuild()
    # Born 1990: 36 in 2026. Only An is in his thirties.
    thirties = statistics_for(world.home_affairs_user, unit=world.province,
                              filters=StatisticsFilter(period=Q1, age_band=AgeBand.FROM_30))
    assert thirties.total.enrolled == 3  # An twice, Giang (born 1988) once
    unknown = statistics_for(world.home_affairs_user, unit=world.province,
                             filters=StatisticsFilter(period=Q1, age_band=AgeBand.UNKNOWN))
    assert unknown.total.enrolled == 1  # Dung gave no year of birth
    course = statistics_for(world.home_affairs_user, unit=world.province,
                            filters=StatisticsFilter(period=Q1, course_id=world.courses["it"].pk))
    assert course.total.enrolled == 2 and course.total.classes_held == 0


def test_unit_officer_reads_their_subtree_only(world):
    rollups_rebuild()
    scope = statistics_scope(world.officer_user)
    assert scope.root == world.units["a"]
    stats = statistics_for(world.officer_user, unit=world.units["a"], filters=StatisticsFilter(period=Q1))
    assert as_dict(stats.total) == raw_figures([world.units["a"].path], Q1)
    with pytest.raises(Http404):
        statistics_unit(world.officer_user, world.units["b"].pk)
    with pytest.raises(Http404):
        statistics_unit(world.officer_user, world.province.pk)
    with pytest.raises(Http404):
        statistics_for(world.officer_user, unit=world.units["b"], filters=StatisticsFilter(period=Q1))
    with pytest.raises(Http404):
        statistics_unit(world.people["an"].user, None)  # a learner reads no statistics


def raw_coverage(paths, today):
    """People under the paths; holders of each competency; people meeting the basic standard."""
    where = "(" + " OR ".join(f"{HOME} LIKE %s" for _ in paths) + ")"
    params = [f"{path}%" for path in paths]
    active = "r.state = 'active' AND (r.valid_until IS NULL OR r.valid_until >= %s)"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {PEOPLE} WHERE {where}", params)
        people = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT c.code, COUNT(DISTINCT r.person_id) FROM certification_competencyrecord r "
            f"JOIN certification_competency c ON c.id = r.competency_id {people_join('r.person_id')} "
            f"WHERE {where} AND {active} GROUP BY c.code",
            params + [today],
        )
        held = dict(cursor.fetchall())
        basic = Standard.objects.get(code="it_basic")
        required = [competency.pk for competency in basic.required.all()]
        marks = ", ".join("%s" for _ in required)
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT r.person_id FROM certification_competencyrecord r "
            f"{people_join('r.person_id')} WHERE {where} AND {active} AND r.competency_id IN ({marks}) "
            f"GROUP BY r.person_id HAVING COUNT(DISTINCT r.competency_id) = %s) met",
            params + [today] + required + [len(required)],
        )
        basic_met = cursor.fetchone()[0]
    return people, held, basic_met


def test_competency_coverage_matches_raw_sql(world, today):
    coverage = coverage_for(world.home_affairs_user, unit=world.province, filters=StatisticsFilter(period=Q1), today=today)
    people, held, basic_met = raw_coverage([world.province.path], today)

    assert coverage.people == people
    assert {c.code: n for c, n in coverage.competencies if n} == held
    met = {standard.code: n for standard, n in coverage.standards}
    assert met["it_basic"] == basic_met == 1  # An; Bình's IU06 expired
    assert met["it_advanced"] == 0  # An holds two of IU07–IU15, three are needed
    assert held["IU01"] == 3  # An, Bình, Giang; Cường's was revoked
    assert held["IU06"] == 1


def test_standard_counts_read_record_holders_only_yet_count_a_standard_asking_for_nothing_for_everyone(world, today):
    """standards_met_counts reads only people holding an active record (issue 8, S2); a standard that asks
    for no competency is still met by every person, holders or not, and one built on it by whoever meets
    its own requirements."""
    empty = Standard.objects.create(code="it_none", name_vi="Không yêu cầu", name_en="Nothing required", position=90)
    basic = Standard.objects.get(code="it_basic")
    on_empty = Standard.objects.create(code="it_on_none", name_vi="Dựa trên", name_en="Built on", position=91,
                                       builds_on=empty)
    on_empty.required.set(basic.required.all())
    coverage = coverage_for(world.home_affairs_user, unit=world.province, filters=StatisticsFilter(period=Q1), today=today)
    people, _held, basic_met = raw_coverage([world.province.path], today)
    met = {standard.code: n for standard, n in coverage.standards}
    assert people > basic_met
    assert met["it_none"] == people
    assert met["it_on_none"] == met["it_basic"] == basic_met == 1


def test_competency_coverage_of_a_unit_and_with_person_filters(world, today):
    unit = world.units["a"]
    coverage = coverage_for(world.officer_user, unit=unit, filters=StatisticsFilter(period=Q1), today=today)
    people, held, basic_met = raw_coverage([unit.path], today)
    assert (coverage.people, {c.code: n for c, n in coverage.competencies if n}) == (people, held)
    women = coverage_for(world.officer_user, unit=unit, filters=StatisticsFilter(period=Q1, gender=Gender.FEMALE),
                         today=today)
    assert women.people == 2  # Bình and Giang
    assert dict((c.code, n) for c, n in women.competencies)["IU01"] == 2


def python_skill_levels(paths, period):
    """A plain Python pass: each person's latest response submitted in the period, counted under the
    unit they belong to now, per module and level."""
    from placement.models import ResponseStatus, SurveyResponse

    zone = datetime.timezone(datetime.timedelta(hours=7))
    latest = {}
    for response in SurveyResponse.objects.select_related("person__unit", "person__commune").prefetch_related("levels"):
        if response.status != ResponseStatus.SUBMITTED:
            continue
        if not period.start <= response.submitted_at.astimezone(zone).date() <= period.end:
            continue
        if response.person_id not in latest or response.submitted_at > latest[response.person_id].submitted_at:
            latest[response.person_id] = response
    counts, people = {}, 0
    for response in latest.values():
        home = response.person.unit or response.person.commune
        if not any(home.path.startswith(path) for path in paths):
            continue
        people += 1
        for level in response.levels.all():
            counts.setdefault(level.module_code, [0, 0, 0, 0])[level.level] += 1
    return people, counts


def test_skill_levels_per_module_match_a_plain_python_pass(world):
    from reports.selectors import skill_levels_for

    levels = skill_levels_for(world.home_affairs_user, unit=world.province, filters=StatisticsFilter(period=Q1))
    people, counts = python_skill_levels([world.province.path], Q1)
    assert levels.people == people == 3  # Bình answered in Q2, Dung's is a draft
    assert {module.code: module.counts for module in levels.modules} == counts
    assert counts["IU01"] == [1, 0, 1, 1] and counts["IU02"] == [1, 1, 0, 1]  # Em, An, Giang
    # A unit officer: An, and Giang who moved in after answering; Em's merged commune is elsewhere.
    mine = skill_levels_for(world.officer_user, unit=world.units["a"], filters=StatisticsFilter(period=Q1))
    assert (mine.people, python_skill_levels([world.units["a"].path], Q1)[0]) == (2, 2)
    merged = skill_levels_for(world.home_affairs_user, unit=world.units["d"], filters=StatisticsFilter(period=Q1))
    assert merged.people == 1 and merged.modules[0].counts == [1, 0, 0, 0]
