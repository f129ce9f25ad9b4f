"""Dataset P (province scale) for the benchmark: `python -m bench.dataset --scale S` inside bench/run.py's environment.

At scale 1.0: 100,000 people in the demo province's tree (seed_demo's bulk path), 500 courses, 2,000,000
enrolments, 1,000,000 finished quiz attempts with 10,000,000 answers (AttemptSlot rows), assignments for the
assigned enrolments, then the rollups (reports.rollups_rebuild). The big tables are written by PostgreSQL itself
(INSERT ... SELECT over generate_series), never row by row from Python; the few objects that need the product's
own rules (the exam quiz, its questions, a published course page placing it) go through the product's services.

Prints one JSON line: what was created and how long each step took.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
django.setup()

from decimal import Decimal  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from accounts.models import User  # noqa: E402
from assessments.choices import QuestionType  # noqa: E402
from assessments.models import Quiz, QuizQuestion  # noqa: E402
from assessments.services import category_save, question_save  # noqa: E402
from cms.models import CoursePage, LessonPage, TrackPage  # noqa: E402
from courses.tracks import Track  # noqa: E402
from courses.models import Course  # noqa: E402

QUIZZES = 20  # attempts are spread over this many quizzes (one attempt per person and quiz)
QUESTIONS = 10  # answers per attempt
EXAM_TITLE = "Bench: kiểm tra cuối khoá"
EXAM_COURSE_TITLE = "Bench: khoá có bài kiểm tra"


def sizes(scale: float) -> dict[str, int]:
    people = max(200, round(100_000 * scale))
    return {
        "people": people,
        "courses": max(25, round(500 * scale)),
        "enrolments_per_person": 20,  # 2,000,000 / 100,000
        "attempts_per_person": 10,  # 1,000,000 / 100,000, each of QUESTIONS answers: 10,000,000
    }


def step(timings: dict, name: str, started: float) -> float:
    now = time.monotonic()
    timings[name] = round(now - started, 2)
    print(f"[dataset] {name}: {timings[name]} s", flush=True)
    return now


def sql(statement: str, params=None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params if params is not None else [])
        return cursor.rowcount


def scalar(statement: str, params=None):
    with connection.cursor() as cursor:
        cursor.execute(statement, params if params is not None else [])
        return cursor.fetchone()[0]


def publish(page):
    revision = page.save_revision()
    revision.publish()
    page.refresh_from_db()
    return page


@transaction.atomic
def exam_fixture() -> dict:
    """The exam: QUESTIONS single-choice questions in the demo trainer's bank, QUIZZES quizzes using them, the
    first placed in a live lesson of an open course (so learners may start it through the product's rules)."""
    trainer = User.objects.get(username="demo.giangvien")
    category = category_save(actor=trainer, name="Bench: an toàn thông tin")
    questions = [
        question_save(
            actor=trainer,
            category=category,
            name=f"Câu hỏi {number}",
            qtype=QuestionType.SINGLE_CHOICE,
            stem=f"<p>Câu hỏi số {number}: mật khẩu nào mạnh nhất?</p>",
            payload={"options": [
                {"text": "Mật khẩu dài, có chữ hoa, chữ thường, số và ký tự đặc biệt", "fraction": 1},
                {"text": "Ngày sinh của mình", "fraction": 0},
                {"text": "123456", "fraction": 0},
                {"text": "Tên đăng nhập", "fraction": 0},
            ]},
        )
        for number in range(1, QUESTIONS + 1)
    ]
    quizzes = []
    for number in range(QUIZZES):
        quiz = Quiz(owner=trainer, title=EXAM_TITLE if number == 0 else f"Bench: quiz {number}",
                    shuffle_questions=False, time_limit_minutes=60, max_attempts=None,
                    pass_mark=Decimal("50"))
        quiz.full_clean()
        quiz.save()
        for position, question in enumerate(questions):
            QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=position)
        quizzes.append(quiz)
    track = TrackPage.objects.get(track=Track.GENERAL)
    page = CoursePage(title=EXAM_COURSE_TITLE, code="BENCH-EXAM", summary="Khoá học của bộ đo hiệu năng.",
                      estimated_hours=Decimal("2"), access_mode="open", live=True)
    track.add_child(instance=page)
    publish(page)
    lesson = page.add_child(instance=LessonPage(
        title="Bài kiểm tra", live=True,
        body=[("text", "<p>Bài kiểm tra cuối khoá.</p>"), ("quiz", {"quiz": quizzes[0], "required": True})],
    ))
    publish(lesson)
    course = Course.objects.get(page_id=page.pk)
    return {"exam_quiz": quizzes[0].pk, "quizzes": [quiz.pk for quiz in quizzes], "exam_course": course.pk,
            "exam_lesson_page": lesson.pk}


def extra_courses(count: int) -> int:
    """Course anchors on bare (unpublished) Wagtail pages under the root page: enough for the records'
    foreign keys, never shown on the site. Paths 'Y' + 3 base-36 characters after the root's path."""
    existing = Course.objects.count()
    wanted = max(0, count - existing)
    if not wanted:
        return 0
    columns = [
        row[0] for row in connection.introspection.get_table_description(connection.cursor(), "wagtailcore_page")
    ]
    root = scalar("SELECT id FROM wagtailcore_page WHERE depth = 1 ORDER BY id LIMIT 1")
    template = scalar("SELECT id FROM wagtailcore_page WHERE depth = 2 ORDER BY id LIMIT 1")
    overrides = {
        "id": None,
        "path": "(SELECT path FROM wagtailcore_page WHERE id = %(root)s) || 'Y' || "
                "substr(a, n / 1296 %% 36 + 1, 1) || substr(a, n / 36 %% 36 + 1, 1) || substr(a, n %% 36 + 1, 1)",
        "depth": "2",
        "numchild": "0",
        "title": "'Bench course ' || n",
        "draft_title": "'Bench course ' || n",
        "slug": "'bench-course-' || n",
        "url_path": "'/bench-course-' || n || '/'",
        "live": "false",
        "has_unpublished_changes": "false",
        "live_revision_id": "NULL",
        "latest_revision_id": "NULL",
        "translation_key": "gen_random_uuid()",
        "alias_of_id": "NULL",
        "content_type_id": "(SELECT id FROM django_content_type WHERE app_label = 'wagtailcore' AND model = 'page')",
    }
    names = [column for column in columns if overrides.get(column, "") is not None]
    values = [overrides.get(column, f"p.{column}") for column in names]
    with transaction.atomic():
        sql(
            f"INSERT INTO wagtailcore_page ({', '.join(names)}) "
            f"SELECT {', '.join(values)} FROM wagtailcore_page p, generate_series(0, %(wanted)s - 1) n, "
            f"(SELECT '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'::text a) alphabet WHERE p.id = %(template)s",
            {"root": root, "template": template, "wanted": wanted},
        )
        sql("UPDATE wagtailcore_page SET numchild = (SELECT count(*) FROM wagtailcore_page c WHERE c.depth = 2) "
            "WHERE id = %s", [root])
        sql(
            """INSERT INTO courses_course (page_id, code, title, track, access_mode, estimated_hours,
                   competency_codes, is_live, synced_at)
               SELECT p.id, 'BC-' || p.id, p.title,
                   (ARRAY['leaders_cio','it_staff','general','open_source','farmers'])[1 + p.id %% 5],
                   'open', 2 + p.id %% 6, '[]'::jsonb, true, now()
               FROM wagtailcore_page p WHERE p.slug LIKE 'bench-course-%%'
                   AND NOT EXISTS (SELECT 1 FROM courses_course c WHERE c.page_id = p.id)"""
        )
    return wanted


def enrolments(per_person: int, exam_course: int) -> int:
    """per_person distinct courses per person, spread over the last 365 days; 40% completed, some withdrawn."""
    sql("CREATE TEMP TABLE bench_courses AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM courses_course "
        "WHERE id <> %s", [exam_course])
    sql("CREATE TEMP TABLE bench_people AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM organisations_person")
    courses = scalar("SELECT count(*) FROM bench_courses")
    per_person = min(per_person, courses)
    created = sql(
        """INSERT INTO courses_enrolment (person_id, course_id, source, status, enrolled_at, completed_at)
           SELECT p.id, c.id,
               CASE WHEN (p.i + k) %% 2 = 0 THEN 'assignment' ELSE 'self' END,
               CASE WHEN (p.i * 7 + k) %% 10 < 4 THEN 'completed' WHEN (p.i + k) %% 50 = 0 THEN 'withdrawn' ELSE 'active' END,
               e.at,
               CASE WHEN (p.i * 7 + k) %% 10 < 4 THEN e.at + ((p.i + k) %% 30) * interval '1 day' END
           FROM bench_people p
           CROSS JOIN generate_series(0, %s - 1) k
           JOIN bench_courses c ON c.i = (p.i + k) %% %s
           CROSS JOIN LATERAL (SELECT now() - interval '400 days' + ((p.i * 13 + k * 17) %% 365) * interval '1 day'
                               + (p.i %% 86400) * interval '1 second' AS at) e
           ON CONFLICT DO NOTHING""",
        [per_person, courses],
    )
    sql(
        """INSERT INTO courses_assignment (course_id, person_id, assigned_by_id, due_date, created_at)
           SELECT e.course_id, e.person_id, (SELECT id FROM accounts_user WHERE username = 'demo.canbodaotao'), (e.enrolled_at + interval '60 days')::date, e.enrolled_at
           FROM courses_enrolment e WHERE e.source = 'assignment' ON CONFLICT DO NOTHING"""
    )
    return created


def attempts(per_person: int, quizzes: list[int]) -> tuple[int, int]:
    """per_person finished attempts per person (one per quiz, number 1), QUESTIONS answered slots each."""
    sql("CREATE TEMP TABLE bench_quizzes AS SELECT row_number() OVER (ORDER BY id) - 1 AS i, id FROM assessments_quiz "
        "WHERE id = ANY(%s)", [quizzes])
    per_person = min(per_person, len(quizzes) - 1)
    made = sql(
        """INSERT INTO assessments_attempt (quiz_id, person_id, number, state, started_at, deadline, submitted_at,
               current_page, score, max_score, fraction, needs_manual_grading)
           SELECT q.id, p.id, 1, 'submitted', t.at, t.at + interval '60 minutes', t.at + interval '20 minutes', 1,
               s.right_answers, %s, s.right_answers::float / %s, false
           FROM bench_people p
           CROSS JOIN generate_series(1, %s) k
           JOIN bench_quizzes q ON q.i = (p.i + k) %% %s
           CROSS JOIN LATERAL (SELECT now() - interval '300 days' + ((p.i * 11 + k * 5) %% 300) * interval '1 day' AS at) t
           CROSS JOIN LATERAL (SELECT (p.i + k * 3) %% (%s + 1) AS right_answers) s""",
        [QUESTIONS, QUESTIONS, per_person, len(quizzes), QUESTIONS],
    )
    # One slot per quiz question; slot n is right when n <= the attempt's score.
    answers = sql(
        """INSERT INTO assessments_attemptslot (attempt_id, number, page, version_id, max_mark, option_order, response,
               saved_at, fraction, mark, feedback_ids)
           SELECT a.id, v.n, 1, v.version_id, 1, v.option_order,
               jsonb_build_object('choice', CASE WHEN v.n <= a.score THEN v.option_order->>0 ELSE v.option_order->>1 END),
               a.started_at + v.n * interval '1 minute',
               CASE WHEN v.n <= a.score THEN 1 ELSE 0 END, CASE WHEN v.n <= a.score THEN 1 ELSE 0 END,
               '[]'::jsonb
           FROM assessments_attempt a
           JOIN (SELECT qq.quiz_id, row_number() OVER (PARTITION BY qq.quiz_id ORDER BY qq.sort_order) AS n,
                        qv.id AS version_id,
                        (SELECT jsonb_agg(o->>'id') FROM jsonb_array_elements(qv.payload->'options') o) AS option_order
                 FROM assessments_quizquestion qq
                 JOIN assessments_question qn ON qn.id = qq.question_id
                 JOIN assessments_questionversion qv ON qv.id = qn.current_version_id) v ON v.quiz_id = a.quiz_id
           WHERE a.quiz_id = ANY(%s) AND a.state = 'submitted'""",
        [quizzes],
    )
    return made, answers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    size = sizes(args.scale)
    timings: dict[str, float] = {}
    started = time.monotonic()
    call_command("seed_demo", people=size["people"], verbosity=0, stdout=open(os.devnull, "w"))
    started = step(timings, "people (seed_demo bulk path)", started)
    call_command("seed_demo_courses", verbosity=0, stdout=open(os.devnull, "w"))
    call_command("seed_demo_learning", verbosity=0, stdout=open(os.devnull, "w"))
    exam = exam_fixture()
    started = step(timings, "demo courses and the exam (product services)", started)
    extra_courses(size["courses"])
    started = step(timings, "courses (generate_series)", started)
    enrolled = enrolments(size["enrolments_per_person"], exam["exam_course"])
    started = step(timings, "enrolments and assignments (generate_series)", started)
    made, answers = attempts(size["attempts_per_person"], exam["quizzes"])
    started = step(timings, "attempts and answers (generate_series)", started)
    sql("ANALYZE")
    from reports.rollups import rollups_rebuild

    rollups_rebuild()
    step(timings, "rollups_rebuild", started)
    counts = {
        table: scalar(f"SELECT count(*) FROM {table}")
        for table in ("organisations_person", "organisations_organisationunit", "courses_course", "courses_enrolment",
                      "courses_assignment", "assessments_attempt", "assessments_attemptslot", "reports_dailyfigures",
                      "reports_monthlyfigures")
    }
    print(json.dumps({"scale": args.scale, "sizes": size, "exam": exam, "timings": timings, "counts": counts,
                      "enrolments_created": enrolled, "attempts_created": made, "answers_created": answers}))


if __name__ == "__main__":
    main()
