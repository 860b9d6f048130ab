"""RSS feeds: the latest published articles, site-wide and per category, at a fixed cost."""

import datetime
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.feeds import FEED_SIZE
from tests.factories import ArticleFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db

DC = "{http://purl.org/dc/elements/1.1/}"
SITE = "http://www.notrecontinent.com"  # the Site of accounts/migrations/0002


def items(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    return ET.fromstring(response.content).findall("channel/item")


def titles(response):
    return [item.findtext("title") for item in items(response)]


class Reader(HTMLParser):
    """What a feed reader makes of an item's description, which it renders as HTML: the
    elements it would build, and the text it would show."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements, self.shown = [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append(tag)

    def handle_data(self, data):
        self.shown.append(data)

    def handle_comment(self, data):
        self.elements.append("<!--")

    @property
    def text(self):
        return "".join(self.shown)


def test_feed_urls(client):
    assert reverse("articles:feed") == "/flux/"
    assert reverse("articles:category_feed", args=["sante"]) == "/categorie/sante/flux/"


def test_feed_item_content(client):
    author = UserFactory(username="awa", display_name="Awa Ndiaye")
    article = ArticleFactory(
        title="Le marché de Sandaga <renaît>",
        summary="Un chapô & deux phrases.",
        body="<p>Le corps, qui n'est pas dans le flux.</p>",
        author=author,
        category=CategoryFactory(name="International", slug="international"),
        published_at=datetime.datetime(2024, 10, 4, 2, 10, tzinfo=datetime.UTC),
    )
    response = client.get(reverse("articles:feed"))
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "Notre Continent — derniers articles"
    assert channel.findtext("link") == f"{SITE}/"
    assert channel.findtext("language") == "fr"
    (item,) = items(response)
    assert item.findtext("title") == "Le marché de Sandaga <renaît>"
    assert item.findtext("link") == f"{SITE}{article.get_absolute_url()}"
    assert item.findtext("guid") == f"{SITE}{article.get_absolute_url()}"
    description = Reader(item.findtext("description"))
    assert (description.elements, description.text) == ([], "Un chapô & deux phrases.")
    assert item.findtext(f"{DC}creator") == "Awa Ndiaye"
    assert item.findtext("category") == "International"
    assert parsedate_to_datetime(item.findtext("pubDate")) == article.published_at
    assert "Le corps" not in response.content.decode()
    assert "@" not in response.content.decode()  # no e-mail address, ever


HOSTILE = (
    '<script>alert("chapô")</script><img src=x onerror=alert(1)> <b>gras</b> '
    "<!-- commentaire --> &amp; &lt;i&gt; <![CDATA[ ]]> ]]> <a href='javascript:alert(2)'>lien</a>"
)


@pytest.mark.parametrize("feed", ["articles:feed", "articles:category_feed"])
def test_readers_see_a_hostile_summary_as_text(client, feed):
    """Through a real XML parser, then an HTML one, as a reader renders a description."""
    category = CategoryFactory(name="Santé <i>&</i>", slug="sante")
    ArticleFactory(category=category, title="<b>Titre</b> & « guillemets »", summary=HOSTILE)
    args = [category.slug] if feed == "articles:category_feed" else []
    response = client.get(reverse(feed, args=args))
    (item,) = items(response)  # well-formed XML, whatever the summary holds
    description = Reader(item.findtext("description"))
    assert description.elements == []
    assert description.text == HOSTILE
    # Plain-text elements carry the text as written, once escaped for XML.
    assert item.findtext("title") == "<b>Titre</b> & « guillemets »"
    assert item.findtext("category") == "Santé <i>&</i>"
    assert "<script" not in response.content.decode()


@pytest.mark.parametrize("feed", ["articles:feed", "articles:category_feed"])
def test_characters_xml_cannot_carry_leave_the_feed_not_the_article(client, feed):
    """A vertical tab pasted into a title made Django's feed writer refuse the whole feed."""
    category = CategoryFactory(name="Santé\x0c", slug="sante")
    author = UserFactory(display_name="Awa\x1b Ndiaye")
    ArticleFactory(
        category=category, author=author, title="Un\x0btitre\ufffe", summary="Un\x01 chapô\x08"
    )
    args = [category.slug] if feed == "articles:category_feed" else []
    response = client.get(reverse(feed, args=args))
    (item,) = items(response)
    assert item.findtext("title") == "Untitre"
    assert Reader(item.findtext("description")).text == "Un chapô"
    assert item.findtext("category") == "Santé"
    assert item.findtext(f"{DC}creator") == "Awa Ndiaye"


def test_feed_names_a_deleted_author(client):
    ArticleFactory(author=None)
    (item,) = items(client.get(reverse("articles:feed")))
    assert item.findtext(f"{DC}creator") == "Auteur supprimé"


def test_feed_lists_the_latest_20_newest_first(client):
    now = timezone.now()
    for i in range(FEED_SIZE + 2):
        ArticleFactory(title=f"Article {i:02d}", published_at=now - datetime.timedelta(hours=i))
    assert FEED_SIZE == 20
    assert titles(client.get(reverse("articles:feed"))) == [f"Article {i:02d}" for i in range(20)]


def test_hidden_article_is_in_no_feed(client, hidden_article):
    for url in (
        reverse("articles:feed"),
        reverse("articles:category_feed", args=[hidden_article.category.slug]),
    ):
        response = client.get(url)
        assert titles(response) == ["Texte public visible"], url
        assert "7f3a" not in response.content.decode()
        assert hidden_article.get_absolute_url() not in response.content.decode()


def test_category_feed_lists_its_category_only(client):
    sante = CategoryFactory(name="Santé", slug="sante")
    ArticleFactory(title="Un dispensaire rouvre", category=sante)
    ArticleFactory(title="Élections municipales")
    response = client.get(reverse("articles:category_feed", args=["sante"]))
    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title") == "Notre Continent — Santé"
    assert channel.findtext("link") == f"{SITE}/categorie/sante/"
    assert titles(response) == ["Un dispensaire rouvre"]


def test_category_feed_of_unknown_or_inactive_category_is_404(client):
    archives = CategoryFactory(slug="archives", is_active=False)
    ArticleFactory(category=archives)
    assert client.get("/categorie/inconnue/flux/").status_code == 404
    assert client.get("/categorie/archives/flux/").status_code == 404


def test_pages_announce_their_feeds(client):
    category = CategoryFactory(name="Santé", slug="sante")
    home = client.get(reverse("articles:home")).content.decode()
    site_feed = (
        '<link rel="alternate" type="application/rss+xml" '
        'title="Notre Continent — derniers articles" href="/flux/">'
    )
    assert site_feed in home
    page = client.get(category.get_absolute_url()).content.decode()
    assert site_feed in page
    assert (
        '<link rel="alternate" type="application/rss+xml" '
        'title="Notre Continent — Santé" href="/categorie/sante/flux/">'
    ) in page


# Query counts: the page of items (with category and author); the category feed reads its
# category first. The Site is cached by django.contrib.sites after the first request.
FEED_QUERIES = 1
CATEGORY_FEED_QUERIES = 2


@pytest.mark.parametrize("n", [3, 30])
def test_feed_query_count(client, make_site, django_assert_num_queries, n):
    categories, _ = make_site(n)
    client.get(reverse("articles:feed"))
    with django_assert_num_queries(FEED_QUERIES):
        assert len(items(client.get(reverse("articles:feed")))) == min(n, FEED_SIZE)
    url = reverse("articles:category_feed", args=[categories[0].slug])
    with django_assert_num_queries(CATEGORY_FEED_QUERIES):
        assert len(items(client.get(url))) == (n + 3) // 4
