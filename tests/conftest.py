import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Each test: its own media folder, plain static storage, an empty cache."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # A real hasher costs ~0.4 s per password, and most tests create users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def moderator(db):
    from tests.factories import ModeratorFactory

    return ModeratorFactory()
