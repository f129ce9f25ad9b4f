"""The base layout: light enough for a phone on a slow connection, and nothing from another host."""

import re

import pytest
from django.contrib.staticfiles import finders

PAGE_BUDGET_BYTES = 300 * 1024


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/accounts/signup/", "/privacy/"])
def test_pages_without_media_weigh_under_300_kb_and_load_nothing_from_elsewhere(client, province, url):
    html = client.get(url).content.decode()
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    weight = len(html.encode()) + sum(
        len(open(finders.find(path.removeprefix("/static/")), "rb").read()) for path in assets
    )
    assert weight < PAGE_BUDGET_BYTES
    assert not re.findall(r'(?:href|src)="(?:https?:)?//', html), "no CDN, no external host"


@pytest.mark.django_db
def test_every_page_has_a_skip_link_a_main_landmark_and_a_labelled_language_switch(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'href="#main"' in html and '<main id="main"' in html
    assert '<label for="language-select"' in html


@pytest.mark.django_db
def test_the_menu_leads_each_role_to_its_pages(client, mfa_client, make_person, officer_a, unit_a):
    """The survey, its results and the gradebooks are reachable from the menu, by the roles that may open them."""
    from django.urls import reverse

    learner = make_person(unit=unit_a)
    client.force_login(learner.user)
    html = client.get("/").content.decode()
    assert f'href="{reverse("placement:home")}"' in html
    assert f'href="{reverse("assessments:gradebook:courses")}"' not in html
    assert f'href="{reverse("placement:results")}"' not in html
    client.logout()

    html = mfa_client(officer_a.user).get("/").content.decode()
    for name in ("assessments:gradebook:courses", "placement:results"):
        url = reverse(name)
        assert f'href="{url}"' in html
        assert client.get(url).status_code == 200
