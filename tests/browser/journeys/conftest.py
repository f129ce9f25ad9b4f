"""Fixtures of the end-to-end journeys (issue 9): every journey records each request its browser makes
and fails if one leaves the machine, and checks each page it visits with the vendored axe-core.

    axe_check(page)      no critical or serious violation on the page as it is now
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


def axe_check(page, *, exclude: tuple[str, ...] = ()) -> list[dict]:
    """Run axe-core on the page (not inside its iframes: the H5P player is third-party content) and
    fail on any critical or serious violation. Returns the lesser ones, for whoever wants them.

    axe is evaluated through the DevTools protocol, so the site's Content-Security-Policy is not
    loosened for it."""
    page.wait_for_load_state("load")
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
