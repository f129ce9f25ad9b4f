"""Survey fixtures: a trainer's diagnostic quiz with questions tagged IU01–IU06, an open survey with two
statements per module, and helpers that take the quiz and answer the survey through the services."""

import datetime

import pytest
from django.utils import timezone, translation
from wagtail.models import Page, Site

from accounts.roles import Role
from assessments.choices import QuestionType
from assessments.models import Quiz, QuizQuestion
from assessments.quizzes.services import answers_save, attempt_start, attempt_submit
from assessments.services import category_save, question_save
from courses.models import Course
from courses.tracks import Track
from placement.models import Survey, SurveyItem
from placement.modules import MODULE_CODES

# Question layout of the diagnostic quiz: (tags, mark). IU06 has no question, IU01 two of different
# marks, and one question counts for IU03 and IU04 at once.
LAYOUT = (
    (["IU01"], 1), (["IU01"], 3), (["IU02"], 1), (["IU03", "IU04"], 2), (["IU04"], 1), (["IU05"], 1),
)


@pytest.fixture(autouse=True)
def english(client):
    """Messages are asserted in English (the msgids), whatever the Vietnamese catalogue holds."""
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def trainer(make_person, province):
    return make_person(unit=province, roles=[Role.TRAINER], full_name="Lê Văn Giảng").user


@pytest.fixture
def diagnostic_quiz(trainer):
    category = category_save(actor=trainer, name="Chẩn đoán")
    quiz = Quiz(owner=trainer, title="Chẩn đoán CNTT", shuffle_questions=False, shuffle_options=False)
    quiz.full_clean()
    quiz.save()
    for position, (codes, mark) in enumerate(LAYOUT):
        question = question_save(
            actor=trainer, category=category, name=f"Câu {position + 1}", qtype=QuestionType.SINGLE_CHOICE,
            stem=f"<p>Câu hỏi {position + 1}</p>",
            payload={"options": [{"text": "Đúng", "fraction": 1}, {"text": "Sai", "fraction": 0}]},
            default_mark=mark, competency_codes=codes,
        )
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=position)
    return quiz


def make_survey(*, quiz=None, title="Khảo sát 2026", opens_at=None, **fields) -> Survey:
    survey = Survey(title=title, diagnostic_quiz=quiz, opens_at=opens_at, **fields)
    survey.full_clean()
    survey.save()
    for position, code in enumerate(code for code in MODULE_CODES for _ in range(2)):
        SurveyItem.objects.create(survey=survey, module_code=code, text=f"Tôi làm được việc {position} của {code}",
                                  sort_order=position)
    return survey


@pytest.fixture
def survey(diagnostic_quiz):
    return make_survey(quiz=diagnostic_quiz, opens_at=timezone.now() - datetime.timedelta(days=30))


def ratings_for(survey, by_module: dict[str, int] | int) -> dict[int, int]:
    """Item id → rating: one rating for every statement, or one per module code."""
    items = survey.items.all()
    if isinstance(by_module, int):
        return {item.pk: by_module for item in items}
    return {item.pk: by_module[item.module_code] for item in items}


def take_quiz(person, quiz, right: set[int], *, now=None):
    """An attempt answered right exactly on the questions at these positions (0-based, quiz order)."""
    attempt = attempt_start(person=person, quiz=quiz, now=now)
    position = {row.question.current_version_id: index for index, row in enumerate(
        quiz.fixed_questions.select_related("question").order_by("sort_order"))}
    responses = {}
    for slot in attempt.slots.select_related("version"):
        options = slot.version.payload["options"]
        good = next(option["id"] for option in options if option["fraction"] == 1)
        bad = next(option["id"] for option in options if option["fraction"] == 0)
        responses[slot.number] = {"choice": good if position[slot.version_id] in right else bad}
    answers_save(attempt=attempt, responses=responses, now=now)
    return attempt_submit(attempt=attempt, now=now)


def make_course(code: str, competency_codes: list[str], *, access_mode="open", live=True) -> Course:
    root = Site.objects.get(is_default_site=True).root_page
    page = root.add_child(instance=Page(title=code, slug=code.lower()))
    return Course.objects.create(
        page=page, code=code, title=f"Khoá {code}", track=Track.choices[0][0], access_mode=access_mode,
        competency_codes=competency_codes, is_live=live,
    )
