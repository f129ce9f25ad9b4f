"""Keyboard alone (issue 9): from the top of the login page, Tab reaches the skip link, then the form's
fields in order, every focused control shows a visible focus ring, Enter submits; a wrong password is
announced in the form and the person stays on the login page."""

import pytest

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {tag: el.tagName, name: el.getAttribute('name'), cls: el.className,
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth)};
}"""


def tab_to(page, name, *, limit=40):
    """Press Tab until the control named `name` has the focus; every stop on the way must show focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        assert focused["outline"] != "none" and focused["width"] >= 2, f"no visible focus on {focused}"
        if focused["name"] == name:
            return focused
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_learner_logs_in_with_the_keyboard_alone(site_url, page, shot, make_person, unit_a):
    learner = make_person(unit=unit_a, full_name="Nguyễn Văn Phím")
    page.goto(site_url + "/accounts/login/")

    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS)
    assert "skip-link" in first["cls"] and first["outline"] != "none"
    shot("skip link focused")

    tab_to(page, "login")
    page.keyboard.type(learner.user.username)
    tab_to(page, "password", limit=3)  # next: the password (its help text, "forgotten?", may come first)
    page.keyboard.type("not the password")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" in page.url
    error = page.get_by_role("alert").filter(has_text="không đúng")  # a live region: announced
    assert error.is_visible(), page.inner_text("main")
    shot("wrong password announced")

    tab_to(page, "password")
    page.keyboard.press("Control+A")
    page.keyboard.type(TEST_PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/accounts/login/" not in page.url
    shot("logged in")
