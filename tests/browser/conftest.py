"""Browser tests: Playwright driving Debian's chromium (never a downloaded browser) against a live
server. Every test gets a fresh context; `shot(name)` saves a screenshot under artifacts/screenshots/.

Without /usr/bin/chromium the tests skip locally; CI installs chromium and fails if any is skipped.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls tests make between browser
    # steps are still synchronous and safe. Only while the browser runs: subprocesses started by other
    # tests (check --deploy) must not inherit it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite the browser tests' database is a file in WAL mode, as the embedded default's is, not
    Django's in-memory test database.

    The live server answers each request in a thread of its own. pytest-django starts it before the test
    database exists, so it cannot hand those threads the test's in-memory connection; each thread opens its
    own connection to the shared-cache in-memory database. Such connections lock whole tables and never
    wait: a statement the browser posts while the test reads a table failed at once with "database table
    is locked", and the answer was lost. Connections to a file wait for each other (busy_timeout), and WAL
    lets readers and the writer go on together, as in `make run`.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        database.setdefault("TEST", {})["NAME"] = str(tmp_path_factory.mktemp("database") / "browser-tests.sqlite3")


def pytest_collection_modifyitems(config, items):
    """The browser tests run in CI's SQLite pass (where none may skip). On PostgreSQL, pytest-django's
    live server does not restore the migrated data (page tree, groups, framework) after another
    transactional test has flushed it, and its own flush breaks the serialized rollback of the race
    tests that only PostgreSQL can run; so there they are left to the SQLite pass."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    skip = pytest.mark.skip(reason="browser tests run in the SQLite pass (live server vs. serialized rollback)")
    here = Path(__file__).resolve().parent
    for item in items:
        if Path(str(item.fspath)).resolve().parent == here:
            item.add_marker(skip)


@pytest.fixture
def site_url(live_server):
    """The live server's address for the LMS itself. `localhost` is kept for the H5P content origin
    (a separate, cookieless host name: see h5p/middleware.py), so the site is reached as 127.0.0.1."""
    return live_server.url.replace("://localhost:", "://127.0.0.1:")


@pytest.fixture
def page(browser, request):
    """A page of a fresh browser context (no cookies), desktop-sized."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shot(page, request):
    """shot("step name"): save a full-page screenshot of the current step for the CI artefacts."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
    counter = iter(range(1, 1000))

    def _shot(name: str, target=None) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^\w.-]+", "_", name)
        path = folder / f"{next(counter):02d}-{slug}.png"
        (target or page).screenshot(path=str(path), full_page=True)
        return path

    return _shot
