"""The sitemap (home, active categories, published articles) and robots.txt."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "http://www.notrecontinent.com"  # the Site of accounts/migrations/0002


def entries(response):
    """{location: lastmod or None}"""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ET.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
        for url in root.findall("s:url", NS)
    }


def test_sitemap_lists_home_active_categories_and_published_articles(client):
    sante = CategoryFactory(name="Santé", slug="sante")
    CategoryFactory(name="Archives", slug="archives", is_active=False)
    article = ArticleFactory(category=sante)
    Article.objects.filter(pk=article.pk).update(
        updated_at=datetime.datetime(2025, 3, 14, 23, 30, tzinfo=datetime.UTC)
    )
    assert reverse("articles:sitemap") == "/sitemap.xml"
    found = entries(client.get("/sitemap.xml"))
    assert found == {
        f"{SITE}/": None,
        f"{SITE}/categorie/sante/": None,
        f"{SITE}{article.get_absolute_url()}": "2025-03-14",
    }


def test_hidden_article_is_not_in_the_sitemap(client, hidden_article):
    response = client.get("/sitemap.xml")
    visible = Article.objects.published().get()
    assert f"{SITE}{visible.get_absolute_url()}" in entries(response)
    assert hidden_article.get_absolute_url() not in response.content.decode()


def test_sitemap_never_lists_a_future_article(client):
    ArticleFactory(slug="demain", published_at=timezone.now() + datetime.timedelta(hours=1))
    assert "demain" not in client.get("/sitemap.xml").content.decode()


# Query counts: for categories and for articles, the paginator's count and the page.
SITEMAP_QUERIES = 4


@pytest.mark.parametrize("n", [3, 30])
def test_sitemap_query_count(client, make_site, django_assert_num_queries, n):
    make_site(n)
    client.get("/sitemap.xml")  # django.contrib.sites caches the Site
    with django_assert_num_queries(SITEMAP_QUERIES):
        found = entries(client.get("/sitemap.xml"))
    assert len(found) == 1 + 4 + n


def test_robots_txt(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")]
    assert disallowed == ["/admin/", "/contribuer/", "/compte/", "/accounts/"]
    assert "Sitemap: http://testserver/sitemap.xml" in lines
