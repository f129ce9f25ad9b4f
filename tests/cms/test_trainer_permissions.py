"""A trainer edits only the courses that list them as trainer (and those courses' sections and lessons)."""

import pytest
from django.urls import reverse
from wagtail.models import Page


@pytest.fixture
def two_courses(make_course, make_section, make_lesson, trainer, other_trainer):
    own = make_course(trainers=[trainer], title="Khoá của tôi")
    others = make_course(trainers=[other_trainer], title="Khoá của người khác")
    own_lesson = make_lesson(make_section(own))
    others_lesson = make_lesson(make_section(others))
    return own, others, own_lesson, others_lesson


@pytest.mark.django_db
def test_a_trainer_can_edit_their_own_course_and_its_lessons_but_not_another_trainers(trainer, two_courses):
    own, others, own_lesson, others_lesson = two_courses
    assert own.permissions_for_user(trainer).can_edit()
    assert own_lesson.permissions_for_user(trainer).can_edit()
    assert own.permissions_for_user(trainer).can_add_subpage()

    assert not others.permissions_for_user(trainer).can_edit()
    assert not others_lesson.permissions_for_user(trainer).can_edit()
    assert not others_lesson.get_parent().permissions_for_user(trainer).can_edit()
    assert not others.permissions_for_user(trainer).can_add_subpage()
    assert not others.permissions_for_user(trainer).can_delete()
    # The admin's listings hold plain Page objects: the narrowing applies to them too.
    assert not Page.objects.get(pk=others.pk).permissions_for_user(trainer).can_edit()


@pytest.mark.django_db
def test_a_trainer_may_start_a_course_in_any_track_and_edit_the_course_they_created(make_course, trainer):
    draft = make_course(live=False, owner=trainer)
    assert draft.get_parent().permissions_for_user(trainer).can_add_subpage()
    assert draft.permissions_for_user(trainer).can_edit()


@pytest.mark.django_db
def test_a_curriculum_manager_edits_every_course(curriculum_manager, two_courses):
    own, others, _own_lesson, others_lesson = two_courses
    assert own.permissions_for_user(curriculum_manager).can_edit()
    assert others.permissions_for_user(curriculum_manager).can_edit()
    assert others_lesson.permissions_for_user(curriculum_manager).can_publish()


@pytest.mark.django_db
def test_the_admin_edit_page_opens_for_the_own_course_and_is_refused_for_another(mfa_client, trainer, two_courses):
    own, others, _own_lesson, others_lesson = two_courses
    client = mfa_client(trainer)

    assert client.get(reverse("wagtailadmin_pages:edit", args=[own.pk])).status_code == 200
    for page in (others, others_lesson):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")


@pytest.mark.django_db
def test_the_admin_listing_offers_no_edit_link_for_another_trainers_course(mfa_client, trainer, two_courses):
    own, others, _own_lesson, _others_lesson = two_courses
    client = mfa_client(trainer)

    html = client.get(reverse("wagtailadmin_explore", args=[own.get_parent().pk])).content.decode()

    assert reverse("wagtailadmin_pages:edit", args=[own.pk]) in html
    assert reverse("wagtailadmin_pages:edit", args=[others.pk]) not in html


@pytest.mark.django_db
def test_a_trainer_cannot_edit_the_catalogue_or_track_pages_a_curriculum_manager_can(
    catalogue, it_track, trainer, curriculum_manager
):
    for page in (catalogue, it_track):
        assert not page.permissions_for_user(trainer).can_edit()
        assert not page.permissions_for_user(trainer).can_delete()
        assert page.permissions_for_user(curriculum_manager).can_edit()
    assert it_track.permissions_for_user(trainer).can_add_subpage()


@pytest.mark.django_db
def test_a_trainer_uploads_and_chooses_images_and_documents_for_lessons(trainer, client):
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.permissions import policy_registry

    for policy in (policy_registry.get_by_type(get_image_model()), policy_registry.get_by_type(get_document_model())):
        assert policy.user_has_permission(trainer, "add")
        assert policy.user_has_permission(trainer, "choose")
    client.force_login(trainer)
    assert client.get(reverse("wagtailimages:add_multiple")).status_code == 200
    assert client.get(reverse("wagtaildocs:add_multiple")).status_code == 200
