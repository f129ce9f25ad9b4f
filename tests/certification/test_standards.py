"""Composite standards are derived from the registry: basic = IU01–IU06 all active; advanced = basic + any
three of IU07–IU15. Expired and revoked records do not count; superseding keeps the history."""

import datetime

import pytest

from certification.choices import RecordSource, RecordState
from certification.errors import EvidenceMissing, UnknownCompetency
from certification.models import CompetencyRecord
from certification.selectors import competencies_of, missing_for_next_standard, standards_met
from certification.services import competency_record

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


@pytest.fixture
def person(make_person, unit_a):
    return make_person(unit=unit_a, full_name="Phan Văn Đức")


def give(person, *codes, achieved_on=TODAY, source=RecordSource.QUIZ):
    for code in codes:
        competency_record(person=person, competency_code=code, source=source, achieved_on=achieved_on,
                          evidence_ref=f"quiz-attempt:{code}")


def met_codes(person, today=TODAY):
    return [standard.code for standard in standards_met(person, today=today)]


BASIC = [f"IU{n:02d}" for n in range(1, 7)]


def test_basic_needs_all_six_basic_modules(person):
    give(person, *BASIC[:5])
    assert met_codes(person) == []

    give(person, "IU06")
    assert met_codes(person) == ["it_basic"]


def test_advanced_is_basic_plus_three_advanced_modules(person):
    give(person, "IU07", "IU10", "IU14")
    assert met_codes(person) == []  # advanced modules without the basic standard

    give(person, *BASIC)
    give(person, "IU08")
    assert met_codes(person) == ["it_basic", "it_advanced"]


def test_two_advanced_modules_are_not_enough(person):
    give(person, *BASIC, "IU07", "IU08")
    assert met_codes(person) == ["it_basic"]
    missing = missing_for_next_standard(person, today=TODAY)
    assert missing.standard.code == "it_advanced"
    assert missing.missing_required == []
    assert missing.optional_needed == 1
    assert "IU09" in [item.competency.code for item in missing.optional_choices]


def test_an_expired_record_does_not_count(person, settings):
    from certification.models import Competency

    Competency.objects.filter(code="IU06").update(validity_months=24)
    give(person, *BASIC[:5], achieved_on=TODAY)
    give(person, "IU06", achieved_on=datetime.date(2024, 1, 10))  # valid until 2026-01-10

    assert met_codes(person) == []
    held = {item.competency.code: item for item in competencies_of(person, today=TODAY)}
    assert held["IU06"].state == RecordState.EXPIRED
    assert held["IU06"].record.valid_until == datetime.date(2026, 1, 10)
    assert met_codes(person, today=datetime.date(2025, 12, 31)) == ["it_basic"]


def test_a_revoked_record_does_not_count(person):
    give(person, *BASIC)
    current = CompetencyRecord.objects.get(person=person, competency__code="IU02", state=RecordState.ACTIVE)
    CompetencyRecord.objects.filter(pk=current.pk).update(state=RecordState.SUPERSEDED)
    CompetencyRecord.objects.create(
        person=person, competency=current.competency, achieved_on=current.achieved_on, source=current.source,
        evidence_ref=current.evidence_ref, state=RecordState.REVOKED,
    )
    assert met_codes(person) == []
    missing = missing_for_next_standard(person, today=TODAY)
    assert [item.competency.code for item in missing.missing_required] == ["IU02"]


def test_a_new_record_supersedes_the_previous_one_and_keeps_history(person):
    first = competency_record(person=person, competency_code="IU03", source=RecordSource.PLACEMENT,
                              achieved_on=datetime.date(2026, 1, 5), evidence_ref="placement:1")
    second = competency_record(person=person, competency_code="IU03", source=RecordSource.QUIZ,
                               achieved_on=datetime.date(2026, 3, 5), evidence_ref="quiz-attempt:9")

    records = list(CompetencyRecord.objects.filter(person=person, competency__code="IU03").order_by("id"))
    assert [r.pk for r in records] == [first.pk, second.pk]
    assert [r.state for r in records] == [RecordState.SUPERSEDED, RecordState.ACTIVE]
    assert (records[0].source, records[0].achieved_on) == (RecordSource.PLACEMENT, datetime.date(2026, 1, 5))
    [held] = competencies_of(person, today=TODAY)
    assert held.record == second


def test_recording_the_same_evidence_again_changes_nothing(person):
    first = competency_record(person=person, competency_code="iu04", source=RecordSource.QUIZ,
                              achieved_on=TODAY, evidence_ref="quiz-attempt:1")
    again = competency_record(person=person, competency_code="IU04", source=RecordSource.QUIZ,
                              achieved_on=TODAY, evidence_ref="quiz-attempt:1")
    assert again == first
    assert CompetencyRecord.objects.filter(person=person).count() == 1


def test_unknown_codes_and_missing_evidence_are_refused(person):
    with pytest.raises(UnknownCompetency):
        competency_record(person=person, competency_code="XX99", source=RecordSource.QUIZ,
                          achieved_on=TODAY, evidence_ref="quiz-attempt:1")
    with pytest.raises(EvidenceMissing):
        competency_record(person=person, competency_code="IU01", source=RecordSource.QUIZ, achieved_on=TODAY)
    with pytest.raises(EvidenceMissing):
        competency_record(person=person, competency_code="IU01", source=RecordSource.COURSE_CERTIFICATE,
                          achieved_on=TODAY, evidence_ref="x")
    assert not CompetencyRecord.objects.exists()


def test_missing_competencies_name_the_live_courses_that_give_them(person, make_course):
    from courses.models import Course

    page = make_course(title="Tin học văn phòng cơ bản", competency_codes=["IU03", "IU04"])
    make_course(title="Khoá học chưa xuất bản", competency_codes=["IU03"], live=False)
    give(person, "IU01", "IU02")

    missing = missing_for_next_standard(person, today=TODAY)

    assert missing.standard.code == "it_basic"
    by_code = {item.competency.code: item.courses for item in missing.missing_required}
    assert list(by_code) == ["IU03", "IU04", "IU05", "IU06"]
    assert by_code["IU03"] == [Course.objects.get(page_id=page.pk)]
    assert by_code["IU05"] == []
