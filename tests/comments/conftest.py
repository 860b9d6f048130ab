import itertools

import pytest
from django.urls import reverse

from comments.models import ModerationSettings
from comments.policy import make_form_token
from tests.factories import ArticleFactory

_addresses = itertools.count(1)


@pytest.fixture
def article(db):
    return ArticleFactory(title="Le fleuve Sénégal en crue")


@pytest.fixture
def no_flood(db):
    """For tests that post several comments in a row: the flood rule has tests of its own."""
    config = ModerationSettings.load()
    config.flood_seconds = 0
    config.save()
    return config


@pytest.fixture
def post_comment(client):
    """POST the comment form as a browser would, with a fresh form token and its own IP."""

    def post(article, *, browser=None, ip=None, meta=None, **fields):
        data = {
            "name": "Awa Diop",
            "email": "awa@example.org",
            "body": "Merci pour ce reportage.",
            "parent": "",
            "token": make_form_token(article.pk),
        }
        data.update(fields)
        data = {k: v for k, v in data.items() if v is not None}
        return (browser or client).post(
            reverse("comments:post", kwargs={"slug": article.slug}),
            data,
            REMOTE_ADDR=ip or f"198.51.100.{next(_addresses) % 250 + 1}",
            HTTP_USER_AGENT="Mozilla/5.0 (test)",
            **(meta or {}),
        )

    return post
