"""The H5P TrueFalse activity (h5p app; its other tests are in tests/h5p/) in a real browser (Playwright + Debian's chromium): the lesson on the
LMS host embeds the player from the content host (the same live server under a second host name),
the learner answers, and the attempts the bridge forwards are stored and graded."""

import time
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client

from h5p.models import H5PAttempt
from h5p.selectors import grade_of
from tests.browser.h5p import H5PTrace, h5p_question_frame, h5p_status
from tests.cms.conftest import make_course, make_lesson, trainer  # noqa: F401 (fixtures)
from tests.h5p.conftest import english, h5p_content, h5p_lesson, learner, media_root, truefalse_bytes  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def two_origins(live_server, settings):
    """The LMS at the live server's address; the content origin at the same port under the other name."""
    parts = urlsplit(live_server.url)
    other = "127.0.0.1" if parts.hostname == "localhost" else "localhost"
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    settings.H5P_CONTENT_ORIGIN = f"{parts.scheme}://{other}:{parts.port}"
    return live_server.url, settings.H5P_CONTENT_ORIGIN


def _log_in(page, user, lms_url):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": lms_url}])


def _wait_for_attempts(person, content, count):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        attempts = list(H5PAttempt.objects.filter(person=person, content=content).order_by("id"))
        if len(attempts) >= count:
            return attempts
        time.sleep(0.25)
    raise AssertionError(f"expected {count} stored attempts")


def _answer(page, answer):
    frame = h5p_question_frame(page, seconds=20)
    frame.get_by_role("radio", name=answer).click()
    frame.get_by_role("button", name="Check").click()
    return frame


def test_answering_the_truefalse_activity_stores_attempts_and_keeps_the_highest_grade(
    two_origins, page, shot, learner, h5p_content, h5p_lesson
):
    lms_url, content_origin = two_origins
    _course, lesson = h5p_lesson
    _log_in(page, learner.user, lms_url)
    trace = H5PTrace(page)

    page.goto(lms_url + lesson.url)
    frame_element = page.locator("iframe.h5p-frame")
    assert frame_element.get_attribute("src").startswith(content_origin + "/player/")
    assert frame_element.get_attribute("sandbox") == "allow-scripts allow-same-origin"
    question = h5p_question_frame(page, seconds=20)
    assert question.get_by_text("Is this false?").is_visible()
    shot("lesson with the H5P question")

    _answer(page, "False")
    attempts = _wait_for_attempts(learner, h5p_content, 1)
    assert attempts[0].scaled == Decimal("1")
    h5p_status(page, trace)
    shot("answered False: correct, stored")

    # A retry: the learner opens the lesson again and answers wrongly this time.
    page.reload()
    h5p_question_frame(page, seconds=20)
    shot("retry")
    _answer(page, "True")
    attempts = _wait_for_attempts(learner, h5p_content, 2)
    assert [attempt.scaled for attempt in attempts] == [Decimal("1"), Decimal("0")]
    assert grade_of(person=learner, content=h5p_content).scaled == Decimal("1")
    shot("answered True: wrong, stored; the grade stays 1.0")
    assert not [text for text in trace.messages if "Content Security Policy" in text], trace.messages
