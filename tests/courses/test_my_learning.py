"""The "My learning" dashboard: assigned, in progress, completed, due soon and overdue, on a fixed date."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from courses.choices import AccessMode
from courses.models import Assignment
from courses.selectors import learning_dashboard
from courses.services import assignment_create, enrolment_create, lesson_open

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def learner(make_person, unit_a):
    return make_person(unit=unit_a, full_name="Nguyễn Văn Học")


@pytest.fixture
def courses(make_course, make_lesson, anchor):
    """Five open courses of two lessons each, by title."""
    made = {}
    for title in ("Assigned later", "Due soon", "Overdue", "Self-enrolled", "Completed"):
        page = make_course(title=title, access_mode=AccessMode.OPEN)
        lessons = [make_lesson(page, "Bài 1"), make_lesson(page, "Bài 2")]
        made[title] = (anchor(page), lessons)
    return made


@pytest.fixture
def dashboard_data(courses, learner, officer_a):
    with freeze_time(TODAY):
        for title, days in (("Assigned later", 30), ("Due soon", 7), ("Overdue", 1), ("Completed", 20)):
            assignment_create(
                course=courses[title][0], people=[learner], due_date=TODAY + datetime.timedelta(days=days),
                assigned_by=officer_a.user,
            )
        Assignment.objects.filter(course=courses["Overdue"][0]).update(due_date=TODAY - datetime.timedelta(days=2))
        enrolment_create(person=learner, course=courses["Self-enrolled"][0])
        lesson_open(person=learner, lesson_page_id=courses["Self-enrolled"][1][0].pk)
        lesson_open(person=learner, lesson_page_id=courses["Due soon"][1][0].pk)
        for lesson in courses["Completed"][1]:
            lesson_open(person=learner, lesson_page_id=lesson.pk)
    return courses


def titles(enrolments):
    return [enrolment.course.title for enrolment in enrolments]


@freeze_time(TODAY)
def test_dashboard_buckets(dashboard_data, learner):
    dashboard = learning_dashboard(learner)
    assert titles(dashboard.assigned) == ["Assigned later", "Overdue"]
    assert titles(dashboard.in_progress) == ["Due soon", "Self-enrolled"]
    assert titles(dashboard.completed) == ["Completed"]
    assert titles(dashboard.due_soon) == ["Due soon"]
    assert titles(dashboard.overdue) == ["Overdue"]
    due_soon = dashboard.due_soon[0]
    assert due_soon.due_date == TODAY + datetime.timedelta(days=7)
    assert (due_soon.lessons_done, due_soon.lessons_total, due_soon.percent) == (1, 2, 50)
    assert dashboard.completed[0].completed_at.date() == TODAY
    assert dashboard.in_progress[1].due_date is None


@freeze_time(TODAY)
def test_my_learning_page_shows_the_sections(dashboard_data, learner, client):
    client.force_login(learner.user)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert 'class="card row-reject"' in html  # overdue is highlighted
    assert "was due 08/03/2026" in html or "was due 03/08/2026" in html
    resume_url = dashboard_data["Due soon"][1][0].url
    assert f'href="{resume_url}">Resume</a>' in html
    assert '<progress max="100" value="50"' in html
    assert reverse("courses:my_learning") in html  # the main menu links it


def test_my_learning_empty_state(learner, client):
    client.force_login(learner.user)
    html = client.get(reverse("courses:my_learning")).content.decode()
    assert "You are not enrolled in any course yet." in html


def test_my_learning_requires_login(client):
    response = client.get(reverse("courses:my_learning"))
    assert response.status_code == 302
    assert "login" in response["Location"]
