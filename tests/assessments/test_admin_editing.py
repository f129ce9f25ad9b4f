"""Adding and editing questions in the admin goes through the service: versions, validation, preview."""

import re

import pytest
from django.urls import reverse

from assessments.models import Question
from assessments.services import question_version_mark_used

pytestmark = pytest.mark.django_db


def rich(text):
    """What the Draftail widget posts for one paragraph."""
    import json

    return json.dumps({"blocks": [{"key": "a1b2c", "type": "unstyled", "depth": 0, "text": text,
                                   "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}})


def unkeyed(html):
    """Draftail stores block keys; the text is what matters here."""
    return re.sub(r' data-block-key="[^"]*"', "", html)


def form_data(category, *, rows=(), **fields):
    data = {
        "name": "Phím tắt sao chép", "category": category.pk, "qtype": "single_choice",
        "stem": rich("Phím tắt để sao chép là gì?"), "default_mark": "1", "competency_codes": "IU03",
        "shuffle": "on", "ignore_case": "on", "correct": "", "feedback_true": "", "feedback_false": "",
        "response_template": "", "grader_info": "", "general_feedback": rich(""),
        "options-TOTAL_FORMS": "6", "options-INITIAL_FORMS": "0", "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "50",
    }
    for index in range(6):
        row = rows[index] if index < len(rows) else {}
        for key in ("text", "match", "fraction", "tolerance", "feedback"):
            data[f"options-{index}-{key}"] = row.get(key, "")
    data.update(fields)
    return data


CHOICES = [{"text": "Ctrl+C", "fraction": "100", "feedback": "Đúng."}, {"text": "Ctrl+V"}, {"text": "Ctrl+X"}]


def test_a_trainer_adds_a_question_through_the_form(client, trainer, category):
    client.force_login(trainer)
    response = client.post(reverse("assessment_questions:add"), form_data(category, rows=CHOICES))
    assert response.status_code == 302, response.context["form"].errors
    question = Question.objects.get()
    assert question.owner == trainer and question.competency_codes == ["IU03"]
    version = question.current_version
    assert unkeyed(version.stem) == "<p>Phím tắt để sao chép là gì?</p>"
    assert [(o["text"], o["fraction"]) for o in version.payload["options"]] == [
        ("Ctrl+C", 1.0), ("Ctrl+V", 0.0), ("Ctrl+X", 0.0)
    ]


def test_invalid_content_is_shown_on_the_form_and_nothing_is_saved(client, trainer, category):
    client.force_login(trainer)
    rows = [{"text": "Ctrl+C", "fraction": "100"}, {"text": "Ctrl+V", "fraction": "100"}]
    response = client.post(reverse("assessment_questions:add"), form_data(category, rows=rows))
    assert response.status_code == 200
    assert "exactly one option worth 100%" in response.content.decode()
    data = form_data(category, rows=CHOICES, competency_codes="X1")
    response = client.post(reverse("assessment_questions:add"), data)
    assert "is not a competency code" in response.content.decode()
    assert not Question.objects.exists()


def test_editing_a_used_question_in_the_admin_keeps_the_old_version(client, trainer, category):
    client.force_login(trainer)
    client.post(reverse("assessment_questions:add"), form_data(category, rows=CHOICES))
    question = Question.objects.get()
    shown = question.current_version
    question_version_mark_used(version=shown)

    edit_url = reverse("assessment_questions:edit", args=[question.pk])
    page = client.get(edit_url)
    assert page.status_code == 200 and "past attempts keep the text they saw" in page.content.decode()
    assert page.context["form"].options.initial[0] == {"text": "Ctrl+C", "fraction": 100, "feedback": "Đúng."}
    response = client.post(edit_url, form_data(category, rows=CHOICES, stem=rich("Tổ hợp phím để sao chép?")))
    assert response.status_code == 302

    question.refresh_from_db()
    shown.refresh_from_db()
    assert question.current_version.number == 2
    assert unkeyed(question.current_version.stem) == "<p>Tổ hợp phím để sao chép?</p>"
    assert unkeyed(shown.stem) == "<p>Phím tắt để sao chép là gì?</p>"


def test_the_preview_shows_the_learner_view_and_the_key_to_the_trainer(client, trainer, make_question):
    question = make_question()
    client.force_login(trainer)
    response = client.get(reverse("assessment_questions:preview", args=[question.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mật khẩu nào mạnh nhất?" in html and "Ngày sinh của mình" in html
    assert "Answers and feedback (trainers only)" in html and "100%" in html


def test_a_used_question_cannot_be_deleted(client, trainer, make_question):
    question = make_question()
    question_version_mark_used(version=question.current_version)
    client.force_login(trainer)
    response = client.post(reverse("assessment_questions:delete", args=[question.pk]))
    assert Question.objects.filter(pk=question.pk).exists()
    assert response.status_code == 200


def test_an_unused_question_is_deleted(client, trainer, make_question):
    question = make_question()
    client.force_login(trainer)
    response = client.post(reverse("assessment_questions:delete", args=[question.pk]))
    assert response.status_code == 302 and not Question.objects.exists()
