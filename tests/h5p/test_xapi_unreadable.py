"""Statements the server cannot read or store are refused with a 400 {"error": ...}, never a server
error: JSON nested deep enough to exhaust the recursion limit, a NUL character (PostgreSQL cannot store
one); and a score whose max rounds to zero at four places is no score (no attempt), not a division by zero."""

import json

import pytest
from django.urls import reverse

from h5p.models import H5PAttempt, H5PStatement
from h5p.selectors import grade_of

from .test_xapi import statement

pytestmark = pytest.mark.django_db


def post(client, content, data):
    client.cookies["django_language"] = "en"
    return client.post(
        reverse("h5p_statement_create", args=[content.pk]), data=data, content_type="application/json"
    )


@pytest.mark.parametrize(("body", "error"), [
    (b'{"slot":1,"response":' + b"[" * 3000 + b"]" * 3000 + b"}", "The request's JSON is nested too deeply."),
    (json.dumps(statement(1, extensions={"http://x/e": {"k\x00": 1}})),
     "The request contains a NUL character, which cannot be stored."),
    (json.dumps(statement(1, actor="a\x00b@example.com")),
     "The request contains a NUL character, which cannot be stored."),
    (b"{not json", "The request is not valid JSON."),
], ids=["deeply-nested", "nul-in-key", "nul-in-value", "malformed"])
def test_unreadable_statements_are_a_400_and_nothing_is_recorded(client, learner, h5p_content, body, error):
    client.force_login(learner.user)
    response = post(client, h5p_content, body)
    assert response.status_code == 400
    assert response.json() == {"error": error}
    assert not H5PStatement.objects.exists()


@pytest.mark.parametrize("maximum", [0.00001, "0.00004999"])
def test_a_max_that_rounds_to_zero_is_no_score(client, learner, h5p_content, maximum):
    client.force_login(learner.user)
    response = post(client, h5p_content, json.dumps(statement(0.00001, maximum)))
    assert response.status_code == 201
    assert response.json()["attempt"] is None
    assert H5PStatement.objects.filter(person=learner).count() == 1
    assert not H5PAttempt.objects.exists() and grade_of(person=learner, content=h5p_content) is None


def test_a_max_that_rounds_up_to_the_smallest_step_still_scores(client, learner, h5p_content):
    client.force_login(learner.user)
    response = post(client, h5p_content, json.dumps(statement(1, 0.00005)))
    assert response.status_code == 201
    assert response.json()["attempt"] == {"scaled": "1.0000"}
