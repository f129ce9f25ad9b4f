"""The data migration gives every database the catalogue, the five tracks, the review workflow and permissions."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Workflow

from cms.models import CatalogueIndexPage, CourseAudience, HomePage, TrackPage
from courses.tracks import Track
from organisations.models import Audience


@pytest.mark.django_db
def test_catalogue_and_five_live_tracks_under_the_home_page():
    catalogue = CatalogueIndexPage.objects.get()
    assert catalogue.title == "Danh mục khoá học"
    assert catalogue.get_parent().specific_class is HomePage
    tracks = TrackPage.objects.child_of(catalogue).live()
    assert {track.track for track in tracks} == set(Track.values)
    assert TrackPage.objects.get(track=Track.LEADERS_CIO).title == "Lãnh đạo và Giám đốc CNTT (CIO)"
    assert TrackPage.objects.get(track=Track.FARMERS).title == "Nông dân và người dân"
    assert catalogue.get_children().count() == 5


@pytest.mark.django_db
def test_every_audience_has_its_row():
    assert set(CourseAudience.objects.values_list("code", flat=True)) == set(Audience.values)


@pytest.mark.django_db
def test_curriculum_review_workflow_is_on_the_catalogue_with_a_curriculum_manager_task():
    catalogue = CatalogueIndexPage.objects.get()
    workflow = Workflow.objects.get(name="Curriculum review")
    assert catalogue.get_workflow() == workflow
    assert TrackPage.objects.get(track=Track.GENERAL).get_workflow() == workflow
    (task,) = [task.specific for task in workflow.tasks]
    assert list(task.groups.values_list("name", flat=True)) == ["curriculum_manager"]


@pytest.mark.django_db
def test_trainers_add_and_change_curriculum_managers_also_publish():
    catalogue = CatalogueIndexPage.objects.get()

    def codenames(group_name):
        return set(
            GroupPagePermission.objects.filter(group=Group.objects.get(name=group_name), page=catalogue)
            .values_list("permission__codename", flat=True)
        )

    assert codenames("trainer") == {"add_page", "change_page"}
    assert codenames("curriculum_manager") == {"add_page", "change_page", "publish_page"}
