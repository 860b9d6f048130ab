import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, CategoryFactory, DraftFactory

pytestmark = pytest.mark.django_db


def test_home_lists_published_only(client):
    published = ArticleFactory(title="Texte publié")
    draft = DraftFactory(title="Brouillon secret", category=published.category)
    response = client.get(reverse("articles:home"))
    assert response.status_code == 200
    assert published.title in response.content.decode()
    assert draft.title not in response.content.decode()


def test_article_page_shows_reference_texts(client):
    article = ArticleFactory(creator_credit="Awa Ndiaye")
    response = client.get(article.get_absolute_url())
    html = response.content.decode()
    assert "NOTRE CONTINENT" in html
    assert (
        f'Par <a href="{article.author.get_absolute_url()}">{article.author.display_name}</a>'
        in html
    )
    assert "Publié le" in html
    assert "Article écrit par le créateur de contenu : Awa Ndiaye" in html
    assert "LES PLUS LUS" in html
    assert "Réagir à cet article" in html


def test_category_page_404_for_bad_page(client):
    category = CategoryFactory()
    ArticleFactory(category=category)
    url = reverse("articles:category", kwargs={"slug": category.slug})
    assert client.get(url).status_code == 200
    assert client.get(url + "?page=abc").status_code == 404
    assert client.get(url + "?page=99").status_code == 404
