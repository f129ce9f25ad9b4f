"""Trainers see and change only their own bank through the admin URLs; curriculum managers see all."""

import pytest
from django.urls import reverse

from assessments.models import Question, QuestionCategory
from assessments.services import category_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def banks(make_question, trainer, other_trainer):
    own = make_question(name="Câu hỏi của A")
    others_category = category_save(actor=other_trainer, name="Bảng tính của B")
    others = make_question(actor=other_trainer, category=others_category, name="Câu hỏi của B")
    return own, others, others_category


def test_the_question_list_shows_only_the_trainers_own_questions(client, trainer, banks):
    client.force_login(trainer)
    response = client.get(reverse("assessment_questions:index"))
    assert response.status_code == 200
    assert [question.name for question in response.context["object_list"]] == ["Câu hỏi của A"]
    assert "Câu hỏi của B" not in response.content.decode()


def test_another_trainers_question_answers_404_on_every_admin_url(client, trainer, banks):
    _own, others, others_category = banks
    client.force_login(trainer)
    for name in ("edit", "delete", "preview", "history", "usage"):
        assert client.get(reverse(f"assessment_questions:{name}", args=[others.pk])).status_code == 404, name
    for name in ("edit", "delete", "history", "usage"):
        assert client.get(reverse(f"assessment_categories:{name}", args=[others_category.pk])).status_code == 404
    response = client.post(reverse("assessment_questions:delete", args=[others.pk]))
    assert response.status_code == 404 and Question.objects.filter(pk=others.pk).exists()
    response = client.post(reverse("assessment_questions:edit", args=[others.pk]), {"name": "Đã sửa"})
    assert response.status_code == 404
    assert client.get(reverse("assessment_questions:export"), {"id": [others.pk]}).status_code == 404
    assert client.get(reverse("assessment_questions:export"), {"category": others_category.pk}).status_code == 404
    others.refresh_from_db()
    assert others.name == "Câu hỏi của B"


def test_a_trainer_cannot_file_a_question_into_another_trainers_category(client, trainer, banks, category):
    _own, others, others_category = banks
    client.force_login(trainer)
    response = client.get(reverse("assessment_questions:add"))
    assert list(response.context["form"].fields["category"].queryset) == list(
        QuestionCategory.objects.filter(owner=trainer)
    )
    # Another trainer's category is not a valid filter choice: it shows nothing of theirs.
    response = client.get(reverse("assessment_questions:index"), {"category": others_category.pk})
    assert "Câu hỏi của B" not in {question.name for question in response.context["object_list"]}
    from .test_admin_editing import form_data

    data = form_data(others_category, name="Lén", qtype="essay")
    response = client.post(reverse("assessment_questions:add"), data)
    assert response.status_code == 200 and "category" in response.context["form"].errors
    assert not Question.objects.filter(name="Lén").exists()


def test_a_curriculum_manager_sees_every_bank(mfa_client, curriculum_manager, banks):
    own, others, _category = banks
    client = mfa_client(curriculum_manager)
    response = client.get(reverse("assessment_questions:index"))
    assert {question.name for question in response.context["object_list"]} == {own.name, others.name}
    assert client.get(reverse("assessment_questions:edit", args=[others.pk])).status_code == 200


def test_a_learner_has_no_bank(client, make_person, unit_a, banks):
    learner = make_person(unit=unit_a, roles=["learner"]).user
    client.force_login(learner)
    response = client.get(reverse("assessment_questions:index"))
    assert response.status_code in (302, 403)
    assert client.get(reverse("assessment_questions:import")).status_code in (302, 403)


def test_search_and_filters(client, trainer, make_question, category):
    from assessments.choices import QuestionType

    make_question(name="Đúng sai về virus", qtype=QuestionType.TRUE_FALSE, payload={"correct": True},
                  stem="<p>Virus lây qua USB.</p>", competency_codes=["IU14"])
    make_question(name="Mật khẩu")
    client.force_login(trainer)
    index = reverse("assessment_questions:index")

    def names(**params):
        return {q.name for q in client.get(index, params).context["object_list"]}

    assert names(q="virus") == {"Đúng sai về virus"}
    assert names(q="lây qua USB") == {"Đúng sai về virus"}
    assert names(qtype=QuestionType.TRUE_FALSE) == {"Đúng sai về virus"}
    assert names(competency="iu14") == {"Đúng sai về virus"}
    assert names(category=category.pk) == {"Đúng sai về virus", "Mật khẩu"}


def test_the_lists_offer_preview_export_and_import_links(client, trainer, banks):
    own, _others, _category = banks
    client.force_login(trainer)
    html = client.get(reverse("assessment_questions:index")).content.decode()
    assert reverse("assessment_questions:preview", args=[own.pk]) in html
    assert f'{reverse("assessment_questions:export")}?id={own.pk}' in html
    html = client.get(reverse("assessment_categories:index")).content.decode()
    assert f'{reverse("assessment_questions:import")}?category={own.category_id}' in html


def test_a_category_with_questions_cannot_be_deleted(client, trainer, banks):
    own, _others, _category = banks
    client.force_login(trainer)
    client.post(reverse("assessment_categories:delete", args=[own.category_id]))
    assert QuestionCategory.objects.filter(pk=own.category_id).exists()
    empty = category_save(actor=trainer, name="Danh mục trống")
    response = client.post(reverse("assessment_categories:delete", args=[empty.pk]))
    assert response.status_code == 302 and not QuestionCategory.objects.filter(pk=empty.pk).exists()


def test_a_trainer_adds_a_sub_category_only_under_their_own(client, trainer, banks, category):
    _own, _others, others_category = banks
    client.force_login(trainer)
    response = client.post(reverse("assessment_categories:add"), {"name": "Con", "parent": others_category.pk})
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    response = client.post(reverse("assessment_categories:add"), {"name": "Mật khẩu", "parent": category.pk})
    assert response.status_code == 302
    assert QuestionCategory.objects.get(name="Mật khẩu").owner == trainer


def test_malformed_ids_answer_404_not_500(client, trainer, banks):
    own, _others, _category = banks
    client.force_login(trainer)
    edit = reverse("assessment_questions:edit", args=[own.pk])
    assert client.get(edit.replace(f"/{own.pk}/", "/abc/")).status_code == 404
    assert client.get(reverse("assessment_questions:export"), {"category": "x"}).status_code == 404
    assert client.get(reverse("assessment_questions:export"), {"id": "x"}).status_code == 404
    preview = reverse("assessment_questions:preview", args=[own.pk])
    assert client.get(preview, {"version": "x"}).status_code == 200
    assert client.get(preview, {"version": "9"}).status_code == 404


def test_an_edited_category_cannot_move_into_another_trainers_bank(curriculum_manager, banks, category):
    from django.core.exceptions import ValidationError

    _own, _others, others_category = banks
    with pytest.raises(ValidationError):
        category_save(actor=curriculum_manager, name=category.name, parent=others_category, category=category)
