import re

import pytest
from django.core.files.base import ContentFile

from accounts.models import User
from articles.models import Article
from tests.factories import ArticleFactory, DraftFactory, UserFactory
from tests.images import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(db):
    return UserFactory(
        username="eau-pour-tous",
        display_name="Eau Pour Tous",
        account_kind=User.Kind.ONG,
        organisation="ONG Eau Pour Tous Sénégal",
        bio="Nous creusons des puits.\n<script>alert('bio')</script>",
        website="https://eaupourtous.example.org",
    )


def test_author_page_lists_published_articles_only(client, author):
    ArticleFactory(author=author, title="Un puits à Kaffrine")
    DraftFactory(author=author, title="Brouillon secret")
    ArticleFactory(author=author, title="En relecture", status=Article.Status.SUBMITTED)
    ArticleFactory(author=author, title="Refusé", status=Article.Status.REJECTED)
    ArticleFactory(title="L'article d'un autre")
    response = client.get("/auteurs/eau-pour-tous/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Un puits à Kaffrine" in html
    for hidden in ("Brouillon secret", "En relecture", "Refusé", "L&#x27;article d&#x27;un autre"):
        assert hidden not in html


def test_author_page_shows_profile_badge_and_safe_links(client, author):
    author.avatar.save("x.webp", ContentFile(image_bytes("WEBP")), save=True)
    response = client.get("/auteurs/eau-pour-tous/")
    html = response.content.decode()
    assert '<h1 class="page-title mt-0 mb-1">Eau Pour Tous</h1>' in html
    assert '<span class="badge badge-kind">ONG</span>' in html
    assert "ONG Eau Pour Tous Sénégal" in html
    assert '<a href="https://eaupourtous.example.org" rel="nofollow ugc noopener">' in html
    assert f'src="{author.avatar.url}"' in html
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html
    assert "Nous creusons des puits.<br>" in html


def test_organisation_is_not_shown_for_a_private_person(client):
    UserFactory(username="moussa", account_kind=User.Kind.PARTICULIER, organisation="Club")
    html = client.get("/auteurs/moussa/").content.decode()
    assert "Particulier" in html and "Club" not in html


def test_author_page_is_paginated(client, author):
    for n in range(13):
        ArticleFactory(author=author, title=f"Article numéro {n:02d}")
    first = client.get("/auteurs/eau-pour-tous/")
    assert len(first.context["articles"]) == 12
    older = re.search(r'href="(\?avant=[^"]+)" rel="next"', first.content.decode())[1]
    second = client.get("/auteurs/eau-pour-tous/" + older)
    assert len(second.context["articles"]) == 1
    assert client.get("/auteurs/eau-pour-tous/?page=2").status_code == 301
    assert client.get("/auteurs/eau-pour-tous/?avant=abc").status_code == 400


def test_suspended_or_unknown_author_is_404(client, author):
    ArticleFactory(author=author)
    author.suspend()
    assert client.get("/auteurs/eau-pour-tous/").status_code == 404
    assert client.get("/auteurs/personne/").status_code == 404


def test_article_byline_links_to_the_author_page(client, author):
    article = ArticleFactory(author=author)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/auteurs/eau-pour-tous/"' in html


def test_author_page_query_count(client, author, django_assert_num_queries):
    for _ in range(12):
        ArticleFactory(author=author)
    client.get("/auteurs/eau-pour-tous/")  # warm the cached navigation and widget
    # The author, the page of articles (category and author joined); the navigation and
    # "Les plus lus" come from the cache.
    with django_assert_num_queries(2):
        response = client.get("/auteurs/eau-pour-tous/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "team", [{"is_staff": True}, {"is_superuser": True}, {"is_staff": True, "is_superuser": True}]
)
def test_a_team_account_without_published_articles_has_no_page(client, team):
    member = UserFactory(username="moderatrice", **team)
    DraftFactory(author=member)
    ArticleFactory(author=member, status=Article.Status.SUBMITTED, published_at=None)
    assert client.get("/auteurs/moderatrice/").status_code == 404


def test_a_team_account_that_publishes_has_a_page(client, moderator):
    ArticleFactory(author=moderator, title="Éditorial de la semaine")
    response = client.get(f"/auteurs/{moderator.username}/")
    assert response.status_code == 200
    assert "Éditorial de la semaine" in response.content.decode()


def test_a_citizen_without_articles_keeps_a_page(client, author):
    assert client.get(f"/auteurs/{author.username}/").status_code == 200
