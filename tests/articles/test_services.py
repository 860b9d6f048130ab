"""The articles' part of an account's data export."""

import json

import pytest

from articles.models import Article
from articles.services import export_author_data
from tests.factories import ArticleFactory, DraftFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_export_lists_every_article_of_the_author_in_every_state():
    author = UserFactory()
    published = ArticleFactory(author=author, title="En ligne")
    DraftFactory(author=author, title="Brouillon")
    ArticleFactory(author=author, title="Refusé", status=Article.Status.REJECTED, published_at=None)
    ArticleFactory(title="D'un autre auteur")
    rows = export_author_data(author)
    assert json.loads(json.dumps(rows)) == rows
    by_title = {row["title"]: row for row in rows}
    assert set(by_title) == {"En ligne", "Brouillon", "Refusé"}
    assert by_title["En ligne"]["url"] == published.get_absolute_url()
    assert by_title["En ligne"]["body"] == published.body
    assert (by_title["Brouillon"]["status"], by_title["Brouillon"]["url"]) == ("draft", None)


def test_export_of_an_author_without_articles_is_empty():
    assert export_author_data(UserFactory()) == []
