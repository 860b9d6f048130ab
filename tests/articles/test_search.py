"""Search: full text, published articles only, ranked, escaped, bounded, at a fixed cost.

The same behaviour on SQLite (FTS5) and PostgreSQL (tsvector), except French stemming,
which only PostgreSQL has (articles/search.py).
"""

import datetime
import html
import re

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from articles.search import MAX_LENGTH
from tests.factories import ArticleFactory, CategoryFactory, DraftFactory
from tests.pages import block, visible_text

pytestmark = pytest.mark.django_db

URL = reverse("articles:search")
ON_POSTGRESQL = connection.vendor == "postgresql"
NO_WORD = "Indiquez au moins un mot à chercher"


def search(client, q, **params):
    return client.get(URL, {"q": q, **params})


def titles(response):
    """The titles of the results, in their order, as a reader reads them."""
    assert response.status_code == 200
    found = re.findall(
        r'<h3 class="card-article__title"><a href="[^"]*">(.*?)</a></h3>',
        response.content.decode(),
    )
    return [html.unescape(re.sub(r"</?mark>", "", title)) for title in found]


def test_search_url():
    assert URL == "/recherche/"


@pytest.mark.parametrize("q", ["Texte", "Zanzibar", "7f3a"])
def test_hidden_article_is_never_found(client, hidden_article, q):
    response = search(client, q)
    assert hidden_article.get_absolute_url() not in response.content.decode()
    assert titles(response) == ([] if q == "7f3a" else ["Texte public visible"])


def test_searches_title_summary_and_body_case_insensitively(client):
    ArticleFactory(title="Le marché de Sandaga renaît")
    ArticleFactory(title="Chapô", summary="Les pêcheurs de Kayar s'organisent.")
    ArticleFactory(title="Texte", body="<p>La saison des pluies à <b>Ziguinchor</b>.</p>")
    ArticleFactory(title="Sans rapport")
    for q, title in [
        ("sandaga", "Le marché de Sandaga renaît"),
        ("KAYAR", "Chapô"),
        ("ziguinchor", "Texte"),
    ]:
        response = search(client, q)
        assert f"1 résultat pour « {q} »" in visible_text(response)
        assert titles(response) == [title]


def test_every_word_must_match(client):
    ArticleFactory(title="Eau potable à Thiès")
    ArticleFactory(title="Eau de mer à Saint-Louis")
    response = search(client, "  eau   Thiès ")
    assert "1 résultat pour « eau Thiès »" in visible_text(response)
    assert titles(response) == ["Eau potable à Thiès"]


def test_accents_and_case_are_ignored(client):
    ArticleFactory(title="L'économie du Sénégal")
    ArticleFactory(title="Une ECONOMIE sans accents")
    for q in ["economie", "Économie", "ÉCONOMIE", "senegal"]:
        found = titles(search(client, q))
        assert "L'économie du Sénégal" in found, q
    assert len(titles(search(client, "économie"))) == 2


@pytest.mark.parametrize(("q", "text"), [("élections", "élection"), ("élection", "élections")])
def test_singular_and_plural_find_each_other(client, q, text):
    ArticleFactory(title=f"Les {text} à Dakar")
    assert titles(search(client, q)) == [f"Les {text} à Dakar"]


@pytest.mark.skipif(not ON_POSTGRESQL, reason="French stemming: PostgreSQL only")
def test_french_stemming_finds_other_forms_of_a_word(client):
    ArticleFactory(title="Les pêcheurs mangeaient du thiéboudienne")
    assert titles(search(client, "manger")) == ["Les pêcheurs mangeaient du thiéboudienne"]


def test_body_is_searched_without_its_markup(client):
    ArticleFactory(title="Lien", body='<p>Voir <a href="https://exemple.org/strong">ici</a>.</p>')
    assert titles(search(client, "strong")) == []
    assert titles(search(client, "exemple")) == []
    assert titles(search(client, "ici")) == ["Lien"]


def test_quoted_phrase_matches_words_in_that_order(client):
    ArticleFactory(title="Accès à l'eau potable")
    ArticleFactory(title="Potable ou pas, l'eau du puits")
    response = search(client, '"eau potable"')
    assert titles(response) == ["Accès à l'eau potable"]
    assert "1 résultat pour « &quot;eau potable&quot; »" in visible_text(response)


def test_minus_excludes_a_word_or_a_phrase(client):
    ArticleFactory(title="Forage à Dakar")
    ArticleFactory(title="Forage à Thiès")
    ArticleFactory(title="Forage et eau potable")
    assert sorted(titles(search(client, "forage -Dakar"))) == [
        "Forage et eau potable",
        "Forage à Thiès",
    ]
    assert titles(search(client, 'forage -Dakar -"eau potable"')) == ["Forage à Thiès"]


def test_ranking_puts_title_above_summary_above_body(client):
    now = timezone.now()
    # Newest first would give the reverse order.
    ArticleFactory(title="Baobab", published_at=now - datetime.timedelta(days=3))
    ArticleFactory(
        title="Chapô", summary="Le baobab du village.", published_at=now - datetime.timedelta(2)
    )
    ArticleFactory(title="Corps", body="<p>Sous le baobab, la palabre.</p>", published_at=now)
    assert titles(search(client, "baobab")) == ["Baobab", "Chapô", "Corps"]


def test_newest_first_at_equal_relevance(client):
    now = timezone.now()
    ArticleFactory(title="Forage ancien", published_at=now - datetime.timedelta(days=2))
    ArticleFactory(title="Forage récent", published_at=now - datetime.timedelta(hours=1))
    response = search(client, "forage")
    assert "2 résultats pour « forage »" in visible_text(response)
    assert titles(response) == ["Forage récent", "Forage ancien"]


def test_matched_words_are_marked_in_title_and_excerpt(client):
    ArticleFactory(
        title="La pirogue de Kayar",
        summary="",
        body="<p>Un long texte. " + "Mot. " * 40 + "Enfin la <b>pirogue</b> rentre au port.</p>",
    )
    response = search(client, "pirogue")
    result = block(response, r'<article class="card-article search-result">')
    assert '<a href="/articles/la-pirogue-de-kayar/">La <mark>pirogue</mark> de Kayar</a>' in result
    excerpt = block(response, r'<p class="card-article__summary">')
    assert "<mark>pirogue</mark> rentre au port" in excerpt
    assert "Un long texte" not in excerpt  # the excerpt is where the word is


def test_excerpt_when_only_the_title_matches(client):
    ArticleFactory(title="Baobab", summary="Un arbre qui vit mille ans.")
    excerpt = block(search(client, "baobab"), r'<p class="card-article__summary">')
    assert "Un arbre qui vit mille ans." in excerpt
    assert "<mark>" not in excerpt


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


def test_hostile_titles_and_bodies_are_escaped_around_the_marks(client):
    ArticleFactory(
        title='Sandaga <script>alert("t")</script> <mark>faux</mark>',
        summary='Sandaga <img src=x onerror=alert("s")>',
        body="<p>Sandaga &lt;script&gt;alert('b')&lt;/script&gt; &lt;/mark&gt;</p>",
    )
    response = search(client, "sandaga alert")
    html = block(response, r'<article class="card-article search-result">')
    assert "<script" not in html
    assert "<img" not in html
    assert html.count("<mark>") == html.count("</mark>") >= 2
    assert "<mark>Sandaga</mark> &lt;script&gt;" in html
    assert "&lt;mark&gt;faux&lt;/mark&gt;" in html
    assert "<mark>faux</mark>" not in html


def test_query_that_matches_is_escaped_in_the_result_line(client):
    ArticleFactory(title="Le gras du titre")
    html = search(client, "gras -<b>").content.decode()
    assert "1 résultat pour « gras -&lt;b&gt; »" in html
    assert "<b>" not in html


@pytest.mark.parametrize(
    "q",
    ["-", '"', "*", "(", ")", ":", "^", "+", '""', "- -", "'", "…", "-NEAR(", '-"OR"'],
)
def test_operators_alone_ask_for_a_word(client, warm_caches, django_assert_num_queries, q):
    ArticleFactory(title="OR AND NOT NEAR")
    warm_caches()
    with django_assert_num_queries(0):
        response = search(client, q)
    assert response.status_code == 200
    assert NO_WORD in visible_text(response)


def test_an_exclusion_alone_asks_for_a_word(client, warm_caches, django_assert_num_queries):
    ArticleFactory(title="Forage")
    warm_caches()
    with django_assert_num_queries(0):
        assert NO_WORD in visible_text(search(client, '-Dakar -"eau potable"'))


@pytest.mark.parametrize(
    "q",
    [
        '"unbalanced quote',
        "NEAR(a b) title:x body:y {a b} a* ^a",
        "a OR b AND NOT c",
        "%_\\'",
        "x" * 10_000,
        "élection " * 2_000,
        "\x01\x02\x1f",
        "\ud7ff\ufffd",
        "e\u0301conomie",
    ],
)
def test_bad_input_is_answered_cleanly(client, q):
    ArticleFactory(title="Élection et économie")
    response = search(client, q)
    assert response.status_code == 200
    assert "Recherche" in visible_text(response)


def test_words_typed_as_operators_are_words(client):
    ArticleFactory(title="Mangues OR Dakar")
    ArticleFactory(title="Mangues de Thiès")
    assert titles(search(client, "mangues OR dakar")) == ["Mangues OR Dakar"]


def test_decomposed_accents_are_composed(client):
    ArticleFactory(title="L'économie du fleuve")
    assert titles(search(client, "e\u0301conomie")) == ["L'économie du fleuve"]


def test_long_query_is_truncated(client):
    ArticleFactory(title="Sahel " + "a" * 150)
    response = search(client, "Sahel " + "a" * 5000)
    assert response.status_code == 200
    kept = ("Sahel " + "a" * 5000)[:MAX_LENGTH]
    assert len(kept) == 100
    assert f'value="{kept}"' in response.content.decode()


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


def test_stop_words_alone_find_nothing(client):
    ArticleFactory(title="Le la les de du")
    response = search(client, "a")
    assert response.status_code == 200


# The index follows every change of an article, whichever way it is made.


def test_index_follows_save_update_and_delete(client):
    article = ArticleFactory(title="Arachide")
    assert titles(search(client, "arachide")) == ["Arachide"]

    article.title = "Mil"
    article.save()
    assert titles(search(client, "arachide")) == []
    assert titles(search(client, "mil")) == ["Mil"]

    Article.objects.filter(pk=article.pk).update(summary="Le sorgho aussi.")
    assert titles(search(client, "sorgho")) == ["Mil"]

    article.delete()
    assert titles(search(client, "mil")) == []


def test_index_follows_bulk_and_raw_inserts(client):
    model = ArticleFactory.build(title="Niébé en vrac", slug="niebe")
    model.category.save()
    model.author.save()
    model.category_id, model.author_id = model.category.pk, model.author.pk
    Article.objects.bulk_create([model])
    table = Article._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (title, slug, summary, body, cover_image, cover_thumbnail, "
            "cover_caption, cover_credit, category_id, creator_credit, status, is_featured, "
            "rejection_reason, created_at, updated_at, published_at) VALUES "
            "(%s, %s, '', %s, '', '', '', '', %s, '', 'published', %s, '', %s, %s, %s)",
            [
                "Chargé à la main",
                "a-la-main",
                "<p>Du <em>niébé</em> en SQL.</p>",
                model.category_id,
                False,
                *[timezone.now()] * 3,
            ],
        )
    assert sorted(titles(search(client, "niébé"))) == ["Chargé à la main", "Niébé en vrac"]


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite drops triggers when it rebuilds a table")
def test_migrate_puts_back_the_triggers_a_table_rebuild_dropped(client):
    article = ArticleFactory(title="Fonio")
    with connection.cursor() as cursor:
        for trigger in ("articles_search_insert", "articles_search_update"):
            cursor.execute(f"DROP TRIGGER {trigger}")
    article.title = "Sorgho"
    article.save()
    ArticleFactory(title="Sorgho rouge")
    assert titles(search(client, "sorgho")) == []
    call_command("migrate", verbosity=0)
    assert sorted(titles(search(client, "sorgho"))) == ["Sorgho", "Sorgho rouge"]
    ArticleFactory(title="Sorgho blanc")
    assert len(titles(search(client, "sorgho"))) == 3


def test_an_unpublished_article_leaves_the_results(client, moderator):
    article = ArticleFactory(title="Manioc")
    services.send_back_to_draft(article, by=moderator)
    assert titles(search(client, "manioc")) == []
    DraftFactory(title="Manioc en brouillon")
    assert titles(search(client, "manioc")) == []


# Cost: only the newest SEARCH_MAX_RESULTS matches are ranked, and never counted beyond.


@pytest.fixture
def three_results(settings):
    settings.SEARCH_MAX_RESULTS = 3


def test_more_matches_than_the_limit_are_not_counted(client, three_results):
    now = timezone.now()
    for i in range(5):
        ArticleFactory(title=f"Mangue {i}", published_at=now - datetime.timedelta(hours=i))
    response = search(client, "mangue")
    assert "Plus de 3 résultats pour « mangue »" in visible_text(response)
    # The newest three, ranked: the older ones are beyond the limit.
    assert titles(response) == ["Mangue 0", "Mangue 1", "Mangue 2"]
    assert "Page 1 sur" not in visible_text(response)
    assert search(client, "mangue", page=2).status_code == 404


def test_up_to_the_limit_the_count_is_exact(client, three_results):
    ArticleFactory.create_batch(3, title="Mangue")
    assert "3 résultats pour « mangue »" in visible_text(search(client, "mangue"))
    assert "Plus de" not in visible_text(search(client, "mangue"))


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
    assert first.content.decode().count('class="card-article search-result"') == 12
    assert 'href="?q=r%C3%A9colte&amp;page=2" rel="next"' in first.content.decode()
    second = search(client, "récolte", page=2)
    assert titles(second) == ["Récolte 12"]
    assert 'href="?q=r%C3%A9colte&amp;page=1" rel="prev"' in second.content.decode()


@pytest.mark.parametrize("page", ["3", "abc", "0", "-1"])
def test_bad_page_is_404(client, page):
    ArticleFactory.create_batch(13, title="Récolte")
    assert search(client, "récolte", page=page).status_code == 404


@pytest.mark.parametrize("q", [None, "", "   "])
def test_empty_query_shows_the_form_only(client, warm_caches, django_assert_num_queries, q):
    ArticleFactory(title="Un article publié")
    warm_caches()
    with django_assert_num_queries(0):
        response = client.get(URL) if q is None else search(client, q)
    assert response.status_code == 200
    text = visible_text(response)
    assert "Un article publié" not in block(response, r"<main")
    assert "résultat" not in text
    assert "Aucun article ne correspond" not in text
    assert NO_WORD not in text
    assert '<input class="form-control" type="search" id="recherche-q" name="q" value=""' in (
        response.content.decode()
    )


def test_no_result(client):
    ArticleFactory(title="Un autre sujet")
    text = visible_text(search(client, "introuvable"))
    assert "Aucun article ne correspond à votre recherche." in text
    assert "résultat" not in text


def test_search_is_not_indexed(client):
    assert '<meta name="robots" content="noindex, follow">' in search(client, "x").content.decode()


def test_the_form_explains_phrases_and_exclusions(client):
    help_text = block(client.get(URL), r'<p class="form-text" id="recherche-aide">')
    assert "guillemets" in help_text
    assert "signe moins" in help_text


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


# Query counts: the ranked matches, then the page with its snippets (navigation and
# "Les plus lus" cached), whatever the number of articles and the page.
SEARCH_QUERIES = 2
WIDGET_QUERIES = 2


@pytest.mark.parametrize("n", [3, 30])
def test_search_query_count(client, warm_caches, make_site, django_assert_num_queries, n):
    make_site(n)
    warm_caches()
    with django_assert_num_queries(SEARCH_QUERIES):
        response = search(client, "article citoyen")
    assert response.status_code == 200
    assert f"{n} résultat" in visible_text(response)
    if n > 12:
        with django_assert_num_queries(SEARCH_QUERIES):
            assert search(client, "article citoyen", page=2).status_code == 200
    cache.clear()
    with django_assert_num_queries(SEARCH_QUERIES + WIDGET_QUERIES):
        assert search(client, "article citoyen").status_code == 200
