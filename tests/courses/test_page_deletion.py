"""Pages that anchor learning records are unpublished, not deleted; drafts can still be deleted."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager_client(mfa_client, make_person, province):
    return mfa_client(make_person(unit=province, roles=[Role.CURRICULUM_MANAGER]).user)


def test_a_published_lesson_cannot_be_deleted_in_the_admin(manager_client, make_course, make_lesson):
    course = make_course()
    lesson = make_lesson(course, "Bài đã xuất bản")
    delete_url = reverse("wagtailadmin_pages:delete", args=[lesson.pk])
    for response in (manager_client.get(delete_url), manager_client.post(delete_url)):
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    assert Page.objects.filter(pk=lesson.pk).exists()
    messages = [str(message) for message in manager_client.get(response.url).context["messages"]]
    assert any("unpublish it instead of deleting it" in message for message in messages)


def test_a_published_course_cannot_be_deleted_even_once_unpublished(manager_client, make_course):
    course = make_course()
    course.unpublish()
    response = manager_client.post(reverse("wagtailadmin_pages:delete", args=[course.pk]))
    assert response.url == reverse("wagtailadmin_pages:edit", args=[course.pk])
    assert Page.objects.filter(pk=course.pk).exists()


def test_a_never_published_course_can_be_deleted(manager_client, make_course):
    course = make_course(live=False)
    manager_client.post(reverse("wagtailadmin_pages:delete", args=[course.pk]))
    assert not Page.objects.filter(pk=course.pk).exists()


def test_a_draft_lesson_can_be_deleted(manager_client, make_course, make_lesson):
    lesson = make_lesson(make_course(), "Bản nháp", live=False)
    response = manager_client.post(reverse("wagtailadmin_pages:delete", args=[lesson.pk]))
    assert response.status_code == 302
    assert not Page.objects.filter(pk=lesson.pk).exists()


def test_the_bulk_delete_of_the_page_listing_keeps_published_pages(manager_client, make_course, make_lesson):
    course = make_course()
    published = make_lesson(course, "Bài đã xuất bản")
    draft = make_lesson(course, "Bản nháp", live=False)
    listing = reverse("wagtailadmin_explore", args=[course.pk])
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    response = manager_client.post(f"{url}?id={published.pk}&id={draft.pk}&next={listing}")
    assert response.status_code == 302 and response.url == listing
    assert Page.objects.filter(pk__in=[published.pk, draft.pk]).count() == 2  # nothing deleted
    messages = [str(message) for message in manager_client.get(listing).context["messages"]]
    assert any("Nothing was deleted" in message and "Bài đã xuất bản" in message for message in messages)

    response = manager_client.post(f"{url}?id={draft.pk}&next={listing}")
    assert not Page.objects.filter(pk=draft.pk).exists()
