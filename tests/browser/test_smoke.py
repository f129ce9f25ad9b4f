"""The browser harness itself: Debian's chromium renders the live site in Vietnamese."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_home_page_renders_in_vietnamese(site_url, page, shot):
    page.goto(site_url + "/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("navigation", name="Menu chính").get_by_role("link", name="Đăng nhập").is_visible()
    shot("home")
