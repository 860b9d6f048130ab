"""Fixtures every folder shares. A folder's own conftest keeps only what is its own."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories import ModeratorFactory


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test: its own media folder, plain static storage, an empty cache, no page cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Tests change data through factories, which announce nothing to the page cache (the
    # services do): pages are rendered for every request unless a test turns the cache on
    # (tests/test_pagecache.py).
    settings.PAGE_CACHE_SECONDS = 0
    # A real hasher costs ~0.4 s per password, and most tests create users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Tasks run at once, in the test's process: a test reads the e-mails a request queued
    # in mail.outbox. The worker and its queue are tested in tests/test_worker.py.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def moderator(db):
    return ModeratorFactory()


@pytest.fixture
def moderator_client(client, moderator):
    """The test client, signed in as a moderator (staff in the "Modérateurs" group)."""
    client.force_login(moderator)
    return client


@pytest.fixture
def clock(settings, time_machine):
    """The time, stopped now; `clock.shift(seconds)` moves it on.

    Cache entries must expire by this clock too. Redis expires them by its own clock,
    which no test can move, so the test gets a local-memory cache, which reads time.time().
    """
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "clock"}
    }
    time_machine.move_to(timezone.now(), tick=False)
    return time_machine
