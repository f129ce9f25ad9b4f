"""Catalogue search ignores Vietnamese diacritics and case; filters by track, audience, level and hours."""

from decimal import Decimal

import pytest

from cms.choices import CourseLevel
from cms.models import TrackPage
from cms.selectors import catalogue_courses, course_search
from cms.text import fold_for_search
from courses.tracks import Track
from organisations.models import Audience


def test_folding_strips_tones_and_marks_and_maps_d_with_stroke():
    assert fold_for_search("Bảo mật thông tin") == "bao mat thong tin"
    assert fold_for_search("ĐẢNG ỦY  Điện tử") == "dang uy dien tu"


@pytest.mark.django_db
def test_search_without_diacritics_or_case_finds_the_course(make_course):
    security = make_course(title="Bảo mật thông tin", code="ATTT-01", summary="Phòng chống mã độc.")
    make_course(title="Soạn thảo văn bản với LibreOffice Writer", code="LO-01")

    assert list(course_search("bao mat")) == [security]
    assert list(course_search("BẢO MẬT")) == [security]
    assert list(course_search("ma doc")) == [security]  # the summary is searched
    assert list(course_search("attt")) == [security]  # and the code
    assert list(course_search("bao writer")) == []  # every word must match


@pytest.mark.django_db
def test_search_reads_the_published_version_only(make_course):
    course = make_course(title="Bảo mật thông tin")
    course.title = "Chuyển đổi số"
    course.save_revision()  # a draft does not change what learners find
    assert list(course_search("bao mat")) == [course]
    assert list(course_search("chuyen doi")) == []

    course.get_latest_revision().publish()
    assert list(course_search("chuyen doi so")) == [course]


@pytest.mark.django_db
def test_unpublished_courses_are_not_found(make_course):
    make_course(title="Bảo mật thông tin", live=False)
    assert list(course_search("bao mat")) == []


@pytest.mark.django_db
def test_filters_by_track_audience_level_and_hours(make_course):
    it_track = TrackPage.objects.get(track=Track.IT_STAFF)
    security = make_course(track=it_track, audiences=[Audience.IT_STAFF], level=CourseLevel.ADVANCED,
                           estimated_hours=Decimal("16"))
    phone = make_course(audiences=[Audience.FARMER, Audience.RESIDENT], estimated_hours=Decimal("2"))

    assert list(catalogue_courses(track=Track.IT_STAFF)) == [security]
    assert list(catalogue_courses(audience=Audience.FARMER)) == [phone]
    assert list(catalogue_courses(level=CourseLevel.ADVANCED)) == [security]
    assert list(catalogue_courses(max_hours=Decimal("4"))) == [phone]
    assert list(catalogue_courses(track=Track.FARMERS)) == []


@pytest.mark.django_db
def test_the_catalogue_page_searches_filters_and_paginates(client, catalogue, make_course):
    make_course(title="Bảo mật thông tin", code="ATTT-01")
    for number in range(13):
        make_course(title=f"Tin học văn phòng {number:02d}", audiences=[Audience.GENERAL])

    found = client.get(catalogue.url, {"q": "bao mat"}).content.decode()
    assert "Bảo mật thông tin" in found and "Tin học văn phòng" not in found

    first = client.get(catalogue.url, {"audience": Audience.GENERAL}).content.decode()
    assert "Tin học văn phòng 00" in first and "Tin học văn phòng 12" not in first
    assert "audience=general&amp;page=2" in first

    second = client.get(catalogue.url, {"audience": Audience.GENERAL, "page": 2}).content.decode()
    assert "Tin học văn phòng 12" in second and "Bảo mật thông tin" not in second


@pytest.mark.django_db
def test_invalid_filters_are_ignored_not_an_error(client, catalogue, make_course):
    make_course(title="Bảo mật thông tin")
    response = client.get(catalogue.url, {"level": "expert", "max_hours": "many"})
    assert response.status_code == 200
    assert "Bảo mật thông tin" in response.content.decode()


@pytest.mark.django_db
def test_a_track_page_lists_its_courses_twelve_at_a_time(client, it_track, make_course):
    for number in range(13):
        make_course(track=it_track, title=f"Quản trị mạng {number:02d}")
    first = client.get(it_track.url).content.decode()
    assert "Tìm thấy 13 khóa học" in first  # the site speaks Vietnamese first
    assert first.count('class="card course-card"') == 12 and "page=2" in first
    second = client.get(it_track.url, {"page": 2}).content.decode()
    assert second.count('class="card course-card"') == 1
