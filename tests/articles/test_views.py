"""The reader's pages: home, category, article. What shows, what never shows, what it costs."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, DailyViews
from tests.factories import ArticleFactory, CategoryFactory, UserFactory
from tests.images import image_bytes
from tests.pages import block, visible_text

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Firefox/140.0"}


# published() everywhere: a hidden article shows nowhere, even when much read


def test_hidden_article_is_on_no_list(client, hidden_article):
    pages = [
        reverse("articles:home"),
        hidden_article.category.get_absolute_url(),
        hidden_article.author.get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Texte public visible" in response.content.decode(), url
        assert "Texte caché 7f3a" not in response.content.decode(), url
        assert hidden_article.get_absolute_url() not in response.content.decode(), url


def test_hidden_article_is_not_in_most_read(client, hidden_article):
    visible = Article.objects.published().get()
    response = client.get(visible.get_absolute_url())
    widget = block(response, r'<section class="most-read"')
    assert "Texte public visible" in widget
    assert "Texte caché 7f3a" not in widget


def test_hidden_article_url_is_404(client, hidden_article):
    response = client.get(hidden_article.get_absolute_url(), **BROWSER)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()
    assert DailyViews.objects.get(article=hidden_article).views == 10_000  # and not counted


def test_hidden_article_is_404_even_for_its_author(client, hidden_article):
    client.force_login(hidden_article.author)
    assert client.get(hidden_article.get_absolute_url()).status_code == 404


# The article page, point by point against the reference page


@pytest.fixture
def article():
    author = UserFactory(username="awa", display_name="Awa Ndiaye", account_kind="association")
    return ArticleFactory(
        title="Le marché de Sandaga renaît",
        summary="Un chapô de deux phrases.",
        body="<h2>Intertitre</h2><p>Corps de l'article.</p><blockquote><p>Citation</p></blockquote>",
        category=CategoryFactory(name="International", slug="international"),
        author=author,
        creator_credit="Moussa Sarr",
        # 04:10 in Paris is 02:10 in Dakar (UTC+0): the page shows the site's time zone.
        published_at=datetime.datetime(2024, 10, 4, 4, 10, 0, tzinfo=ZoneInfo("Europe/Paris")),
    )


def test_article_page_breadcrumb_links_site_and_category(client, article):
    response = client.get(article.get_absolute_url())
    crumbs = block(response, r"<nav class=\"breadcrumb-nav")
    assert '<a href="/">NOTRE CONTINENT</a>' in crumbs
    assert '<a href="/categorie/international/">International</a>' in crumbs
    assert crumbs.index("NOTRE CONTINENT") < crumbs.index("International")


def test_article_page_header(client, article):
    response = client.get(article.get_absolute_url())
    text = visible_text(response)
    html = response.content.decode()
    assert '<h1 id="titre-article" class="article-title">Le marché de Sandaga renaît</h1>' in html
    assert "<title>Le marché de Sandaga renaît — NOTRE CONTINENT</title>" in html
    assert 'Par <a href="/auteurs/awa/">Awa Ndiaye</a>' in html
    assert "Publié le 04/10/2024 02:10:00" in text
    assert "Article écrit par le créateur de contenu : Moussa Sarr" in text
    assert "Un chapô de deux phrases." in text


def test_article_page_without_creator_credit_has_no_credit_line(client, article):
    article.creator_credit = ""
    article.save()
    assert "créateur de contenu" not in client.get(article.get_absolute_url()).content.decode()


def test_article_page_body_is_rendered_as_html(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<h2>Intertitre</h2><p>Corps de l'article.</p>" in html
    assert "<blockquote><p>Citation</p></blockquote>" in html


def test_article_page_pitches_the_platform_with_a_sign_up_link(client, article):
    pitch = block(client.get(article.get_absolute_url()), r'<aside class="pitch"')
    assert "Particuliers, associations, ONG ou professionnels" in pitch
    assert 'href="/accounts/signup/"' in pitch


def test_article_page_has_most_read_comments_area_and_footer(client, article):
    DailyViews.add(article.pk, count=3)
    response = client.get(article.get_absolute_url())
    text = visible_text(response)
    html = response.content.decode()
    assert "LES PLUS LUS" in text
    widget = block(response, r'<section class="most-read"')
    assert f'href="{article.get_absolute_url()}">Le marché de Sandaga renaît</a>' in widget
    assert 'href="/categorie/international/">International</a>' in widget
    assert "Réagir à cet article" in text
    notice = (
        "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *"
    )
    assert notice in text
    assert "Aucun commentaire" in text
    year = timezone.localdate().year
    assert f"Copyright © {year} www.notrecontinent.com" in text
    assert 'id="haut"' in html
    assert re.search(r'<a [^>]*href="#haut"[^>]*>', block(response, r"<footer"))


def test_reference_texts_come_in_the_reference_order(client, article):
    text = visible_text(client.get(article.get_absolute_url()))
    order = [
        "NOTRE CONTINENT",
        "Le marché de Sandaga renaît",
        "Par Awa Ndiaye",
        "Publié le 04/10/2024 02:10:00",
        "Article écrit par le créateur de contenu : Moussa Sarr",
        "Corps de l'article.",
        "ONG ou professionnels",
        "Réagir à cet article",
        "Aucun commentaire",
        "Copyright ©",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)


def test_article_cover_with_caption_and_credit(client, article):
    article.set_cover(SimpleUploadedFile("photo.jpg", image_bytes("JPEG", size=(2400, 1600))))
    article.cover_caption = "Le marché au petit matin."
    article.cover_credit = "Moussa Sarr"
    article.save()
    response = client.get(article.get_absolute_url())
    figure = block(response, r'<figure class="article-cover"')
    assert f'src="{article.cover_image.url}"' in figure
    assert 'alt="Le marché au petit matin."' in figure
    assert "Crédit : Moussa Sarr" in figure
    # The cover is served from MEDIA_ROOT in the default setup.
    media = client.get(article.cover_image.url)
    assert media.status_code == 200
    assert media["Content-Type"] == "image/webp"


def test_article_without_author_account(client, article):
    article.author.delete()
    text = visible_text(client.get(article.get_absolute_url()))
    assert "Par Auteur supprimé" in text


def test_suspended_author_is_named_without_a_dead_link(client, article):
    article.author.is_active = False
    article.author.save()
    response = client.get(article.get_absolute_url())
    assert f"Par {article.author.display_name}" in visible_text(response)
    assert article.author.get_absolute_url() not in response.content.decode()


def test_article_page_escapes_title_and_credit(client):
    article = ArticleFactory(
        title='<script>alert("t")</script>', creator_credit="<b>Moussa</b>", summary="<i>x</i>"
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Moussa&lt;/b&gt;" in html


# Home and category pages


def test_home_leads_with_the_featured_article_then_latest_and_sections(client):
    politics = CategoryFactory(name="Politique", slug="politique")
    culture = CategoryFactory(name="Culture", slug="culture")
    featured = ArticleFactory(
        title="À la une", category=politics, published_at=timezone.now() - datetime.timedelta(2)
    )
    Article.objects.filter(pk=featured.pk).update(is_featured=True)
    newest = ArticleFactory(title="Le plus récent", category=culture)
    response = client.get(reverse("articles:home"))
    assert response.context["lead"] == featured
    assert newest in response.context["latest"]
    html = response.content.decode()
    assert html.index("À la une") < html.index("Derniers articles") < html.index("Le plus récent")


def test_home_sections_hold_the_articles_not_already_shown(client):
    category = CategoryFactory(name="Sport", slug="sport")
    articles = [
        ArticleFactory(category=category, published_at=timezone.now() - datetime.timedelta(hours=h))
        for h in range(12)
    ]
    response = client.get(reverse("articles:home"))
    shown = {response.context["lead"].pk} | {a.pk for a in response.context["latest"]}
    sections = dict(response.context["sections"])
    assert len(shown) == 9
    assert [a.pk for a in sections[category]] == [a.pk for a in articles[9:12]]


def test_home_without_articles_invites_to_write(client):
    text = visible_text(client.get(reverse("articles:home")))
    assert "Aucun article n'est encore publié" in text
    assert "LES PLUS LUS" in text


def test_category_page_lists_its_own_articles_newest_first(client):
    category, other = CategoryFactory(), CategoryFactory()
    old = ArticleFactory(category=category, published_at=timezone.now() - datetime.timedelta(3))
    new = ArticleFactory(category=category)
    ArticleFactory(category=other, title="Ailleurs")
    response = client.get(category.get_absolute_url())
    assert list(response.context["articles"]) == [new, old]
    assert "Ailleurs" not in response.content.decode()


def test_unknown_and_inactive_categories_are_404(client):
    hidden = CategoryFactory(is_active=False)
    assert client.get(reverse("articles:category", args=["nexiste-pas"])).status_code == 404
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_unknown_article_is_404(client):
    assert client.get(reverse("articles:detail", args=["nexiste-pas"])).status_code == 404


def test_navigation_lists_active_categories(client):
    CategoryFactory(name="Santé", slug="sante")
    CategoryFactory(name="Archives", slug="archives", is_active=False)
    nav = block(client.get(reverse("articles:home")), r'<nav class="category-nav"')
    assert '<a href="/categorie/sante/">Santé</a>' in nav
    assert "Archives" not in nav


# Query counts: pinned, and the same for 10 or 30 articles (below ten, the newest all fit
# in the lead and latest: no category section to read)


# Home: the newest featured article, the newest ones, the active categories with the ids
# of their newest articles, those articles.
HOME_QUERIES = 4
# Category: the category, the page of articles (no count: pages are keyset).
CATEGORY_QUERIES = 2
# Article: the article (with category and author), the view upsert (its day row and its
# Readership row), whether its comments are open (comments.Discussion), and the comment
# section (comments.threads: the counts of comments and threads, the page of threads).
ARTICLE_QUERIES = 6
# With cold caches, add one query each for the navigation and "Les plus lus".
WIDGET_QUERIES = 2


@pytest.mark.parametrize("n", [10, 30])
def test_home_query_count(client, make_site, warm_caches, django_assert_num_queries, n):
    make_site(n)
    warm_caches()
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get(reverse("articles:home")).status_code == 200
    cache.clear()
    with django_assert_num_queries(HOME_QUERIES + WIDGET_QUERIES):
        assert client.get(reverse("articles:home")).status_code == 200


@pytest.mark.parametrize("n", [10, 30])
def test_category_query_count(client, make_site, warm_caches, django_assert_num_queries, n):
    categories, _ = make_site(n)
    warm_caches()
    with django_assert_num_queries(CATEGORY_QUERIES):
        assert client.get(categories[0].get_absolute_url()).status_code == 200
    cache.clear()
    with django_assert_num_queries(CATEGORY_QUERIES + WIDGET_QUERIES):
        assert client.get(categories[0].get_absolute_url()).status_code == 200


@pytest.mark.parametrize("n", [10, 30])
def test_article_query_count(
    client, make_site, warm_caches, django_assert_num_queries, n, settings
):
    settings.VIEW_FLUSH_SECONDS = 0  # counted views written at once, as without Redis
    _, articles = make_site(n)
    warm_caches()
    client.get(articles[0].get_absolute_url(), **BROWSER)  # settles the comment section
    for article in (articles[1], articles[-1]):
        with django_assert_num_queries(ARTICLE_QUERIES):
            assert client.get(article.get_absolute_url(), **BROWSER).status_code == 200
    # The same visitor again: no view to count, two queries less.
    with django_assert_num_queries(ARTICLE_QUERIES - 2):
        assert client.get(articles[1].get_absolute_url(), **BROWSER).status_code == 200
