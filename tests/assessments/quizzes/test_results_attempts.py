"""A quiz's attempts for its trainer (filters, search) and one attempt's answers: owner and course
trainers only; another trainer gets 404 by any id; learners are refused."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from assessments.quizzes import results_views
from assessments.quizzes.services import answer_save, attempt_start, attempt_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempts(quiz, learner, other_learner):
    done = attempt_start(person=learner, quiz=quiz)
    answer_save(user=learner.user, attempt_id=done.pk, slot_number=2, response={"value": True})
    attempt_submit(attempt=done)
    open_one = attempt_start(person=other_learner, quiz=quiz)
    return done, open_one


def test_the_owner_lists_filters_and_searches_attempts(client, quiz, attempts, trainer, learner, other_learner):
    client.force_login(trainer)
    url = reverse("assessment_results:attempts", args=[quiz.pk])
    html = client.get(url).content.decode()
    assert learner.full_name in html and other_learner.full_name in html and html.count('class="attempt-row"') == 2
    only_open = client.get(url, {"state": "in_progress"}).content.decode()
    assert other_learner.full_name in only_open and only_open.count('class="attempt-row"') == 1
    found = client.get(url, {"q": "Thi"}).content.decode()  # "Trần Văn Thi"
    assert found.count('class="attempt-row"') == 1 and other_learner.full_name in found
    detail = client.get(reverse("assessment_results:attempt", args=[attempts[0].pk]))
    assert detail.status_code == 200 and "Tường lửa" in detail.content.decode()


def test_the_quiz_listing_links_to_the_results(client, quiz, trainer):
    client.force_login(trainer)
    html = client.get(reverse("assessment_quizzes:index")).content.decode()
    assert reverse("assessment_results:attempts", args=[quiz.pk]) in html
    assert reverse("assessment_results:queue") in html and reverse("assessment_results:index") in html  # menu


def test_a_course_trainer_sees_them_another_trainer_gets_404(client, quiz, attempts, other_trainer, make_person,
                                                              unit_b, learner):
    from courses.models import Course

    urls = [reverse("assessment_results:attempts", args=[quiz.pk]),
            reverse("assessment_results:attempt", args=[attempts[0].pk]),
            reverse("assessment_results:analysis", args=[quiz.pk])]
    client.force_login(other_trainer)
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert quiz.title not in client.get(reverse("assessment_results:index")).content.decode()
    Course.objects.get(lessons__activities__ref=str(quiz.pk)).trainers.add(other_trainer)
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert quiz.title in client.get(reverse("assessment_results:index")).content.decode()
    client.force_login(learner.user)
    for url in urls:
        assert client.get(url).status_code in (302, 403, 404), url


def test_the_listings_do_not_grow_queries_with_rows(client, quiz, trainer, make_person, unit_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessments.quizzes.services import attempt_start as begin

    def counts():
        client.force_login(trainer)
        numbers = []
        for url in (reverse("assessment_results:attempts", args=[quiz.pk]), reverse("assessment_results:index"),
                    reverse("assessment_results:queue")):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            numbers.append(len(queries))
        return numbers

    people = [make_person(unit=unit_a, roles=[Role.LEARNER]) for _ in range(4)]
    attempt_submit(attempt=begin(person=people[0], quiz=quiz))
    few = counts()
    for person in people[1:]:
        attempt_submit(attempt=begin(person=person, quiz=quiz))
    assert counts() == few


def test_wagtail_admin_lists_number_their_pages_and_keep_the_filters(client, quiz, trainer, make_person, unit_b,
                                                                     monkeypatch):
    monkeypatch.setattr(results_views, "PER_PAGE", 2)
    for n in range(7):
        attempt_start(person=make_person(unit=unit_b, full_name=f"Người học {n}"), quiz=quiz)
    client.force_login(trainer)
    html = client.get(reverse("assessment_results:attempts", args=[quiz.pk]),
                      {"state": "in_progress", "p": 2}).content.decode()
    assert html.count('class="attempt-row"') == 2 and "Page 2 of 4" in html
    for number in (1, 3, 4):
        assert f'href="?state=in_progress&amp;p={number}"' in html, number
    assert 'aria-current="page"' in html
