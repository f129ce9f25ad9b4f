"""Course pages through the Wagtail admin: a trainer drafts a course and submits it for review."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import querydict_from_html

from cms.models import CourseAudience, CoursePage, TrackPage
from courses.tracks import Track
from organisations.models import Audience


@pytest.mark.django_db
def test_a_trainer_creates_a_course_in_the_admin_and_submits_it_for_review(mfa_client, trainer):
    track = TrackPage.objects.get(track=Track.OPEN_SOURCE)
    client = mfa_client(trainer)
    add_url = reverse("wagtailadmin_pages:add", args=["cms", "coursepage", track.pk])
    form = client.get(add_url)
    assert form.status_code == 200
    data = dict(querydict_from_html(form.content.decode(), form_id="page-edit-form").lists())
    data.update({
        "title": "Soạn thảo văn bản với LibreOffice Writer",
        "slug": "libreoffice-writer",
        "code": "lo-writer-01",
        "summary": "Soạn thảo văn bản hành chính bằng phần mềm nguồn mở.",
        "estimated_hours": "8",
        "level": "basic",
        "access_mode": "self_enrolment",
        "description-count": "0",
        "action-submit": "Submit for moderation",
        "audiences": [str(CourseAudience.objects.get(code=Audience.GENERAL).pk)],
        "competency_codes": ["IU03", "IU07"],
        "trainers": [str(trainer.pk)],
    })

    response = client.post(add_url, data)

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    course = CoursePage.objects.get(code="LO-WRITER-01")
    assert course.get_parent().pk == track.pk
    assert not course.live and course.workflow_in_progress
    assert course.owner == trainer
    draft = course.get_latest_revision_as_object()
    assert draft.competency_codes == ["IU03", "IU07"]
    assert list(draft.trainers.all()) == [trainer]
    assert [audience.code for audience in draft.audiences.all()] == [Audience.GENERAL]


@pytest.mark.django_db
def test_only_trainers_can_be_chosen_as_a_courses_trainers(trainer, curriculum_manager):
    form_class = CoursePage.get_edit_handler().get_form_class()
    choices = form_class(for_user=trainer).fields["trainers"].queryset
    assert trainer in choices and curriculum_manager not in choices
