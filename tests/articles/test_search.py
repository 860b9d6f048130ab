"""Search: published articles only, escaped, paginated, bounded, at a fixed cost."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from articles.models import SEARCH_MAX_LENGTH
from tests.factories import ArticleFactory, CategoryFactory
from tests.pages import block, visible_text

pytestmark = pytest.mark.django_db

URL = reverse("articles:search")


def search(client, q, **params):
    return client.get(URL, {"q": q, **params})


def test_search_url():
    assert URL == "/recherche/"


@pytest.mark.parametrize("q", ["Texte", "Zanzibar", "7f3a"])
def test_hidden_article_is_never_found(client, hidden_article, q):
    html = search(client, q).content.decode()
    assert "Texte caché 7f3a" not in html
    assert hidden_article.get_absolute_url() not in html
    if q != "7f3a":
        assert "Texte public visible" in html


def test_searches_title_summary_and_body_case_insensitively(client):
    ArticleFactory(title="Le marché de Sandaga renaît")
    ArticleFactory(title="Chapô", summary="Les pêcheurs de Kayar s'organisent.")
    ArticleFactory(title="Texte", body="<p>La saison des pluies à Ziguinchor.</p>")
    ArticleFactory(title="Sans rapport")
    for q, title in [
        ("sandaga", "Le marché de Sandaga"),
        ("KAYAR", "Chapô"),
        ("ziguinchor", "Texte"),
    ]:
        text = visible_text(search(client, q))
        assert f"1 résultat pour « {q} »" in text
        assert title in text
        assert "Sans rapport" not in text


def test_every_word_must_match(client):
    ArticleFactory(title="Eau potable à Thiès")
    ArticleFactory(title="Eau de mer à Saint-Louis")
    text = visible_text(search(client, "  eau   Thiès "))
    assert "1 résultat pour « eau Thiès »" in text
    assert "Eau potable à Thiès" in text
    assert "Saint-Louis" not in text


def test_results_newest_first_with_plural_count(client):
    now = timezone.now()
    ArticleFactory(title="Forage ancien", published_at=now - datetime.timedelta(days=2))
    ArticleFactory(title="Forage récent", published_at=now - datetime.timedelta(hours=1))
    text = visible_text(search(client, "forage"))
    assert "2 résultats pour « forage »" in text
    assert text.index("Forage récent") < text.index("Forage ancien")


def test_no_result(client):
    ArticleFactory(title="Un autre sujet")
    text = visible_text(search(client, "introuvable"))
    assert "Aucun article ne correspond à votre recherche." in text
    assert "résultat" not in text


@pytest.mark.parametrize("q", [None, "", "   "])
def test_empty_query_shows_the_form_only(client, warm_caches, django_assert_num_queries, q):
    ArticleFactory(title="Un article publié")
    warm_caches()
    with django_assert_num_queries(0):
        response = client.get(URL) if q is None else search(client, q)
    assert response.status_code == 200
    text = visible_text(response)
    assert "Recherche" in text
    assert "Un article publié" not in block(response, r"<main")
    assert "résultat" not in text
    assert "Aucun article ne correspond" not in text
    assert '<input class="form-control" type="search" id="recherche-q" name="q" value=""' in (
        response.content.decode()
    )


HOSTILE = '"><script>alert("x")</script><img src=x onerror=alert(1)>'


def test_hostile_query_is_escaped(client):
    ArticleFactory(title="Un article")
    response = search(client, HOSTILE)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    escaped = "&quot;&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    # In the page title and both search fields.
    assert html.count(escaped) == 3
    assert f'value="{escaped}' in html


def test_query_that_matches_is_escaped_in_the_result_line(client):
    ArticleFactory(title="Le <b>gras</b> du titre")
    html = search(client, "<b>gras").content.decode()
    assert "1 résultat pour « &lt;b&gt;gras »" in html
    assert "<b>gras" not in html


def test_long_query_is_truncated(client):
    ArticleFactory(title="Sahel " + "a" * 150)
    response = search(client, "Sahel " + "a" * 5000)
    assert response.status_code == 200
    kept = ("Sahel " + "a" * 5000)[:SEARCH_MAX_LENGTH]
    assert len(kept) == 100
    html = response.content.decode()
    assert f'value="{kept}"' in html
    assert f"1 résultat pour « {kept} »" in visible_text(response)


def test_nul_byte_is_dropped(client):
    ArticleFactory(title="Bamako la nuit")
    response = client.get(URL + "?q=Bamako%00nuit")
    assert response.status_code == 200
    assert "1 résultat pour « Bamako nuit »" in visible_text(response)


def test_many_words_are_bounded(client):
    ArticleFactory(title="Bamako")
    response = search(client, " ".join(["Bamako"] * 50))
    assert response.status_code == 200
    assert "1 résultat pour" in visible_text(response)


def test_pagination_keeps_the_query(client):
    category = CategoryFactory()
    now = timezone.now()
    for i in range(13):
        ArticleFactory(
            title=f"Récolte {i:02d}",
            category=category,
            published_at=now - datetime.timedelta(hours=i + 1),
        )
    first = search(client, "récolte")
    assert "13 résultats pour « récolte »" in visible_text(first)
    assert first.content.decode().count('class="card-article"') == 12
    assert 'href="?q=r%C3%A9colte&amp;page=2" rel="next"' in first.content.decode()
    second = search(client, "récolte", page=2)
    assert second.status_code == 200
    assert "Récolte 12" in visible_text(second)
    assert "Récolte 00" not in visible_text(second)
    assert 'href="?q=r%C3%A9colte&amp;page=1" rel="prev"' in second.content.decode()


@pytest.mark.parametrize("page", ["3", "abc", "0", "-1"])
def test_bad_page_is_404(client, page):
    ArticleFactory.create_batch(13, title="Récolte")
    assert search(client, "récolte", page=page).status_code == 404


def test_search_is_not_indexed(client):
    assert '<meta name="robots" content="noindex, follow">' in search(client, "x").content.decode()


def test_header_has_an_accessible_search_form(client):
    response = client.get(reverse("articles:home"))
    form = block(response, r'<form class="site-search"')
    assert 'role="search"' in form
    assert 'method="get" action="/recherche/"' in form
    assert (
        '<label class="visually-hidden" for="site-search-q">Rechercher un article</label>' in form
    )
    assert 'type="search" id="site-search-q" name="q"' in form
    assert 'maxlength="100"' in form
    assert ">Rechercher</button>" in form


# Query counts: the count and the page of results (navigation and "Les plus lus" cached).
SEARCH_QUERIES = 2
WIDGET_QUERIES = 2


@pytest.mark.parametrize("n", [3, 30])
def test_search_query_count(client, make_site, warm_caches, django_assert_num_queries, n):
    make_site(n)
    warm_caches()
    with django_assert_num_queries(SEARCH_QUERIES):
        response = search(client, "article citoyen")
    assert response.status_code == 200
    assert f"{n} résultat" in visible_text(response)
    cache.clear()
    with django_assert_num_queries(SEARCH_QUERIES + WIDGET_QUERIES):
        assert search(client, "article citoyen").status_code == 200
