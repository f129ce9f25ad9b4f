"""The statistics page's figures come from the cache on a repeat visit, never across scopes, and are
recomputed as soon as the rollups are refreshed or rebuilt."""

import datetime

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from reports.dashboard import rollups_version
from reports.models import RollupState
from reports.rollups import VERSION_CACHE_KEY, rollups_rebuild, rollups_refresh
from tests.helpers import login_with_totp

from .conftest import enrol
from .test_statistics_page import Q1

HIT_QUERIES = 5  # session, user, MFA, scope, breadcrumbs: neither the figures (26 on a miss) nor the rollup version


def reader(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    login_with_totp(client, user)
    return client


def test_a_repeat_visit_is_served_from_the_cache(world, django_assert_num_queries):
    rollups_rebuild()
    client = reader(world.home_affairs_user)
    url = reverse("reports:statistics")
    first = client.get(url, Q1)
    with django_assert_num_queries(HIT_QUERIES):
        again = client.get(url, Q1)
    assert str(again.context["figures_html"]) == str(first.context["figures_html"])  # the page differs by its CSRF token
    assert again.context["total"].enrolled == first.context["stats"].total.enrolled == 7


def test_readers_of_other_scopes_never_get_each_others_figures(world, make_person):
    rollups_rebuild()
    officer_b = make_person(unit=world.units["b"], roles=[Role.UNIT_OFFICER], full_name="Cán Bộ Sở Y Tế")
    coordinator = make_person(unit=world.province, roles=[Role.FARMER_COORDINATOR])
    url = reverse("reports:statistics")
    # The same address and filters for everyone; the first reader of each pair fills the cache.
    for _ in range(2):
        officer_a_page = reader(world.officer_user).get(url, Q1)
        officer_b_page = reader(officer_b.user).get(url, Q1)
        assert officer_a_page.context["unit"] == world.units["a"]
        assert officer_a_page.context["total"].enrolled == 4
        assert officer_b_page.context["unit"] == world.units["b"]
        assert officer_b_page.context["total"].enrolled == 1
        assert "Lê Văn An" not in officer_b_page.content.decode()
        province_page = reader(world.home_affairs_user).get(url, Q1)
        farmers_page = reader(coordinator.user).get(url, Q1)
        assert province_page.context["total"].enrolled == 7
        assert farmers_page.context["total"].enrolled == 0  # no farmer or resident enrolled


def test_a_refresh_shows_new_figures_at_once(world, django_capture_on_commit_callbacks):
    rollups_rebuild(now=timezone.now() - datetime.timedelta(hours=1))
    client = reader(world.home_affairs_user)
    url = reverse("reports:statistics")
    year = {"period": "year", "year": timezone.localdate().year}
    before = client.get(url, year).context["stats"].total.enrolled
    enrol(world.people["dung"], world.courses["it"], enrolled=timezone.now())
    assert client.get(url, year).context["total"].enrolled == before  # cached until the rollups move
    with django_capture_on_commit_callbacks(execute=True):  # the refresh commits: its version is published
        rollups_refresh()
    assert client.get(url, year).context["total"].enrolled == before + 1


def test_the_rollup_version_is_published_when_a_run_commits(world, django_capture_on_commit_callbacks,
                                                            django_assert_num_queries):
    with django_capture_on_commit_callbacks() as callbacks:
        rollups_rebuild()
    assert cache.get(VERSION_CACHE_KEY) is None  # nothing before the commit: readers would see the old rows
    for callback in callbacks:
        callback()
    state = RollupState.objects.get()
    published = {"rebuilt_at": state.rebuilt_at.isoformat(), "refreshed_until": state.refreshed_until.isoformat()}
    with django_assert_num_queries(0):
        assert rollups_version() == published
    cache.delete(VERSION_CACHE_KEY)  # expired or flushed: read back from the database, and put back
    with django_assert_num_queries(1):
        assert rollups_version() == published
    assert cache.get(VERSION_CACHE_KEY) == published
