"""Publishes the demo courses: creates what is missing and updates what differs, keyed by course code.

Running it again changes nothing when the content is unchanged: pages are matched by course code
(courses) or by slug under their parent (sections and lessons), pictures by title in their own
collection, and a page gets a new revision only when one of its fields differs from the content.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from accounts.roles import Role
from assessments.demo import demo_quiz_ensure
from cms.models import CourseAudience, CoursePage, LessonPage, SectionPage, TrackPage
from organisations.demo import DEMO_ACCOUNTS

from .spec import Course, DemoQuizRef, Lesson, PictureRef, Section

COLLECTION_NAME = "Khoá học mẫu"
DEMO_TRAINER_USERNAMES = tuple(account.username for account in DEMO_ACCOUNTS if Role.TRAINER in account.roles)


@dataclass
class DemoCoursesResult:
    pages_created: int = 0
    pages_updated: int = 0
    images_created: int = 0


@transaction.atomic
def demo_courses_ensure(*, courses: list[Course]) -> DemoCoursesResult:
    result = DemoCoursesResult()
    collection = _collection()
    trainers = list(
        get_user_model().objects.filter(username__in=DEMO_TRAINER_USERNAMES, groups__name=Role.TRAINER.value)
    )
    for course in courses:
        _course_ensure(course, collection=collection, trainers=trainers, result=result)
    return result


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name=COLLECTION_NAME).first()
    return existing or root.add_child(name=COLLECTION_NAME)


def _pictures_ensure(course: Course, *, collection: Collection, result: DemoCoursesResult) -> dict[str, Any]:
    image_model = get_image_model()
    images = {}
    for key, picture in course.pictures.items():
        image = image_model.objects.filter(collection=collection, title=picture.title).first()
        if image is None:
            data = picture.draw()
            image = image_model(
                title=picture.title,
                collection=collection,
                file=ImageFile(io.BytesIO(data), name=f"{course.slug}-{key}.png"),
            )
            image.full_clean()
            image.save()
            result.images_created += 1
        images[key] = image
    return images


def _course_ensure(course: Course, *, collection: Collection, trainers: list, result: DemoCoursesResult) -> None:
    images = _pictures_ensure(course, collection=collection, result=result)
    fields = {
        "title": course.title,
        "summary": course.summary,
        "level": course.level,
        "estimated_hours": course.estimated_hours,
        "access_mode": course.access_mode,
        "competency_codes": list(course.competency_codes),
        "cover_image": images[course.cover],
        "description": _stream(CoursePage, "description", course.description, images),
    }
    relations = {
        "audiences": list(CourseAudience.objects.filter(code__in=course.audiences)),
        "trainers": trainers,
    }
    page = CoursePage.objects.filter(code=course.code).first()
    if page is None:
        track = TrackPage.objects.get(track=course.track)
        page = CoursePage(code=course.code, slug=course.slug, **fields)
        _set_relations(page, relations)
        track.add_child(instance=page)
        _publish(page)
        result.pages_created += 1
    else:
        _update(page, fields, relations, result)
    for part in course.parts:
        if isinstance(part, Section):
            section = _child_ensure(page, SectionPage, part.slug, {"title": part.title, "intro": part.intro}, result)
            for lesson in part.lessons:
                _lesson_ensure(section, lesson, images, result)
        else:
            _lesson_ensure(page, part, images, result)


def _lesson_ensure(parent: Page, lesson: Lesson, images: dict[str, Any], result: DemoCoursesResult) -> None:
    fields = {
        "title": lesson.title,
        "is_required": lesson.is_required,
        "body": _stream(LessonPage, "body", lesson.body, images),
    }
    _child_ensure(parent, LessonPage, lesson.slug, fields, result)


def _child_ensure(parent: Page, model, slug: str, fields: dict, result: DemoCoursesResult) -> Page:
    page = model.objects.child_of(parent).filter(slug=slug).first()
    if page is None:
        page = model(slug=slug, **fields)
        parent.add_child(instance=page)
        _publish(page)
        result.pages_created += 1
    else:
        _update(page, fields, {}, result)
    return page


def _update(page: Page, fields: dict, relations: dict, result: DemoCoursesResult) -> None:
    changed = {name: value for name, value in fields.items() if _comparable(getattr(page, name)) != _comparable(value)}
    changed_relations = {
        name: items
        for name, items in relations.items()
        if {item.pk for item in getattr(page, name).all()} != {item.pk for item in items}
    }
    if not changed and not changed_relations and page.live and not page.has_unpublished_changes:
        return
    for name, value in changed.items():
        setattr(page, name, value)
    _set_relations(page, changed_relations)
    _publish(page)
    result.pages_updated += 1


def _set_relations(page: Page, relations: dict) -> None:
    for name, items in relations.items():
        setattr(page, name, items)


def _publish(page: Page) -> None:
    page.save_revision().publish()
    page.refresh_from_db()


def _stream(model, field_name: str, blocks: list, images: dict[str, Any]):
    """The content's blocks as a StreamValue of the model's field, pictures replaced by their images."""
    stream_block = model._meta.get_field(field_name).stream_block
    raw = [{"type": kind, "value": _resolve(value, images)} for kind, value in blocks]
    # Without the demo trainer there is no demo quiz: its block is left out until a later run.
    raw = [block for block in raw if not (block["type"] == "quiz" and block["value"]["quiz"] is None)]
    return stream_block.to_python(raw)


def _resolve(value, images: dict[str, Any]):
    if isinstance(value, PictureRef):
        return images[value.key].pk
    if isinstance(value, DemoQuizRef):
        quiz = demo_quiz_ensure()
        return quiz.pk if quiz is not None else None
    if isinstance(value, dict):
        return {name: _resolve(item, images) for name, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, images) for item in value]
    return value


def _comparable(value):
    """A value with StreamField block ids removed, so equal content compares equal."""
    if hasattr(value, "stream_block"):
        return _without_ids(value.stream_block.get_prep_value(value))
    if hasattr(value, "pk"):
        return value.pk
    return value


def _without_ids(data):
    if isinstance(data, dict):
        return {name: _without_ids(item) for name, item in data.items() if name != "id"}
    if isinstance(data, list):
        return [_without_ids(item) for item in data]
    return data
