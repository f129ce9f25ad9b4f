"""A second tab continues the same attempt; two tabs saving the same answer: the latest wins."""

import pytest
from django.test import Client

from assessments.models import Attempt

from .conftest import autosave, start

pytestmark = pytest.mark.django_db


def test_starting_again_continues_the_open_attempt(quiz, learner, learner_client):
    first = start(learner_client, quiz)
    second_tab = Client()
    second_tab.force_login(learner.user)
    again = start(second_tab, quiz)
    assert again.pk == first.pk
    assert Attempt.objects.filter(quiz=quiz, person=learner).count() == 1


def test_two_tabs_writing_the_same_answer_keep_the_latest(quiz, learner, learner_client):
    attempt = start(learner_client, quiz)
    second_tab = Client()
    second_tab.force_login(learner.user)
    assert autosave(learner_client, attempt, 2, {"value": True}).status_code == 200
    assert autosave(second_tab, attempt, 2, {"value": False}).status_code == 200
    assert autosave(learner_client, attempt, 3, {"matches": {}}).status_code == 200
    assert attempt.slots.get(number=2).response == {"value": False}
    assert attempt.slots.count() == 3
