"""The two widgets of every page: "Les plus lus" and the category navigation, both cached."""

import pytest
from django.template import Context, Template

from articles import services
from articles.models import DailyViews
from tests.factories import ArticleFactory, CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def render(source):
    return Template("{% load articles_tags %}" + source).render(Context({}))


def titles_in(html):
    return [t for t in ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot") if t in html]


def test_most_read_lists_five_articles_by_readership():
    for views, title in enumerate(["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]):
        DailyViews.add(ArticleFactory(title=title).pk, count=views + 1)
    html = render("{% most_read %}")
    assert "LES PLUS LUS" in html
    ranked = sorted(titles_in(html), key=html.index)
    assert ranked == ["Foxtrot", "Echo", "Delta", "Charlie", "Bravo"]


def test_most_read_shows_title_link_and_category():
    article = ArticleFactory(title="Alpha", category=CategoryFactory(name="Santé", slug="sante"))
    DailyViews.add(article.pk)
    html = render("{% most_read %}")
    assert f'<a class="most-read-title" href="{article.get_absolute_url()}">Alpha</a>' in html
    assert '<a class="kicker" href="/categorie/sante/">Santé</a>' in html


def test_most_read_without_views_says_so():
    ArticleFactory()
    assert "Pas encore de lectures cette semaine." in render("{% most_read %}")


def test_most_read_is_cached(settings, clock, django_assert_num_queries):
    alpha, bravo = ArticleFactory(title="Alpha"), ArticleFactory(title="Bravo")
    DailyViews.add(alpha.pk, count=5)
    with django_assert_num_queries(1):
        first = render("{% most_read %}")
    DailyViews.add(bravo.pk, count=50)
    clock.shift(settings.MOST_READ_CACHE_SECONDS - 1)
    with django_assert_num_queries(0):
        assert render("{% most_read %}") == first
    clock.shift(2)
    html = render("{% most_read %}")
    assert html.index("Bravo") < html.index("Alpha")


def test_most_read_forgets_an_article_as_soon_as_it_is_unpublished():
    alpha, bravo = ArticleFactory(title="Alpha"), ArticleFactory(title="Bravo")
    DailyViews.add(alpha.pk, count=5)
    DailyViews.add(bravo.pk, count=3)
    assert titles_in(render("{% most_read %}")) == ["Alpha", "Bravo"]
    services.send_back_to_draft(alpha, by=UserFactory(is_staff=True))
    assert titles_in(render("{% most_read %}")) == ["Bravo"]
    bravo.title = "Charlie"
    bravo.save()
    assert titles_in(render("{% most_read %}")) == ["Charlie"]
    services.delete(bravo)
    assert titles_in(render("{% most_read %}")) == []


def test_most_read_length_is_the_template_s_choice():
    for n in range(7):
        DailyViews.add(ArticleFactory().pk, count=n + 1)
    assert render("{% most_read 3 %}").count("<li>") == 3
    assert render("{% most_read %}").count("<li>") == 5


def test_most_read_is_the_default_sidebar_of_public_pages(client):
    DailyViews.add(ArticleFactory(title="Alpha").pk)
    category = CategoryFactory()
    for url in ("/", category.get_absolute_url(), "/page-qui-n-existe-pas/"):
        assert "LES PLUS LUS" in client.get(url).content.decode(), url


def test_category_nav_is_cached_and_refreshed_when_a_category_changes(
    django_assert_num_queries,
):
    category = CategoryFactory(name="Culture", slug="culture")
    with django_assert_num_queries(1):
        render("{% category_nav %}")
    with django_assert_num_queries(0):
        assert "Culture" in render("{% category_nav %}")
    category.name = "Arts et culture"
    category.save()
    assert "Arts et culture" in render("{% category_nav %}")
    category.delete()
    assert "Arts et culture" not in render("{% category_nav %}")
