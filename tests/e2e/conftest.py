"""Real-browser tests: Debian's chromium driven by Playwright (never a downloaded browser)."""

import os
import re
from pathlib import Path

import pytest
from django.db import connections

from tests.factories import PASSWORD

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests
# make meanwhile are plain synchronous ones, which Django would otherwise refuse.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    skip = pytest.mark.skip(reason="Debian's chromium is not installed at /usr/bin/chromium")
    for item in items:
        if "e2e" in item.keywords and not CHROMIUM.exists():
            item.add_marker(skip)


@pytest.fixture
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()
        # While Playwright's loop runs, the test's ORM calls use a connection of their own,
        # which Django's teardown does not see: close it, or SQLite leaves its WAL behind.
        connections.close_all()


@pytest.fixture
def log_in_to_admin(live_server):
    """log_in_to_admin(page, user, path): signs `user` in through the admin's login form,
    which then leads to `path`."""
    from playwright.sync_api import expect

    def log_in(page, user, path):
        page.goto(f"{live_server.url}/admin/login/?next={path}")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.locator("input[type=submit]").click()
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))

    return log_in
