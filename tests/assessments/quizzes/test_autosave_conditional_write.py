"""Autosave reads the slot without a lock and writes it with one conditional UPDATE: the attempt's state,
deadline (with the grace) and page decide at the moment of the write, and a refusal says why. On
PostgreSQL, an autosave racing a submit waits for it and is refused."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from assessments.models import Attempt, AttemptSlot
from assessments.quizzes.choices import Navigation
from assessments.quizzes.errors import AttemptFinished, PageLocked, SlotNotFound, TimeUp
from assessments.quizzes.services import answer_save, attempt_start, attempt_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def attempt(quiz, learner):
    return attempt_start(person=learner, quiz=quiz)


def slot(attempt, number):
    return AttemptSlot.objects.get(attempt=attempt, number=number)


def test_a_submitted_attempt_is_not_written(attempt, learner):
    attempt_submit(attempt=attempt)
    with pytest.raises(AttemptFinished):
        answer_save(user=learner.user, attempt_id=attempt.pk, slot_number=2, response={"value": True})
    assert slot(attempt, 2).response is None and slot(attempt, 2).saved_at is None


def test_past_deadline_and_grace_is_not_written(attempt, learner):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(minutes=5))
    with pytest.raises(TimeUp):
        answer_save(user=learner.user, attempt_id=attempt.pk, slot_number=2, response={"value": True})
    assert slot(attempt, 2).response is None


def test_within_the_grace_is_written(attempt, learner):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - datetime.timedelta(seconds=5))
    saved = answer_save(user=learner.user, attempt_id=attempt.pk, slot_number=2, response={"value": True})
    assert slot(attempt, 2).response == {"value": True} and slot(attempt, 2).saved_at == saved.saved_at


def test_sequential_quiz_writes_only_the_current_page(make_quiz, place, learner):
    quiz = make_quiz(navigation=Navigation.SEQUENTIAL, questions_per_page=1)
    place(quiz, learner)
    attempt = attempt_start(person=learner, quiz=quiz)
    Attempt.objects.filter(pk=attempt.pk).update(current_page=2)
    with pytest.raises(PageLocked):
        answer_save(user=learner.user, attempt_id=attempt.pk, slot_number=1, response={"choice": "o1"})
    assert slot(attempt, 1).response is None
    answer_save(user=learner.user, attempt_id=attempt.pk, slot_number=2, response={"value": False})
    assert slot(attempt, 2).response == {"value": False}


def test_free_navigation_writes_any_page(make_quiz, place, learner):
    quiz = make_quiz(questions_per_page=1)
    place(quiz, learner)
    attempt = attempt_start(person=learner, quiz=quiz)
    answer_save(user=learner.user, attempt_id=attempt.pk, slot_number=3, response={"matches": {}})
    assert slot(attempt, 3).response == {"matches": {}}


def test_another_users_attempt_is_not_found(attempt, other_learner):
    with pytest.raises(SlotNotFound):
        answer_save(user=other_learner.user, attempt_id=attempt.pk, slot_number=2, response={"value": True})
    assert slot(attempt, 2).response is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL: set DATABASE_URL")
def test_an_autosave_waits_for_a_submit_in_progress_and_is_refused(attempt, learner):
    locked, outcome = threading.Event(), {}

    def submitter():
        try:
            with transaction.atomic():
                Attempt.objects.select_for_update().get(pk=attempt.pk)  # what attempt_submit takes first
                locked.set()
                time.sleep(0.5)
                attempt_submit(attempt=attempt)
        finally:
            connections.close_all()

    def saver():
        locked.wait(5)
        try:
            answer_save(user=learner.user, attempt_id=attempt.pk, slot_number=2, response={"value": True})
            outcome["saved"] = True
        except AttemptFinished:
            outcome["refused"] = True
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submitter), threading.Thread(target=saver)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcome == {"refused": True}
    slot = AttemptSlot.objects.get(attempt=attempt, number=2)
    assert slot.response is None and slot.mark == 0
