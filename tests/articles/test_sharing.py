"""An article page as the places it is shared to read it: Open Graph and Twitter card
metadata, NewsArticle JSON-LD, and share links that need no script and track nobody.

Pages are read back with an HTML parser (html.parser, which ends a <script> at the first
"</script" as browsers do), never by searching the text."""

import datetime
import json
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from accounts.models import User
from articles.models import Article
from tests.articles.test_views import ARTICLE_QUERIES
from tests.factories import ArticleFactory, DraftFactory, UserFactory

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Firefox/140.0"}
# Quotes of both kinds, markup, a script end and a comment opener, an ampersand and its
# entity, the characters JSON and URLs treat specially, a JavaScript line separator.
HOSTILE = (
    'L\'« ONG » dit "non" </script><script>alert(1)</script> <!-- &amp; & #1 ?x=1 + é\u2028fin'
)


class Page(HTMLParser):
    """The head's metadata, the data blocks, the scripts and the links of a page."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.scripts, self.anchors, self.buttons = {}, {}, [], [], []
        self._script = self._anchor = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name")
            assert key not in self.meta, f"{key} twice"
            self.meta[key] = attrs.get("content")
        elif tag == "link":
            self.links[attrs["rel"]] = attrs["href"]
        elif tag == "script":
            self._script = {**attrs, "text": ""}
        elif tag == "a":
            self._anchor = {**attrs, "text": ""}
        elif tag == "button":
            self.buttons.append(attrs)
        elif tag == "li" and "data-share-copy" in attrs:
            self.copy_item = attrs

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"] += data
        if self._anchor is not None:
            self._anchor["text"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self.scripts.append(self._script)
            self._script = None
        elif tag == "a" and self._anchor is not None:
            self.anchors.append(self._anchor)
            self._anchor = None

    def json_ld(self):
        blocks = [s for s in self.scripts if s.get("type") == "application/ld+json"]
        assert len(blocks) == 1
        return json.loads(blocks[0]["text"])

    def share_links(self):
        return [a for a in self.anchors if "share-link" in a.get("class", "")]


def read(client, article, **extra):
    response = client.get(article.get_absolute_url(), **extra)
    assert response.status_code == 200
    return Page(response.content.decode())


def url_of(article):
    return f"http://testserver{article.get_absolute_url()}"


def iso(value):
    return datetime.datetime.fromisoformat(value)


@pytest.fixture
def article():
    return ArticleFactory(
        title="Le port de Dakar s'agrandit",
        summary="Un nouveau quai pour les conteneurs.",
        category__name="Économie",
        author=UserFactory(display_name="Aminata Diop"),
        published_at=timezone.now() - datetime.timedelta(days=2),
        cover=True,
        cover_caption="Le quai nord",
    )


# Open Graph and Twitter card


def test_article_page_carries_open_graph_and_twitter_card(client, article):
    page = read(client, article)
    article.refresh_from_db()
    assert page.links["canonical"] == url_of(article)
    assert page.meta["og:type"] == "article"
    assert page.meta["og:url"] == url_of(article)
    assert page.meta["og:site_name"] == "Notre Continent"
    assert page.meta["og:locale"] == "fr_FR"
    assert page.meta["og:title"] == "Le port de Dakar s'agrandit"
    assert page.meta["og:description"] == "Un nouveau quai pour les conteneurs."
    assert page.meta["description"] == page.meta["og:description"]
    assert page.meta["og:image"] == f"http://testserver{article.cover_image.url}"
    assert page.meta["og:image:alt"] == "Le quai nord"
    assert iso(page.meta["article:published_time"]) == article.published_at.replace(microsecond=0)
    assert iso(page.meta["article:modified_time"]) == article.updated_at.replace(microsecond=0)
    # In the site's time zone, as the byline.
    assert page.meta["article:published_time"].endswith("+00:00")
    assert page.meta["article:section"] == "Économie"
    assert page.meta["twitter:card"] == "summary_large_image"


def test_without_a_cover_the_card_is_a_summary_and_there_is_no_image(client):
    article = ArticleFactory()
    page = read(client, article)
    assert page.meta["twitter:card"] == "summary"
    assert "og:image" not in page.meta
    assert "image" not in page.json_ld()


def test_without_a_summary_the_description_is_the_start_of_the_text(client):
    body = "<p>Les pêcheurs de <strong>Kayar</strong> &amp; de Joal</p><p>" + "mer " * 100 + "</p>"
    article = ArticleFactory(summary="", body=body)
    description = read(client, article).meta["og:description"]
    assert description.startswith("Les pêcheurs de Kayar & de Joal mer mer")
    assert len(description) <= 200 and description.endswith("…")
    assert read(client, article).json_ld()["description"] == description


def test_modified_time_is_never_before_the_publication(client):
    # Written, then published with a date set after its last edit.
    article = ArticleFactory(published_at=timezone.now() - datetime.timedelta(hours=1))
    Article.objects.filter(pk=article.pk).update(
        updated_at=timezone.now() - datetime.timedelta(days=3)
    )
    page = read(client, article)
    assert page.meta["article:modified_time"] == page.meta["article:published_time"]


# JSON-LD


def test_news_article_json_ld(client, article):
    article.creator_credit = "Moussa Sow"
    article.save()
    data = read(client, article).json_ld()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Le port de Dakar s'agrandit"
    assert data["url"] == data["mainEntityOfPage"] == url_of(article)
    assert data["description"] == "Un nouveau quai pour les conteneurs."
    assert iso(data["datePublished"]) == article.published_at.replace(microsecond=0)
    assert iso(data["dateModified"]) == article.updated_at.replace(microsecond=0)
    assert data["articleSection"] == "Économie"
    assert data["author"] == [
        {
            "@type": "Person",
            "name": "Aminata Diop",
            "url": f"http://testserver/auteurs/{article.author.username}/",
        },
        {"@type": "Person", "name": "Moussa Sow"},
    ]
    assert data["publisher"] == {
        "@type": "NewsMediaOrganization",
        "name": "Notre Continent",
        "url": "http://testserver/",
    }
    assert data["image"] == [
        f"http://testserver{article.cover_image.url}",
        f"http://testserver{article.cover_thumbnail.url}",
    ]


@pytest.mark.parametrize(
    ("kind", "schema_type"),
    [
        (User.Kind.PARTICULIER, "Person"),
        (User.Kind.PROFESSIONNEL, "Person"),
        (User.Kind.ASSOCIATION, "Organization"),
        (User.Kind.ONG, "Organization"),
    ],
)
def test_the_author_is_a_person_or_an_organisation(client, kind, schema_type):
    article = ArticleFactory(author=UserFactory(account_kind=kind))
    assert read(client, article).json_ld()["author"][0]["@type"] == schema_type


def test_a_suspended_author_has_no_url_and_a_deleted_one_no_entry(client):
    article = ArticleFactory(author=UserFactory(display_name="Compte suspendu", is_active=False))
    assert read(client, article).json_ld()["author"] == [
        {"@type": "Person", "name": "Compte suspendu"}
    ]
    article.author.delete()
    assert "author" not in read(client, article).json_ld()


def test_hostile_texts_come_back_whole_from_meta_and_json_ld(client):
    author = UserFactory(display_name=HOSTILE[:80], account_kind=User.Kind.ONG)
    article = ArticleFactory(
        title=HOSTILE,
        summary=HOSTILE,
        category__name=HOSTILE[:80],
        author=author,
        creator_credit=HOSTILE[:120],
        cover=True,
        cover_caption=HOSTILE[:200],
    )
    html = client.get(article.get_absolute_url()).content.decode()
    page = Page(html)
    # Every value comes back as typed: nothing cut, nothing added, nothing run (the
    # description is one line: its line separator is a space).
    one_line = " ".join(HOSTILE.split())
    assert page.meta["og:title"] == HOSTILE
    assert page.meta["og:description"] == page.meta["description"] == one_line
    assert page.meta["article:section"] == HOSTILE[:80]
    assert page.meta["og:image:alt"] == HOSTILE[:200]
    data = page.json_ld()
    assert data["headline"] == HOSTILE
    assert data["description"] == one_line
    assert data["articleSection"] == HOSTILE[:80]
    assert [a["name"] for a in data["author"]] == [HOSTILE[:80], HOSTILE[:120]]
    # The only scripts are the data block and the site's own files.
    assert [s.get("type") or s["src"] for s in page.scripts] == [
        "application/ld+json",
        "/static/js/share.js",
        "/static/js/comments.js",
    ]
    assert "alert(1)" not in "".join(s["src"] for s in page.scripts if "src" in s)
    # The block as sent: none of <, > or & raw inside it.
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    raw = html[start : html.index("</script>", start)]
    assert not set("<>&") & set(raw)


# Share links


def test_share_links_whatsapp_first_then_facebook_x_and_e_mail(client, article):
    links = read(client, article).share_links()
    assert [(a["text"], a["aria-label"]) for a in links] == [
        ("WhatsApp", "Partager sur WhatsApp"),
        ("Facebook", "Partager sur Facebook"),
        ("X", "Partager sur X"),
        ("E-mail", "Envoyer par e-mail"),
    ]
    for link in links:
        # The accessible name says what the link does and contains what it shows (2.5.3).
        assert link["text"].lower() in link["aria-label"].lower()
        assert link["rel"] == "nofollow noopener noreferrer"
        assert "target" not in link


def test_share_links_carry_the_canonical_address_and_nothing_else(client):
    article = ArticleFactory(title=HOSTILE)
    url = url_of(article)
    whatsapp, facebook, x, email = (
        urlsplit(a["href"]) for a in read(client, article).share_links()
    )
    expected = [
        (whatsapp, "https", "wa.me", "/", {"text": [f"{HOSTILE} {url}"]}),
        (facebook, "https", "www.facebook.com", "/sharer/sharer.php", {"u": [url]}),
        (x, "https", "x.com", "/intent/tweet", {"text": [HOSTILE], "url": [url]}),
        (email, "mailto", "", "", {"subject": [HOSTILE], "body": [f"{HOSTILE}\r\n\r\n{url}"]}),
    ]
    for link, scheme, host, path, params in expected:
        assert (link.scheme, link.netloc, link.path) == (scheme, host, path)
        # No utm_*, no fbclid, no identifier of the reader: exactly these parameters.
        assert parse_qs(link.query, keep_blank_values=True, strict_parsing=True) == params
        assert not link.fragment
        assert "+" not in link.query  # %20, which mail clients read as a space (RFC 6068)


def test_copy_link_waits_for_javascript(client, article):
    page = read(client, article)
    assert "hidden" in page.copy_item
    (button,) = [b for b in page.buttons if "data-url" in b]
    assert button["type"] == "button"
    assert button["data-url"] == url_of(article)
    assert button["data-done"] == "Lien copié."
    (script,) = [s for s in page.scripts if s.get("src") == "/static/js/share.js"]
    assert "defer" in script


def test_a_preview_has_no_sharing(client):
    draft = DraftFactory(title="Pas encore en ligne")
    client.force_login(draft.author)
    response = client.get(f"/contribuer/{draft.pk}/apercu/")
    page = Page(response.content.decode())
    assert page.share_links() == []
    assert not [s for s in page.scripts if s.get("type") == "application/ld+json"]
    assert "og:title" not in page.meta
    assert page.meta["robots"] == "noindex, nofollow"


def test_sharing_costs_no_query(client, article, django_assert_num_queries, settings):
    """An article with everything sharing reads (cover, credit, an organisation as author)
    costs what any article page costs."""
    settings.VIEW_FLUSH_SECONDS = 0  # counted views written at once, as test_views pins them
    article.creator_credit = "Moussa Sow"
    article.author.account_kind = User.Kind.ONG
    article.author.save()
    article.save()
    client.get("/")  # the navigation and "Les plus lus"
    client.get(ArticleFactory().get_absolute_url(), **BROWSER)  # the comment section's settings
    with django_assert_num_queries(ARTICLE_QUERIES):
        page = read(client, article, **BROWSER)
    assert page.json_ld()["author"][0]["@type"] == "Organization"
