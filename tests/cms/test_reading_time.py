"""A lesson's estimated reading time: the body's words at 200 a minute, rounded up, at least one minute."""

import pytest


def paragraph(words):
    return "<p>" + " ".join(["chữ"] * words) + "</p>"


@pytest.mark.django_db
def test_a_short_lesson_takes_at_least_a_minute(it_track, make_course, make_lesson):
    lesson = make_lesson(make_course(track=it_track), body=[("heading", {"text": "Mở đầu", "level": "h2"})])
    assert lesson.reading_minutes == 1


@pytest.mark.django_db
def test_words_of_every_block_count_and_markup_does_not(make_course, make_lesson):
    body = [
        ("text", paragraph(300)),
        ("callout", {"kind": "tip", "text": paragraph(60)}),
        ("code", {"language": "bash", "code": " ".join(["ls"] * 40)}),
        ("steps", {"title": "", "steps": [{"text": paragraph(1), "screenshot": None, "screenshot_alt": ""}]}),
    ]
    lesson = make_lesson(make_course(), body=body)
    assert lesson.reading_minutes == 3  # 401 words → 2.005 minutes, rounded up

    lesson.body = [("text", paragraph(400))]
    assert lesson.reading_minutes == 2
