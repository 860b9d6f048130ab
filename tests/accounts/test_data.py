import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import User
from articles.models import Article
from comments.models import Comment
from reports.models import Report
from tests.factories import PASSWORD, ArticleFactory, CommentFactory, DraftFactory, UserFactory
from tests.images import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def footprint(citizen):
    """A citizen with a published article, a draft with a cover, one in review, a refused
    one, two comments written while signed in and an avatar."""
    published = ArticleFactory(author=citizen, title="Le marché de Sandaga")
    draft = DraftFactory(author=citizen, title="Brouillon de Awa")
    draft.set_cover(SimpleUploadedFile("c.png", image_bytes("PNG", size=(1200, 800))))
    draft.save()
    submitted = ArticleFactory(
        author=citizen, title="En relecture", status=Article.Status.SUBMITTED, published_at=None
    )
    rejected = ArticleFactory(
        author=citizen, title="Refusé", status=Article.Status.REJECTED, published_at=None
    )
    other_article = ArticleFactory(title="L'article d'un autre")
    mine = [
        CommentFactory(article=other_article, user=citizen, name="Awa", email=citizen.email),
        CommentFactory(article=published, user=citizen, name="Awa D.", email=citizen.email),
    ]
    someone_else = CommentFactory(article=published, name="Ibou", email="ibou@example.net")
    report = Report.objects.create(
        article=other_article, reason="false", reporter=citizen, ip_address="203.0.113.9"
    )
    citizen.avatar.save("a.webp", ContentFile(image_bytes("WEBP")), save=True)
    return {
        "published": published,
        "draft": draft,
        "submitted": submitted,
        "rejected": rejected,
        "mine": mine,
        "someone_else": someone_else,
        "report": report,
    }


def test_export_needs_login(client):
    response = client.get("/compte/donnees/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_export_contains_all_my_data_and_nothing_else(client, citizen, footprint):
    UserFactory(username="voisin", email="voisin@example.org")
    client.force_login(citizen)
    response = client.get("/compte/donnees/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = json.loads(response.content)

    profile = data["profile"]
    assert profile["username"] == "awa"
    assert profile["email"] == "awa@example.org"
    assert profile["display_name"] == "Awa Diop"
    assert profile["account_kind"] == "particulier"
    assert profile["avatar"].startswith("/media/avatars/")
    assert "password" not in json.dumps(data)
    assert data["email_addresses"] == [
        {"email": "awa@example.org", "verified": True, "primary": True}
    ]

    articles = {a["title"]: a for a in data["articles"]}
    assert set(articles) == {"Le marché de Sandaga", "Brouillon de Awa", "En relecture", "Refusé"}
    assert articles["Le marché de Sandaga"]["url"] == footprint["published"].get_absolute_url()
    assert articles["Brouillon de Awa"]["status"] == "draft"
    assert articles["Brouillon de Awa"]["url"] is None
    assert articles["Brouillon de Awa"]["cover_image"].startswith("/media/covers/")

    assert sorted(c["body"] for c in data["comments"]) == [c.body for c in footprint["mine"]]
    assert {c["id"] for c in data["comments"]} == {c.pk for c in footprint["mine"]}
    assert [r["id"] for r in data["reports"]] == [footprint["report"].pk]
    assert "ibou@example.net" not in response.content.decode()
    assert "voisin" not in response.content.decode()


def test_export_is_get_only(client, citizen):
    client.force_login(citizen)
    assert client.post("/compte/donnees/").status_code == 405


def test_delete_page_needs_login_and_explains_the_policy(client, citizen):
    assert client.get("/compte/supprimer/").status_code == 302
    client.force_login(citizen)
    html = client.get("/compte/supprimer/").content.decode()
    assert "Auteur supprimé" in html and 'name="password"' in html


def test_wrong_password_deletes_nothing(client, citizen, footprint):
    client.force_login(citizen)
    response = client.post("/compte/supprimer/", {"password": "pas-le-bon"})
    assert response.status_code == 200
    assert "Mot de passe incorrect." in response.content.decode()
    assert User.objects.filter(pk=citizen.pk).exists()
    assert Article.objects.filter(author=citizen).count() == 4


def test_password_guessing_from_the_delete_form_is_rate_limited(client, citizen):
    client.force_login(citizen)
    for _ in range(10):
        client.post("/compte/supprimer/", {"password": "pas-le-bon"})
    response = client.post("/compte/supprimer/", {"password": PASSWORD})
    assert "Trop de tentatives" in response.content.decode()
    assert User.objects.filter(pk=citizen.pk).exists()


def test_deleting_my_account(client, citizen, footprint, django_capture_on_commit_callbacks):
    client.force_login(citizen)
    avatar, cover = citizen.avatar.name, footprint["draft"].cover_image.name
    thumbnail = footprint["draft"].cover_thumbnail.name
    assert all(default_storage.exists(name) for name in (avatar, cover, thumbnail))

    # Files are removed once the transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/supprimer/", {"password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Votre compte a été supprimé" in client.get("/").content.decode()
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(pk=citizen.pk).exists()

    # The published article stays online, signed "Auteur supprimé".
    published = Article.objects.get(pk=footprint["published"].pk)
    assert published.author is None
    page = client.get(published.get_absolute_url())
    assert page.status_code == 200
    assert "Auteur supprimé" in page.content.decode()
    assert "Awa Diop" not in page.content.decode()
    # Everything unpublished is gone, pictures included.
    for key in ("draft", "submitted", "rejected"):
        assert not Article.objects.filter(pk=footprint[key].pk).exists()
    assert not any(default_storage.exists(name) for name in (avatar, cover, thumbnail))
    # Comments stay in their threads, anonymised; other people's are untouched.
    for comment in Comment.objects.filter(pk__in=[c.pk for c in footprint["mine"]]):
        assert (comment.name, comment.email, comment.user_id) == ("Anonyme", "", None)
    assert Comment.objects.get(pk=footprint["someone_else"].pk).name == "Ibou"
    # Their reports stay for the moderators, no longer tied to them or their address.
    report = Report.objects.get(pk=footprint["report"].pk)
    assert (report.reporter, report.ip_address) == (None, None)


def test_deleting_requires_csrf(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post("/compte/supprimer/", {"password": PASSWORD}).status_code == 403
    assert User.objects.filter(pk=citizen.pk).exists()


def test_export_query_count_does_not_grow_with_the_data(
    client, citizen, footprint, django_assert_num_queries
):
    client.force_login(citizen)
    # session, user, e-mail addresses, articles with their category, comments, reports
    with django_assert_num_queries(6):
        client.get("/compte/donnees/")
    for _ in range(5):
        ArticleFactory(author=citizen)
        CommentFactory(user=citizen, email=citizen.email)
        Report.objects.create(comment=CommentFactory(), reason="spam", reporter=citizen)
    with django_assert_num_queries(6):
        client.get("/compte/donnees/")


def test_deletion_also_anonymises_comments_left_anonymously_with_the_confirmed_address(
    client, citizen
):
    anonymous = CommentFactory(name="Awa sans compte", email=citizen.email.upper())
    client.force_login(citizen)
    client.post("/compte/supprimer/", {"password": PASSWORD})
    anonymous.refresh_from_db()
    assert (anonymous.name, anonymous.email) == ("Anonyme", "")
