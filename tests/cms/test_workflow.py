"""Publishing: a trainer submits, a curriculum manager approves (publishes) or rejects with a comment."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import querydict_from_html


def submit_change(course, trainer, title):
    course.title = title
    revision = course.save_revision(user=trainer)
    workflow_state = course.get_workflow().start(course, trainer)
    course.refresh_from_db()
    return revision, workflow_state


@pytest.mark.django_db
def test_a_trainer_submission_goes_to_moderation_and_the_trainer_cannot_publish_it(make_course, trainer):
    course = make_course(trainers=[trainer], title="An toàn thông tin")
    assert not course.permissions_for_user(trainer).can_publish()
    assert course.permissions_for_user(trainer).can_submit_for_moderation()

    _revision, workflow_state = submit_change(course, trainer, "An toàn thông tin (bản mới)")

    assert course.workflow_in_progress
    assert workflow_state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = workflow_state.current_task_state
    assert task_state.task.specific.get_actions(course, trainer) == []
    assert course.live and course.title == "An toàn thông tin"  # the live page is unchanged
    assert course.has_unpublished_changes


@pytest.mark.django_db
def test_a_curriculum_manager_approval_publishes_the_submitted_revision(make_course, trainer, curriculum_manager):
    course = make_course(trainers=[trainer], title="An toàn thông tin")
    revision, workflow_state = submit_change(course, trainer, "An toàn thông tin (bản mới)")
    task_state = workflow_state.current_task_state
    assert {action[0] for action in task_state.task.specific.get_actions(course, curriculum_manager)} >= {
        "approve",
        "reject",
    }

    task_state.approve(user=curriculum_manager, comment="Đạt yêu cầu.")

    course.refresh_from_db()
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_APPROVED
    assert course.title == "An toàn thông tin (bản mới)"
    assert course.live_revision_id == revision.pk
    assert not course.has_unpublished_changes


@pytest.mark.django_db
def test_a_rejection_keeps_the_live_page_and_records_the_comment(make_course, trainer, curriculum_manager):
    course = make_course(trainers=[trainer], title="An toàn thông tin")
    _revision, workflow_state = submit_change(course, trainer, "Bản nháp chưa đạt")

    workflow_state.current_task_state.reject(user=curriculum_manager, comment="Bổ sung ví dụ thực tế.")

    course.refresh_from_db()
    workflow_state.refresh_from_db()
    assert workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert workflow_state.current_task_state.comment == "Bổ sung ví dụ thực tế."
    assert course.title == "An toàn thông tin"


@pytest.mark.django_db
def test_the_author_opening_a_rejected_page_sees_the_reviewers_comment_at_the_top_of_the_editor(
    mfa_client, make_course, trainer, curriculum_manager
):
    course = make_course(trainers=[trainer], title="An toàn thông tin")
    _revision, workflow_state = submit_change(course, trainer, "Bản nháp chưa đạt")
    workflow_state.current_task_state.reject(user=curriculum_manager, comment="Bổ sung <b>ví dụ</b> thực tế.")

    response = mfa_client(trainer).get(reverse("wagtailadmin_pages:edit", args=[course.pk]))

    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1 and "Bổ sung <b>ví dụ</b> thực tế." in shown[0]
    assert curriculum_manager.person.full_name and curriculum_manager.person.full_name in shown[0]
    assert "Bổ sung &lt;b&gt;ví dụ&lt;/b&gt; thực tế." in response.content.decode()  # escaped, not markup


@pytest.mark.django_db
def test_a_trainer_asking_the_admin_to_publish_does_not_change_the_live_course(mfa_client, make_course, trainer):
    course = make_course(trainers=[trainer], title="An toàn thông tin")
    client = mfa_client(trainer)
    edit_url = reverse("wagtailadmin_pages:edit", args=[course.pk])
    data = dict(querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form").lists())
    data.update({"title": "Tiêu đề chưa duyệt", "action-publish": "Publish", "description-count": "0"})

    client.post(edit_url, data)

    course.refresh_from_db()
    assert course.title == "An toàn thông tin"
    assert course.get_latest_revision_as_object().title == "Tiêu đề chưa duyệt"
