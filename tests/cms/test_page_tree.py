"""The curriculum tree keeps its shape: catalogue → tracks → courses → (sections) → lessons."""

import pytest
from django.core.exceptions import ValidationError

from cms.models import CatalogueIndexPage, CoursePage, HomePage, LessonPage, SectionPage, TrackPage
from courses.tracks import Track


@pytest.mark.django_db
def test_only_one_catalogue_under_the_home_page(catalogue):
    home = HomePage.objects.get()
    assert CatalogueIndexPage.allowed_parent_page_models() == [HomePage]
    assert not CatalogueIndexPage.can_create_at(home)  # max_count reached by the migration


@pytest.mark.django_db
def test_tracks_only_under_the_catalogue_and_no_sixth(catalogue, make_course):
    course = make_course()
    assert TrackPage.allowed_parent_page_models() == [CatalogueIndexPage]
    assert catalogue.specific_class.allowed_subpage_models() == [TrackPage]
    assert not TrackPage.can_create_at(catalogue)  # all five exist
    assert not TrackPage.can_create_at(course)


@pytest.mark.django_db
def test_a_track_key_has_one_page(catalogue):
    duplicate = TrackPage(title="Trùng", slug="trung", track=Track.FARMERS)
    with pytest.raises(ValidationError) as error:
        duplicate.clean()
    assert "track" in error.value.message_dict


@pytest.mark.django_db
def test_courses_only_under_tracks(catalogue, it_track, make_course):
    course = make_course()
    assert CoursePage.can_create_at(it_track)
    assert not CoursePage.can_create_at(catalogue)
    assert not CoursePage.can_create_at(course)
    assert set(CoursePage.allowed_subpage_models()) == {SectionPage, LessonPage}


@pytest.mark.django_db
def test_sections_only_under_courses_and_lessons_under_courses_or_sections(it_track, make_course, make_section,
                                                                            make_lesson):
    course = make_course(track=it_track)
    section = make_section(course)
    lesson = make_lesson(section)
    assert SectionPage.can_create_at(course)
    assert not SectionPage.can_create_at(section)
    assert not SectionPage.can_create_at(it_track)
    assert LessonPage.can_create_at(course)
    assert LessonPage.can_create_at(section)
    assert not LessonPage.can_create_at(it_track)
    assert LessonPage.allowed_subpage_models() == []
    assert not LessonPage.can_create_at(lesson)


@pytest.mark.django_db
def test_course_codes_are_unique_and_upper_case(make_course):
    make_course(code="ATTT-01")
    other = make_course(live=False)
    other.code = " attt-01 "
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "code" in error.value.message_dict
    other.code = "attt-02"
    other.full_clean()
    assert other.code == "ATTT-02"


@pytest.mark.django_db
def test_competency_codes_are_it_skill_modules(make_course):
    course = make_course(competency_codes=["IU01", "IU14"])
    course.full_clean()
    course.competency_codes = ["IU01", "XX99"]
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "competency_codes" in error.value.message_dict


@pytest.mark.django_db
def test_a_course_is_not_its_own_prerequisite(make_course):
    basic = make_course()
    course = make_course()
    course.prerequisites = [basic]
    course.full_clean()
    course.prerequisites = [basic, course]
    with pytest.raises(ValidationError) as error:
        course.full_clean()
    assert "prerequisites" in error.value.message_dict
