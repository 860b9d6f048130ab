"""Real-browser tests: Debian's chromium driven by Playwright (never a downloaded browser)."""

import os
from pathlib import Path

import pytest
from django.db import connections

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
