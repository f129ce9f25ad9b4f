"""On a phone (390 px): the menu folds behind a "Menu" button, its links and a quiz's answers are rows a thumb
can hit, and no page scrolls sideways because of a table (a visually hidden column header used to escape the
table's scrolling box and widen the whole page)."""

import pytest
from django.urls import reverse

from accounts.services import consent_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TALL_ENOUGH = 40  # px


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _signed_in(phone, site_url, client, user):
    client.force_login(user)
    phone.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site_url}])


def test_the_menu_folds_behind_a_button_and_its_links_are_tall_enough(site_url, phone, shot, make_person, unit_a,
                                                                       client):
    learner = make_person(unit=unit_a, full_name="Lò Văn Điện")
    consent_record(user=learner.user)
    _signed_in(phone, site_url, client, learner.user)
    phone.goto(site_url + reverse("privacy:my_data"))
    menu = phone.get_by_role("navigation", name="Menu chính")
    button = phone.get_by_role("button", name="Menu")
    assert button.is_visible() and not menu.is_visible()
    assert phone.locator("h1").bounding_box()["y"] < 300  # the page starts on the first screen
    shot("menu folded", phone)

    button.click()
    assert button.get_attribute("aria-expanded") == "true" and menu.is_visible()
    for link in menu.get_by_role("link").all() + [menu.get_by_role("button", name="Đăng xuất")]:
        assert link.bounding_box()["height"] >= TALL_ENOUGH, link.inner_text()
    shot("menu open", phone)
    # The consents table has a visually hidden column header: the page must not scroll sideways.
    assert phone.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_a_wide_table_scrolls_inside_its_box_not_the_page(site_url, phone, make_person, unit_a, client):
    learner = make_person(unit=unit_a, full_name="Lò Văn Điện")
    _signed_in(phone, site_url, client, learner.user)
    phone.goto(site_url + reverse("privacy:my_data"))
    # A figures table of eleven columns (as the statistics'), the last headed by a visually hidden label.
    phone.evaluate("""() => {
        const wrap = document.createElement("div");
        wrap.className = "table-wrap";
        const heads = Array.from({length: 10}, (_, i) => '<th>Số&nbsp;liệu&nbsp;' + i + '</th>').join('');
        const cells = Array.from({length: 10}, (_, i) => '<td>Đã&nbsp;hoàn&nbsp;thành&nbsp;' + i + '</td>').join('');
        wrap.innerHTML = '<table><thead><tr>' + heads
            + '<th scope="col"><span class="visually-hidden">Danh sách cá nhân</span></th></tr></thead>'
            + '<tbody><tr>' + cells + '<td><a href="#">Danh sách</a></td></tr></tbody></table>';
        document.querySelector("main").appendChild(wrap);
    }""")
    assert phone.evaluate("document.querySelector('.table-wrap:last-child').scrollWidth") > 390  # it is wide
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
