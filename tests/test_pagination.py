"""Page links: every list numbers its pages (the first, the last and two either side of the current one, with
"…" between), keeps the other GET parameters, and the Wagtail admin lists use Wagtail's own links."""

import re

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def numbered_links(html: str) -> list[str]:
    return re.findall(r'<li>(?:<a href="[^"]*"(?: aria-current="page")?>(\d+)</a>|<span aria-hidden="true">(…)</span>)',
                      html)


def render_page(number, query="q=Ngh%E1%BB%87+An&unit=7", pages=25):
    request = RequestFactory().get(f"/people/?{query}&page={number}")
    request.user = AnonymousUser()
    page = Paginator(range(pages * 10), 10).get_page(number)
    with translation.override("vi"):  # whatever language an earlier test left active
        return render_to_string("includes/pagination.html", {"page": page}, request=request)


def test_the_pages_around_the_current_one_and_both_ends_are_numbered():
    html = render_page(12)
    assert ["".join(link) for link in numbered_links(html)] == ["1", "…", "10", "11", "12", "13", "14", "…", "25"]
    assert '<a href="?q=Ngh%E1%BB%87+An&amp;unit=7&amp;page=12" aria-current="page">12</a>' in html
    assert 'href="?q=Ngh%E1%BB%87+An&amp;unit=7&amp;page=25">25</a>' in html
    assert 'href="?q=Ngh%E1%BB%87+An&amp;unit=7&amp;page=11" rel="prev"' in html
    assert 'href="?q=Ngh%E1%BB%87+An&amp;unit=7&amp;page=13" rel="next"' in html
    assert "Trang 12/25" in html  # Vietnamese first


def test_the_first_and_last_pages_have_no_link_past_the_end_and_one_page_has_no_links():
    first = render_page(1, query="")
    assert ["".join(link) for link in numbered_links(first)] == ["1", "2", "3", "…", "25"]
    assert 'rel="prev"' not in first and 'href="?page=2" rel="next"' in first
    assert 'rel="next"' not in render_page(25, query="")
    few = render_page(1, pages=3, query="")
    assert ["".join(link) for link in numbered_links(few)] == ["1", "2", "3"]
    assert render_page(1, pages=1).strip() == ""
