"""Fixtures of the end-to-end journeys (issue 9): every journey records each request its browser makes
and fails if one leaves the machine, and checks each page it visits with the vendored axe-core.

    axe_check(page)      no critical or serious violation on the page as it is now
    keyboard_check(page) Tab reaches every control in turn, each with a visible focus ring, and no trap
    tab_to(page, text)   press Tab until the focused control is named `text` (keyboard-only steps)
    page                 the browser harness's page; `@pytest.mark.viewport(390, 844)` for a phone
    requests             every URL the context requested (checked at teardown: localhost only)
    log_in_with_totp     the real login form, then the real TOTP code stage
    weigh(page, url)     bytes transferred to load `url` (CDP encodedDataLength, compressed as sent)
"""

import json
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress

from tests.factories import TEST_PASSWORD
from tests.helpers import give_totp, totp_code

AXE_SOURCE = (Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js").read_text(encoding="utf-8")
LOCAL_HOSTS = {"localhost", "127.0.0.1"}
# Schemes that never leave the browser.
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-extension"}
BLOCKING_IMPACTS = {"critical", "serious"}
# The page's short CSS transitions and animations finished: fades and slides (Wagtail's messages fade in over
# 0.5 s). Longer or looping ones (a badge that pulses for 25 s, a spinner) are not waited for; 3 s at most.
SETTLED = """() => Promise.race([
    Promise.all(document.getAnimations()
        .filter(animation => animation.playState === "running" && animation.effect
                && animation.effect.getComputedTiming().endTime <= 2000)
        .map(animation => animation.finished.catch(() => null))),
    new Promise(resolve => setTimeout(resolve, 3000)),
])"""


def axe_check(page, *, exclude: tuple[str, ...] = ()) -> list[dict]:
    """Run axe-core on the page (not inside its iframes: the H5P player is third-party content) and
    fail on any critical or serious violation. Returns the lesser ones, for whoever wants them.

    axe is evaluated through the DevTools protocol, so the site's Content-Security-Policy is not
    loosened for it. It runs on the page as it settles: axe blends a text's colours with the opacity
    of its ancestors, so a message still fading in (Wagtail's admin animates its messages) would be
    measured at a contrast nobody reads it at."""
    page.wait_for_load_state("load")
    page.evaluate(SETTLED)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)
    context = {"exclude": [[selector] for selector in exclude]} if exclude else "document"
    results = page.evaluate(
        """async ([context]) => {
            const target = context === "document" ? document : context;
            const results = await axe.run(target, {iframes: false, resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary, html: n.html.slice(0, 200)})),
            }));
        }""",
        [context],
    )
    blocking = [violation for violation in results if violation["impact"] in BLOCKING_IMPACTS]
    assert not blocking, f"axe-core on {page.url}:\n" + json.dumps(blocking, ensure_ascii=False, indent=1)
    return results


# Every element's identity (its index in the document) and the look that tells a focused one apart.
FOCUSABLE_STYLES = """() => Array.from(document.querySelectorAll('*'), el => {
    const s = getComputedStyle(el);
    return s.outlineStyle + '|' + s.outlineWidth + '|' + s.outlineColor + '|' + s.boxShadow;
})"""
FOCUSED = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el === document.documentElement) return null;
    const s = getComputedStyle(el);
    const label = el.getAttribute('aria-label') || (el.labels && el.labels[0] && el.labels[0].innerText)
        || el.innerText || el.value || el.getAttribute('name') || '';
    return {index: Array.prototype.indexOf.call(document.querySelectorAll('*'), el), tag: el.tagName,
            label: label.trim().slice(0, 80), html: el.outerHTML.slice(0, 160),
            style: s.outlineStyle + '|' + s.outlineWidth + '|' + s.outlineColor + '|' + s.boxShadow,
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1,
            shadow: s.boxShadow !== 'none'};
}"""
KEYBOARD_CAP = 40
INSIDE_CAP = 20


def keyboard_check(page, *, cap: int = KEYBOARD_CAP) -> list[str]:
    """Tab through the page's controls (up to `cap` stops): each one focused shows a focus indicator (an
    outline or a box shadow that its unfocused look lacks), and Tab never gets stuck: the stops run on
    until they come round to the first one again (or leave the page), not into a smaller loop.
    An iframe (the H5P player) or a video (its own buttons) is one stop, however many Tabs it takes.
    Returns the labels of the stops, in order."""
    unfocused = page.evaluate(FOCUSABLE_STYLES)
    seen: list[int] = []
    labels: list[str] = []
    inside = 0
    for _ in range(cap):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:  # focus left the document (the browser's own controls): a full round
            break
        if seen and seen[-1] == focused["index"]:
            # Still inside a composite control (the H5P iframe, a video's own buttons), up to a point.
            inside += 1
            assert inside < INSIDE_CAP, f"focus trap on {page.url}: Tab stays in {focused['html']!r}"
            continue
        inside = 0
        if focused["tag"] == "IFRAME":
            pass  # its content is third-party: its focus ring is not ours to check
        elif focused["index"] in seen:
            assert focused["index"] == seen[0], (
                f"focus trap on {page.url}: Tab came back to {focused['html']!r} after {labels}"
            )
            break
        else:
            before = unfocused[focused["index"]] if focused["index"] < len(unfocused) else ""
            visible = (focused["outline"] or focused["shadow"]) and focused["style"] != before
            assert visible, f"no visible focus on {page.url}: {focused['html']!r} ({focused['style']})"
        seen.append(focused["index"])
        labels.append(focused["label"])
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    return labels


def tab_to(page, label: str, *, limit: int = 60) -> dict:
    """Press Tab until the focused control's label (aria-label, <label>, text or value) contains `label`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and label in focused["label"]:
            return focused
    raise AssertionError(f"Tab never reached a control named {label!r} on {page.url}")


def pytest_configure(config):
    config.addinivalue_line("markers", "viewport(width, height): the journey's browser window size")


@pytest.fixture
def requests():
    return []


@pytest.fixture
def page(browser, request, requests):
    """A fresh context whose every request is recorded; at the end none may have left localhost."""
    marker = request.node.get_closest_marker("viewport")
    width, height = marker.args if marker else (1280, 900)
    options = {"viewport": {"width": width, "height": height}, "locale": "vi-VN", "accept_downloads": True}
    if marker:
        options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
    context = browser.new_context(**options)
    context.on("request", lambda sent: requests.append(sent.url))
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()
    outside = [
        url for url in requests
        if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).hostname not in LOCAL_HOSTS
    ]
    assert not outside, f"requests left localhost: {outside}"


@pytest.fixture
def log_in_with_totp(site_url):
    """log_in_with_totp(page, user): the login form with the password, then the code an authenticator
    app would show for a TOTP secret set up here (the real allauth stages, nothing forced)."""

    secrets: dict[int, str] = {}
    used: dict[int, str] = {}

    def _log_in(page, user, *, shot=None):
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        if user.pk not in secrets:
            secrets[user.pk] = give_totp(user)
        secret = secrets[user.pk]
        page.goto(site_url + "/accounts/login/")
        page.get_by_label("Email hoặc mã cán bộ").fill(user.username)
        page.locator("input[name=password]").fill(TEST_PASSWORD)
        if shot:
            shot("login form")
        axe_check(page)
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url("**/accounts/2fa/authenticate/**")
        axe_check(page)
        code = totp_code(secret, seconds_needed=5)
        while code == used.get(user.pk):  # allauth refuses a code twice: wait for the next one
            time.sleep(1)
            code = totp_code(secret, seconds_needed=5)
        used[user.pk] = code
        page.locator("input[name=code]").fill(code)
        if shot:
            shot("two-factor code")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_load_state("load")
        return secret

    return _log_in


@pytest.fixture
def weigh():
    """weigh(page, url) → bytes transferred (encoded, as on the wire) to load url until the network is idle."""

    def _weigh(page, url: str, *, session=None) -> int:
        own = session is None
        session = session or page.context.new_cdp_session(page)
        sizes: dict[str, float] = {}

        def finished(event):
            sizes[event["requestId"]] = event["encodedDataLength"]

        session.on("Network.loadingFinished", finished)
        session.send("Network.enable")
        page.goto(url, wait_until="networkidle")
        session.remove_listener("Network.loadingFinished", finished)
        if own:
            session.detach()
        return int(sum(sizes.values()))

    return _weigh
