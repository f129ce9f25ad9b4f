"""Training plans: the workflow and its illegal moves, locking and versions, scoping, plan against actual."""

import pytest
from django.http import Http404

from courses.tracks import Track
from organisations.models import Audience
from reports.models import PlanForm, PlanStatus, TrainingPlan
from reports.plans import (
    PlanError,
    plan_approve,
    plan_create,
    plan_for,
    plan_line_add,
    plan_line_delete,
    plan_return,
    plan_revise,
    plan_submit,
    plan_vs_actual,
)
from reports.rollups import rollups_rebuild

from .conftest import YEAR


def line(course=None, track="", audience=Audience.GENERAL, people=10, quarter=1, form=PlanForm.ONLINE, budget=5_000_000):
    return {"course": course, "track": track, "audience": audience, "people": people, "quarter": quarter,
            "form": form, "budget_vnd": budget}


@pytest.fixture
def plan(world):
    plan = plan_create(user=world.officer_user, unit=world.units["a"], year=YEAR)
    plan_line_add(user=world.officer_user, plan=plan, **line(course=world.courses["general"], people=4))
    plan_line_add(user=world.officer_user, plan=plan, **line(track=Track.IT_STAFF, audience=Audience.LEADER_CIO,
                                                              people=2, form=PlanForm.BLENDED))
    return plan


def test_the_full_workflow(world, plan):
    with pytest.raises(PlanError, match="Only a submitted plan"):
        plan_approve(user=world.home_affairs_user, plan=plan)
    plan_submit(user=world.officer_user, plan=plan)
    with pytest.raises(PlanError, match="can no longer be changed"):
        plan_line_add(user=world.officer_user, plan=plan, **line(track=Track.GENERAL))
    with pytest.raises(PlanError, match="Say what should change"):
        plan_return(user=world.home_affairs_user, plan=plan, comment="  ")
    plan = plan_return(user=world.home_affairs_user, plan=plan, comment="Thiếu kế hoạch cho quý 3.")
    assert plan.status == PlanStatus.RETURNED and plan.return_comment
    plan_line_add(user=world.officer_user, plan=plan, **line(track=Track.GENERAL, quarter=3))
    plan_submit(user=world.officer_user, plan=plan)
    plan = plan_approve(user=world.home_affairs_user, plan=plan)
    assert plan.status == PlanStatus.APPROVED and plan.decided_by == world.home_affairs_user
    assert plan.return_comment == ""


def test_an_approved_plan_is_locked_and_revised_as_a_new_version(world, plan):
    plan_submit(user=world.officer_user, plan=plan)
    plan_approve(user=world.home_affairs_user, plan=plan)
    with pytest.raises(PlanError):
        plan_line_add(user=world.officer_user, plan=plan, **line(track=Track.GENERAL))
    with pytest.raises(PlanError):
        plan_line_delete(user=world.officer_user, line=plan.lines.first())
    with pytest.raises(PlanError):
        plan_submit(user=world.officer_user, plan=plan)
    revision = plan_revise(user=world.officer_user, plan=plan)
    assert (revision.version, revision.previous_id, revision.status) == (2, plan.pk, PlanStatus.DRAFT)
    assert revision.lines.count() == 2
    plan_line_delete(user=world.officer_user, line=revision.lines.first())
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.lines.count() == 2
    with pytest.raises(PlanError, match="newer version"):
        plan_revise(user=world.officer_user, plan=plan)
    with pytest.raises(PlanError):
        plan_revise(user=world.officer_user, plan=revision)  # a draft is edited, not revised


def test_who_may_do_what(world, plan, make_person):
    from accounts.roles import Role

    other_officer = make_person(unit=world.units["b"], roles=[Role.UNIT_OFFICER]).user
    with pytest.raises(PlanError, match="do not manage"):
        plan_create(user=other_officer, unit=world.units["a"], year=YEAR + 1)
    with pytest.raises(PlanError, match="do not manage"):
        plan_line_add(user=other_officer, plan=plan, **line(track=Track.GENERAL))
    with pytest.raises(PlanError, match="already has a plan"):
        plan_create(user=world.officer_user, unit=world.units["a"], year=YEAR)
    plan_submit(user=world.officer_user, plan=plan)
    with pytest.raises(PlanError, match="Only Home Affairs"):
        plan_approve(user=world.officer_user, plan=plan)
    with pytest.raises(Http404):
        plan_for(other_officer, plan.pk)
    assert plan_for(world.home_affairs_user, plan.pk) == plan
    assert plan_for(world.officer_user, str(plan.pk)) == plan


def test_a_line_plans_one_to_a_million_people_and_says_so(world, mfa_client):
    from django.urls import reverse

    plan = plan_create(user=world.officer_user, unit=world.units["a"], year=YEAR)
    officer = mfa_client(world.officer_user)
    url = reverse("reports:plan_detail", args=[plan.pk])
    for people, why in [(0, "greater than or equal to 1"), (-5, "greater than or equal to 1"),
                        (999_999_999_999, "less than or equal to 1000000")]:
        refused = officer.post(url, {"track": Track.GENERAL, "audience": "general", "people": people, "quarter": 2,
                                     "form": "online", "budget_vnd": 0})
        assert refused.status_code == 400 and why in refused.content.decode(), people
        assert "Constraint" not in refused.content.decode()
    assert not plan.lines.exists()
    with pytest.raises(PlanError):
        plan_line_add(user=world.officer_user, plan=plan, **line(track=Track.GENERAL, people=2_000_000))


def test_lines_are_validated(world, plan):
    with pytest.raises(PlanError, match="course or a track"):
        plan_line_add(user=world.officer_user, plan=plan, **line(course=world.courses["it"], track=Track.GENERAL))
    with pytest.raises(PlanError):
        plan_line_add(user=world.officer_user, plan=plan, **line(track=Track.GENERAL, quarter=5))
    with pytest.raises(PlanError):
        plan_line_add(user=world.officer_user, plan=plan, **line(track=Track.GENERAL, people=0))
    empty = plan_create(user=world.officer_user, unit=world.units["a_child"], year=YEAR)
    with pytest.raises(PlanError, match="at least one line"):
        plan_submit(user=world.officer_user, plan=empty)
    assert TrainingPlan.objects.get(pk=empty.pk).status == PlanStatus.DRAFT


def test_plan_against_actual(world, plan):
    rollups_rebuild()
    rows = {(row.line.course_id, row.line.track): row for row in plan_vs_actual(plan)}
    # Q1, general course, general audience, in Sở Nội vụ's subtree: Bình and Giang enrolled (An is a leader).
    general = rows[(world.courses["general"].pk, "")]
    assert (general.enrolled, general.completed) == (2, 1)
    assert general.share == 50.0
    # Q1, IT staff track, leaders: An's enrolment of 31 March.
    assert rows[(None, Track.IT_STAFF)].enrolled == 1


def test_the_plan_pages(world, mfa_client, client):
    from django.urls import reverse

    from reports.models import TrainingPlanLine

    officer = mfa_client(world.officer_user)
    response = officer.post(reverse("reports:plan_list"), {"unit": world.units["a"].pk, "year": YEAR})
    plan = TrainingPlan.objects.get(unit=world.units["a"], year=YEAR)
    assert response.status_code == 302
    url = reverse("reports:plan_detail", args=[plan.pk])
    bad = officer.post(url, {"course": world.courses["general"].pk, "track": Track.GENERAL, "audience": "general",
                             "people": 5, "quarter": 2, "form": "online", "budget_vnd": 1000})
    assert bad.status_code == 400 and "Choose a course or a track, not both." in bad.content.decode()
    officer.post(url, {"course": world.courses["general"].pk, "audience": "general", "people": 5, "quarter": 2,
                       "form": "online", "budget_vnd": 12_500_000})
    assert "12,500,000" in officer.get(url).content.decode()
    line_pk = TrainingPlanLine.objects.get(plan=plan).pk
    delete_url = reverse("reports:plan_line_delete", args=[plan.pk, line_pk])
    assert officer.get(delete_url).status_code == 200  # a confirmation first
    assert TrainingPlanLine.objects.filter(pk=line_pk).exists()
    officer.post(url, {"track": Track.GENERAL, "audience": "general", "people": 5, "quarter": 2, "form": "blended"})
    officer.post(reverse("reports:plan_transition", args=[plan.pk, "submit"]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    officer.post(reverse("reports:plan_transition", args=[plan.pk, "approve"]))  # refused: not Home Affairs
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED

    client.logout()
    home_affairs = mfa_client(world.home_affairs_user)
    home_affairs.cookies["django_language"] = "en"  # logging out dropped the cookie
    return_url = reverse("reports:plan_transition", args=[plan.pk, "return"])
    # A refused comment (too long, a NUL character, blank) comes back as typed with why; the plan stays submitted.
    for comment, why in [("Bổ sung " * 300, "at most 2000 characters"), ("Bổ sung\x00", "Null characters"),
                         ("   ", "This field is required")]:
        refused = home_affairs.post(return_url, {"comment": comment})
        html = refused.content.decode()
        assert refused.status_code == 400 and why in html, why
        assert comment.strip().replace("\x00", "")[:40] in html
        plan.refresh_from_db()
        assert plan.status == PlanStatus.SUBMITTED and plan.return_comment == ""
    home_affairs.post(return_url, {"comment": "Bổ sung kinh phí."})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.RETURNED and plan.return_comment == "Bổ sung kinh phí."
    assert home_affairs.post(reverse("reports:plan_transition", args=[plan.pk, "launch"])).status_code == 404
