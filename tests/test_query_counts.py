"""Query counts do not grow with the site: 10 or 200 articles, 0 or 300 comments."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, DailyViews
from articles.pagination import Cursor
from tests.factories import ArticleFactory, CategoryFactory, UserFactory, bulk_threads

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Firefox/140.0"}


class Site:
    """Four categories, three authors; grows by bulk inserts."""

    def __init__(self):
        self.categories = CategoryFactory.create_batch(4)
        self.authors = UserFactory.create_batch(3)
        self.size = 0

    def grow_to(self, n):
        now = timezone.now()
        new = Article.objects.bulk_create(
            Article(
                title=f"Article numéro {i}",
                slug=slugify(f"article-numero-{i}"),
                summary="Un chapô.",
                body="<p>Un texte.</p>",
                category=self.categories[i % 4],
                author=self.authors[i % 3],
                status=Article.Status.PUBLISHED,
                published_at=now - datetime.timedelta(minutes=i + 1),
                is_featured=i % 50 == 7,
            )
            for i in range(self.size, n)
        )
        DailyViews.objects.bulk_create(
            DailyViews(article=a, day=timezone.localdate(), views=a.pk % 9 + 1) for a in new
        )
        self.size = n

    def deep_cursor(self, category):
        """Below the category's second article: there are older ones at both sizes."""
        return Cursor.of(Article.objects.published().in_category(category).for_listing()[1])


def count_queries(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, url
    return len(queries)


def listing_counts(client, site):
    category, author = site.categories[0], site.authors[0]
    urls = {
        "home": reverse("articles:home"),
        "category": category.get_absolute_url(),
        "category, deep page": f"{category.get_absolute_url()}?avant={site.deep_cursor(category)}",
        "author": reverse("accounts:author", args=[author.username]),
        "feed": reverse("articles:feed"),
        "category feed": reverse("articles:category_feed", args=[category.slug]),
        "my articles": reverse("articles:my_articles"),
    }
    client.force_login(author)
    counts = {}
    for name, url in urls.items():
        client.get(url)  # the cached widgets (navigation, "Les plus lus") are filled once
        counts[name] = count_queries(client, url)
    # An article page as an anonymous reader: first look (a counted view), then again.
    client.logout()
    articles = Article.objects.published().for_listing()
    client.get(articles[0].get_absolute_url(), **BROWSER)  # settles the comment form's settings
    article = articles[site.size // 10]  # one this reader has not seen yet
    counts["article, counted"] = count_queries(client, article.get_absolute_url(), **BROWSER)
    counts["article, repeat"] = count_queries(client, article.get_absolute_url(), **BROWSER)
    return counts


def test_listing_query_counts_do_not_grow_with_the_archive(client, settings):
    settings.VIEW_FLUSH_SECONDS = 0  # counted views written at once, as without Redis
    site = Site()
    site.grow_to(10)
    small = listing_counts(client, site)
    site.grow_to(200)
    large = listing_counts(client, site)
    assert large == small
    # A check that the pages did their work: nothing here is a 2-query error page.
    assert small["home"] >= 4 and small["article, counted"] > small["article, repeat"]


def test_article_page_query_count_does_not_grow_with_its_comments(client):
    quiet, busy = ArticleFactory(), ArticleFactory()
    client.get(quiet.get_absolute_url(), **BROWSER)
    bulk_threads(busy, 300)
    client.get(busy.get_absolute_url(), **BROWSER)
    assert count_queries(client, quiet.get_absolute_url(), **BROWSER) == count_queries(
        client, busy.get_absolute_url(), **BROWSER
    )
    page_two = busy.get_absolute_url() + "?commentaires=2"
    assert count_queries(client, page_two, **BROWSER) == count_queries(
        client, quiet.get_absolute_url(), **BROWSER
    )
