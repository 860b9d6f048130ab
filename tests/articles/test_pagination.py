"""Category and author pages, paged by keyset: "Articles plus anciens", "Articles plus récents"."""

import datetime
import re

import pytest
from django.utils import timezone

from articles.models import Article
from articles.pagination import Cursor
from tests.factories import ArticleFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

OLDER_LINK = re.compile(r'<a class="page-link" href="(\?[^"]*)" rel="next">')
NEWER_LINK = re.compile(r'<a class="page-link" href="(\?[^"]*)" rel="prev">')


def publish(n, *, moment=None, **fields):
    """n published articles, an hour apart, the newest an hour ago (or all at `moment`)."""
    now = timezone.now()
    return [
        ArticleFactory(published_at=moment or now - datetime.timedelta(hours=i + 1), **fields)
        for i in range(n)
    ]


def titles(response):
    return [a.title for a in response.context["articles"]]


def link(pattern, response):
    match = pattern.search(response.content.decode())
    return match and match[1].replace("&amp;", "&")


def walk_down(client, url):
    """Every page from the first, following "Articles plus anciens"; the responses."""
    pages = [client.get(url)]
    while older := link(OLDER_LINK, pages[-1]):
        pages.append(client.get(url + older))
        assert len(pages) < 20
    return pages


@pytest.fixture
def category():
    return CategoryFactory(name="Économie", slug="economie")


def test_pages_of_twelve_newest_first_each_article_once(client, category):
    articles = publish(30, category=category)
    pages = walk_down(client, category.get_absolute_url())
    assert [len(p.context["articles"]) for p in pages] == [12, 12, 6]
    assert sum((titles(p) for p in pages), []) == [a.title for a in articles]


def test_articles_published_in_the_same_second_are_split_without_loss(client, category):
    # A bulk import gives many articles the same publication date: the id breaks the tie.
    moment = timezone.now() - datetime.timedelta(days=1)
    articles = publish(25, moment=moment, category=category)
    pages = walk_down(client, category.get_absolute_url())
    shown = sum((titles(p) for p in pages), [])
    assert shown == [a.title for a in sorted(articles, key=lambda a: -a.pk)]


def test_newer_link_walks_back_up_to_the_first_page(client, category):
    publish(30, category=category)
    url = category.get_absolute_url()
    down = walk_down(client, url)
    assert link(NEWER_LINK, down[0]) is None
    last = down[-1]
    up = client.get(url + link(NEWER_LINK, last))
    assert titles(up) == titles(down[1])
    # Above the second page is the first one, which has its own address.
    response = client.get(url + link(NEWER_LINK, up))
    assert response.status_code == 302
    assert response["Location"] == url


def test_first_page_alone_has_no_navigation(client, category):
    publish(12, category=category)
    html = client.get(category.get_absolute_url()).content.decode()
    assert 'aria-label="Pages d\'articles"' not in html
    assert "plus anciens" not in html


def test_navigation_labels(client, category):
    publish(13, category=category)
    url = category.get_absolute_url()
    first = client.get(url)
    html = first.content.decode()
    assert '<nav class="mt-4" aria-label="Pages d\'articles">' in html
    assert 'rel="next">Articles plus anciens<span aria-hidden="true"> »</span></a>' in html
    second = client.get(url + link(OLDER_LINK, first)).content.decode()
    assert '<span aria-hidden="true">« </span>Articles plus récents</a>' in second


def test_deep_pages_never_show_hidden_articles(client, category):
    publish(13, category=category)
    oldest = Article.objects.order_by("published_at").first()
    hidden = ArticleFactory(
        category=category,
        status=Article.Status.DRAFT,
        published_at=oldest.published_at - datetime.timedelta(minutes=1),
        title="Brouillon 5b1e",
    )
    ArticleFactory(
        category=category,
        published_at=timezone.now() + datetime.timedelta(days=1),
        title="Programmé 5b1e",
    )
    # A cursor from the future pages from the newest public article, not from tomorrow's.
    future = Cursor(timezone.now() + datetime.timedelta(days=3), 10**9)
    for query in (f"?avant={future}", f"?avant={Cursor.of(oldest)}", f"?apres={Cursor.of(hidden)}"):
        response = client.get(category.get_absolute_url() + query)
        assert response.status_code in (200, 302)
        assert "5b1e" not in response.content.decode()


def test_a_cursor_below_the_oldest_article_says_so(client, category):
    (article,) = publish(1, category=category)
    before = Cursor(article.published_at - datetime.timedelta(days=1), 1)
    response = client.get(f"{category.get_absolute_url()}?avant={before}")
    assert response.status_code == 200
    assert "Aucun article plus ancien." in response.content.decode()
    assert link(NEWER_LINK, response)


@pytest.mark.parametrize("page", ["1", "2", "99", "abc", "", "9" * 30])
def test_former_numbered_pages_lead_to_the_first_page(client, category, page):
    publish(13, category=category)
    response = client.get(category.get_absolute_url(), {"page": page})
    assert response.status_code == 301
    assert response["Location"] == category.get_absolute_url()


@pytest.mark.parametrize(
    "query",
    [
        "avant=abc",
        "avant=",
        "apres=%00",
        "avant=20241004T021000.000000Z",  # no id
        "avant=20241004T021000Z_12",  # no microseconds
        "avant=20241304T021000.000000Z_12",  # 13th month
        "avant=20240230T021000.000000Z_12",  # 30th of February
        "avant=00000101T000000.000000Z_12",  # year 0
        "avant=20241004T021000.000000Z_-12",
        "avant=20241004T021000.000000Z_" + "9" * 19,  # beyond a 64-bit id
        "avant=٢٠٢٤١٠٠٤T021000.000000Z_12",  # other digits than ASCII
        "avant=20241004T021000.000000Z_12&apres=20241004T021000.000000Z_12",
    ],
)
def test_a_forged_cursor_is_a_bad_request(client, category, query):
    publish(13, category=category)
    response = client.get(f"{category.get_absolute_url()}?{query}")
    assert response.status_code == 400
    assert "Requête invalide" in response.content.decode()


def test_the_largest_id_a_cursor_takes_is_answered(client, category):
    publish(2, category=category)
    response = client.get(f"{category.get_absolute_url()}?avant=99991231T235959.999999Z_{'9' * 18}")
    assert response.status_code == 200
    assert len(response.context["articles"]) == 2


def test_cursor_round_trip():
    moment = datetime.datetime(2024, 10, 4, 2, 10, 0, 123456, tzinfo=datetime.UTC)
    assert str(Cursor(moment, 1234)) == "20241004T021000.123456Z_1234"
    assert Cursor.parse("20241004T021000.123456Z_1234") == Cursor(moment, 1234)


def test_author_page_pages_the_same_way(client):
    author = UserFactory(username="awa")
    articles = publish(14, author=author)
    publish(3)  # someone else's
    pages = walk_down(client, "/auteurs/awa/")
    assert sum((titles(p) for p in pages), []) == [a.title for a in articles]
    assert client.get("/auteurs/awa/?avant=nope").status_code == 400
