import pytest

from articles.models import Article
from tests.articles.test_views import HIDDEN
from tests.factories import ArticleFactory


@pytest.fixture(params=HIDDEN)
def hidden_article(request, db):
    """A hidden article (draft, submitted, rejected, scheduled, unpublished) that shares its
    words, category and author with a published one."""
    visible = ArticleFactory(title="Texte public visible", body="<p>Zanzibar public.</p>")
    hidden = HIDDEN[request.param]()
    Article.objects.filter(pk=hidden.pk).update(
        title="Texte caché 7f3a",
        body="<p>Zanzibar caché.</p>",
        category=visible.category,
        author=visible.author,
    )
    hidden.refresh_from_db()
    return hidden


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the on-commit callbacks (the workflow's e-mails) of what happens inside."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
