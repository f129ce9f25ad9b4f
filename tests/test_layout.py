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
