import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, DailyViews
from tests.factories import ArticleFactory, CategoryFactory, DraftFactory, UserFactory


def _scheduled():
    return ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1))


def _submitted():
    article = DraftFactory()
    services.submit(article)
    return article


def _rejected():
    article = _submitted()
    services.reject(article, by=UserFactory(is_staff=True), reason="Merci de citer vos sources.")
    return article


def _sent_back():
    article = ArticleFactory()
    services.send_back_to_draft(article, by=UserFactory(is_staff=True))
    return article


HIDDEN = {
    "draft": DraftFactory,
    "submitted": _submitted,
    "rejected": _rejected,
    "scheduled": _scheduled,
    "unpublished": _sent_back,
}


@pytest.fixture(params=HIDDEN)
def hidden_article(request, db):
    """A hidden article (draft, submitted, rejected, scheduled, unpublished) that shares its
    words, category and author with a published one, and is read far more."""
    visible = ArticleFactory(title="Texte public visible", body="<p>Zanzibar public.</p>")
    hidden = HIDDEN[request.param]()
    Article.objects.filter(pk=hidden.pk).update(
        title="Texte caché 7f3a",
        body="<p>Zanzibar caché.</p>",
        category=visible.category,
        author=visible.author,
    )
    hidden.refresh_from_db()
    DailyViews.add(visible.pk, count=1)
    DailyViews.add(hidden.pk, count=10_000)
    return hidden


@pytest.fixture
def make_site(db):
    """make_site(n): n published articles over four categories, three drafts, some views.
    Returns (categories, articles). For query counts that must not grow with n."""

    def make(n):
        categories = CategoryFactory.create_batch(4)
        articles = [
            ArticleFactory(
                category=categories[i % 4],
                published_at=timezone.now() - datetime.timedelta(hours=i + 1),
            )
            for i in range(n)
        ]
        DraftFactory.create_batch(3, category=categories[0])
        for a in articles:
            DailyViews.add(a.pk, count=1 + a.pk % 7)
        return categories, articles

    return make


@pytest.fixture
def warm_caches(client):
    """warm_caches(): fills the two cached widgets (navigation, most read), as any first
    page does."""
    return lambda: client.get(reverse("articles:home"))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the on-commit callbacks (the workflow's e-mails) of what happens inside."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
