"""The sitemap index, its paged sections (home, active categories, published articles)
and robots.txt."""

import datetime
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.contrib.sites.models import Site
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory, DraftFactory

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "http://www.notrecontinent.com"  # the Site of accounts/migrations/0002


def parse(response, element):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    return ET.fromstring(response.content).findall(f"s:{element}", NS)


def index(client):
    """The locations the index lists, as paths with their query string."""
    return [
        entry.findtext("s:loc", namespaces=NS).removeprefix(SITE)
        for entry in parse(client.get("/sitemap.xml"), "sitemap")
    ]


def entries(response):
    """[(location, lastmod or None)] of a sitemap page."""
    return [
        (url.findtext("s:loc", namespaces=NS), url.findtext("s:lastmod", namespaces=NS))
        for url in parse(response, "url")
    ]


def every_entry(client):
    """The entries of every page the index lists."""
    return [entry for page in index(client) for entry in entries(client.get(page))]


@pytest.fixture
def small_pages(settings):
    settings.SITEMAP_PAGE_SIZE = 3
    return 3


def test_sitemap_xml_is_an_index_of_the_sections(client):
    CategoryFactory()
    ArticleFactory()
    assert reverse("articles:sitemap") == "/sitemap.xml"
    assert index(client) == [
        "/sitemap-home.xml",
        "/sitemap-categories.xml",
        "/sitemap-articles.xml",
    ]


def test_sections_list_home_active_categories_and_published_articles(client):
    sante = CategoryFactory(name="Santé", slug="sante")
    CategoryFactory(name="Archives", slug="archives", is_active=False)
    article = ArticleFactory(category=sante)
    Article.objects.filter(pk=article.pk).update(
        updated_at=datetime.datetime(2025, 3, 14, 23, 30, tzinfo=datetime.UTC)
    )
    assert entries(client.get("/sitemap-home.xml")) == [(f"{SITE}/", None)]
    assert entries(client.get("/sitemap-categories.xml")) == [(f"{SITE}/categorie/sante/", None)]
    assert entries(client.get("/sitemap-articles.xml")) == [
        (f"{SITE}{article.get_absolute_url()}", "2025-03-14")
    ]


def test_every_published_article_is_listed_exactly_once_across_pages(client, small_pages):
    now = timezone.now()
    published = [ArticleFactory(published_at=now - datetime.timedelta(hours=i)) for i in range(8)]
    hidden = [DraftFactory(), ArticleFactory(published_at=now + datetime.timedelta(hours=1))]
    published += ArticleFactory.create_batch(2)
    published.pop(3).delete()

    pages = [page for page in index(client) if page.startswith("/sitemap-articles.xml")]
    assert len(pages) == -(-published[-1].pk // small_pages)  # a page per 3 primary keys
    assert pages[:2] == ["/sitemap-articles.xml", "/sitemap-articles.xml?p=2"]
    found = [entry for page in pages for entry in entries(client.get(page))]
    counts = Counter(location for location, _lastmod in found)
    assert counts == Counter(f"{SITE}{a.get_absolute_url()}" for a in published)
    assert all(lastmod for _location, lastmod in found)
    for article in hidden:
        assert not any(article.get_absolute_url() in location for location in counts)


def test_a_page_never_holds_more_than_the_page_size(client, small_pages):
    ArticleFactory.create_batch(10)
    for page in index(client):
        assert len(entries(client.get(page))) <= small_pages


def test_hidden_article_is_in_no_sitemap(client, hidden_article):
    visible = Article.objects.published().get()
    locations = [location for location, _lastmod in every_entry(client)]
    assert f"{SITE}{visible.get_absolute_url()}" in locations
    assert not any(hidden_article.get_absolute_url() in location for location in locations)


@pytest.mark.parametrize("page", ["0", "abc", "-1", "99"])
def test_a_page_out_of_range_is_404(client, page):
    ArticleFactory()
    assert client.get(f"/sitemap-articles.xml?p={page}").status_code == 404


def test_unknown_section_is_404(client):
    assert client.get("/sitemap-inconnu.xml").status_code == 404


def test_pages_are_cached(client, small_pages, django_assert_num_queries):
    ArticleFactory.create_batch(4)
    Site.objects.get_current()  # django.contrib.sites keeps the Site in memory
    last = index(client)[-1]
    first = entries(client.get("/sitemap-articles.xml"))
    ArticleFactory()
    with django_assert_num_queries(0):
        assert index(client)[-1] == last
        assert entries(client.get("/sitemap-articles.xml")) == first


# Query counts: the index counts the categories and finds the last article's primary key;
# an article page finds it too (is the page in range?), then reads its range of keys.
INDEX_QUERIES = 2
ARTICLE_PAGE_QUERIES = 2
OTHER_PAGE_QUERIES = {"/sitemap-home.xml": 0, "/sitemap-categories.xml": 2}


@pytest.mark.parametrize("n", [3, 30])
def test_query_count_does_not_grow_with_the_articles(
    client, make_site, small_pages, django_assert_num_queries, n
):
    make_site(n)
    Site.objects.get_current()
    with django_assert_num_queries(INDEX_QUERIES):
        pages = index(client)
    for page in pages:
        expected = OTHER_PAGE_QUERIES.get(page, ARTICLE_PAGE_QUERIES)
        with django_assert_num_queries(expected):
            client.get(page)


def test_article_pages_do_not_load_bodies(client):
    ArticleFactory()
    with CaptureQueriesContext(connection) as queries:
        client.get("/sitemap-articles.xml")
    reads = [q["sql"] for q in queries.captured_queries if '"articles_article"' in q["sql"]]
    assert reads
    assert not any('"body"' in sql for sql in reads)


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
