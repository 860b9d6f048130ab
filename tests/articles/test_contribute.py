"""The contributor space: my articles, write, edit, preview, submit, withdraw, delete."""

import datetime
import re
from html import unescape

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, DailyViews
from articles.readership import flush_views
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    CommentFactory,
    DraftFactory,
    ModeratorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def draft():
    return DraftFactory(title="Mon brouillon", body="<p>Le texte de mon brouillon.</p>")


def page(response):
    """The response's text, HTML entities decoded (apostrophes are escaped)."""
    return unescape(response.content.decode())


def login(client, user):
    client.force_login(user)
    return client


def form_data(category, **extra):
    return {
        "title": "Les pirogues de Joal",
        "summary": "Au petit matin, le port s'anime.",
        "body": "<h2>Le départ</h2><p>Les <strong>pêcheurs</strong> partent.</p>",
        "category": category.pk,
        "cover_caption": "",
        "cover_credit": "",
        "creator_credit": "",
        "action": "save",
        **extra,
    }


# The permission ladder: anonymous → log-in page, another citizen → 404, author → 200,
# moderator → 200 on the preview (moderators edit in the admin, not here).

GET_VIEWS = ["articles:edit", "articles:preview", "articles:delete"]
POST_VIEWS = ["articles:submit", "articles:withdraw", "articles:delete"]


@pytest.mark.parametrize("name", ["articles:my_articles", "articles:create"])
def test_anonymous_is_sent_to_login_on_pages_without_article(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", GET_VIEWS)
def test_ladder_on_article_pages(client, draft, name):
    url = reverse(name, args=[draft.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"

    assert login(client, UserFactory()).get(url).status_code == 404
    assert login(client, draft.author).get(url).status_code == 200


@pytest.mark.parametrize("name", POST_VIEWS)
def test_ladder_on_status_changes(client, draft, name):
    url = reverse(name, args=[draft.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    assert login(client, UserFactory()).post(url).status_code == 404
    assert login(client, ModeratorFactory()).post(url).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_moderator_sees_preview_but_does_not_edit_on_the_site(client, draft):
    login(client, ModeratorFactory())
    assert client.get(reverse("articles:preview", args=[draft.pk])).status_code == 200
    assert client.get(reverse("articles:edit", args=[draft.pk])).status_code == 404


def test_plain_staff_without_moderation_permission_gets_404_on_preview(client, draft):
    login(client, UserFactory(is_staff=True))
    assert client.get(reverse("articles:preview", args=[draft.pk])).status_code == 404


@pytest.mark.parametrize("name", ["articles:submit", "articles:withdraw"])
def test_status_changes_refuse_get(client, draft, name):
    login(client, draft.author)
    assert client.get(reverse(name, args=[draft.pk])).status_code == 405


# My articles


def test_my_articles_lists_only_mine_with_status_views_comments_and_reason(client):
    me = UserFactory()
    published = ArticleFactory(author=me, title="Publié et lu")
    DailyViews.add(published.pk, day=timezone.localdate(), count=7)
    DailyViews.add(published.pk, day=timezone.localdate() - datetime.timedelta(days=3), count=5)
    CommentFactory.create_batch(2, article=published)
    CommentFactory(article=published, status="pending")
    DraftFactory(author=me, title="Encore en brouillon")
    ArticleFactory(author=me, status=Status.SUBMITTED, published_at=None, title="En attente")
    ArticleFactory(
        author=me,
        status=Status.REJECTED,
        published_at=None,
        title="Refusé",
        rejection_reason="Sources manquantes <b>ici</b>.",
    )
    ArticleFactory(title="Pas à moi")

    response = login(client, me).get(reverse("articles:my_articles"))

    assert response.status_code == 200
    html = response.content.decode()
    for text in ["Publié et lu", "Encore en brouillon", "En attente", "Refusé"]:
        assert text in html
    assert "Pas à moi" not in html
    for status in ["Brouillon", "En relecture", "Publié", "Refusé"]:
        assert f">{status}</span>" in html
    assert "Sources manquantes &lt;b&gt;ici&lt;/b&gt;." in html
    assert reverse("articles:create") in html
    rows = {a.title: a for a in response.context["articles"]}
    assert rows["Publié et lu"].total_views == 12
    assert rows["Publié et lu"].comment_count == 2  # the pending one is not counted
    assert rows["Encore en brouillon"].total_views == 0
    assert rows["Encore en brouillon"].comment_count == 0


def test_my_articles_query_count_does_not_grow_with_articles(client, django_assert_num_queries):
    me = UserFactory()
    login(client, me)
    url = reverse("articles:my_articles")

    def measure():
        client.get(url)  # the navigation's categories are cached from then on
        with django_assert_num_queries(4):  # session, user, count, page
            assert client.get(url).status_code == 200

    ArticleFactory(author=me)
    measure()
    for article in ArticleFactory.create_batch(6, author=me):
        DailyViews.add(article.pk, count=3)
        CommentFactory.create_batch(2, article=article)
    DraftFactory.create_batch(4, author=me)
    measure()


def test_my_articles_keeps_its_public_address(client):
    assert reverse("articles:my_articles") == "/contribuer/"
    html = page(login(client, UserFactory()).get("/contribuer/"))
    assert '<h1 class="page-title">Mes articles</h1>' in html


def test_empty_space_invites_to_write(client):
    response = login(client, UserFactory()).get(reverse("articles:my_articles"))
    assert "Vous n'avez pas encore écrit d'article." in response.content.decode()


def test_signed_in_navigation_links_to_my_articles(client):
    html = login(client, UserFactory()).get(reverse("articles:home")).content.decode()
    assert f'href="{reverse("articles:my_articles")}"' in html


# Writing


def test_form_page_carries_the_editor_with_a_textarea_fallback(client):
    CategoryFactory()
    html = login(client, UserFactory()).get(reverse("articles:create")).content.decode()
    assert '<textarea name="body"' in html  # what a browser without JavaScript uses
    assert "data-django-prose-editor-configurable" in html
    assert '<script type="importmap" nonce="' in html  # the CSP lets it run
    assert "/static/django_prose_editor/editor.js" in html
    assert 'enctype="multipart/form-data"' in html
    for name in ["title", "summary", "category", "cover_image", "creator_credit"]:
        assert f'name="{name}"' in html


def test_create_draft_sets_author_and_cleans_body(client):
    me = UserFactory()
    category = CategoryFactory()
    body = '<p onclick="steal()">Bonjour<script>alert(1)</script></p><h2>Suite</h2>'
    response = login(client, me).post(reverse("articles:create"), form_data(category, body=body))
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:edit", args=[article.pk])
    assert article.author == me
    assert article.status == Status.DRAFT
    assert article.body == "<p>Bonjour</p><h2>Suite</h2>"
    assert article.published_at is None


def test_mass_assignment_is_ignored(client):
    me, other = UserFactory(), UserFactory()
    category = CategoryFactory()
    hostile = {
        "status": Status.PUBLISHED,
        "author": other.pk,
        "is_featured": "on",
        "published_at": "2020-01-01 10:00:00",
        "submitted_at": "2020-01-01 10:00:00",
        "reviewed_by": other.pk,
        "rejection_reason": "x",
        "views": "100000",
        "total_views": "100000",
        "slug": "slug-impose",
        "cover_thumbnail": "covers/thumbs/autre.webp",
    }
    login(client, me).post(reverse("articles:create"), form_data(category, **hostile))
    article = Article.objects.get()
    assert (article.status, article.author, article.is_featured) == (Status.DRAFT, me, False)
    assert article.published_at is article.submitted_at is article.reviewed_by is None
    assert article.rejection_reason == ""
    assert article.slug == "les-pirogues-de-joal"
    assert not article.cover_thumbnail
    assert not DailyViews.objects.exists()

    # Nor on an edit.
    client.post(reverse("articles:edit", args=[article.pk]), form_data(category, **hostile))
    article.refresh_from_db()
    assert (article.status, article.author, article.is_featured) == (Status.DRAFT, me, False)
    assert article.published_at is None


def test_inactive_category_is_not_offered_nor_accepted(client):
    hidden = CategoryFactory(is_active=False, name="Archivée")
    login(client, UserFactory())
    assert "Archivée" not in client.get(reverse("articles:create")).content.decode()
    response = client.post(reverse("articles:create"), form_data(hidden))
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Article.objects.exists()


def test_invalid_form_is_shown_again_in_french(client):
    response = login(client, UserFactory()).post(
        reverse("articles:create"), form_data(CategoryFactory(), title="")
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in response.content.decode()


def test_preview_button_leads_to_preview(client):
    login(client, UserFactory())
    response = client.post(
        reverse("articles:create"), form_data(CategoryFactory(), action="preview")
    )
    assert response["Location"] == reverse("articles:preview", args=[Article.objects.get().pk])


def test_submit_button_saves_and_submits(client, committed):
    ModeratorFactory(email="moderation@example.org")
    login(client, UserFactory())
    with committed():
        response = client.post(
            reverse("articles:create"), form_data(CategoryFactory(), action="submit")
        )
    assert response["Location"] == reverse("articles:my_articles")
    article = Article.objects.get()
    assert article.status == Status.SUBMITTED
    assert article.submitted_at is not None
    assert [m.to for m in mail.outbox] == [["moderation@example.org"]]


def test_submitting_an_empty_text_is_refused_with_a_message(client):
    login(client, UserFactory())
    response = client.post(
        reverse("articles:create"),
        form_data(CategoryFactory(), body="", action="submit"),
        follow=True,
    )
    assert Article.objects.get().status == Status.DRAFT
    assert "Écrivez le texte de l'article avant de le soumettre." in page(response)


# Edit policy: drafts and refused articles only.


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REJECTED])
def test_author_edits_drafts_and_rejected_articles(client, status):
    article = DraftFactory(status=status, rejection_reason="Trop court.")
    login(client, article.author)
    response = client.post(
        reverse("articles:edit", args=[article.pk]),
        form_data(article.category, title="Titre corrigé"),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Titre corrigé"
    assert article.status == status


@pytest.mark.parametrize("editing", [True, False])
def test_the_form_sits_under_my_articles_in_the_breadcrumb(client, draft, editing):
    url = reverse("articles:edit", args=[draft.pk]) if editing else reverse("articles:create")
    html = page(login(client, draft.author).get(url))
    crumbs = html[html.index('<nav class="breadcrumb-nav') :]
    crumbs = crumbs[: crumbs.index("</nav>")]
    current = "Mon brouillon" if editing else "Nouvel article"
    trail = re.findall(r'<a href="[^"]*">[^<]*</a>|aria-current="page">[^<]*</li>', crumbs)
    assert trail == [
        '<a href="/">NOTRE CONTINENT</a>',
        '<a href="/contribuer/">Mes articles</a>',
        f'aria-current="page">{current}</li>',
    ]


def author_pages(name, article):
    return reverse(name) if name == "articles:my_articles" else reverse(name, args=[article.pk])


@pytest.mark.parametrize("name", ["articles:my_articles", "articles:edit", "articles:preview"])
def test_the_author_reads_the_refusal_reason_wherever_the_article_shows(client, name):
    article = DraftFactory(status=Status.REJECTED, rejection_reason="Citez vos <b>sources</b>.")
    html = login(client, article.author).get(author_pages(name, article)).content.decode()
    assert "<strong>Motif du refus :</strong> Citez vos &lt;b&gt;sources&lt;/b&gt;." in html


@pytest.mark.parametrize("name", ["articles:my_articles", "articles:edit", "articles:preview"])
def test_a_reason_left_from_an_earlier_refusal_is_not_shown(client, name):
    article = DraftFactory(rejection_reason="Un ancien motif.")
    html = login(client, article.author).get(author_pages(name, article)).content.decode()
    assert "Motif du refus" not in html


@pytest.mark.parametrize(
    ("status", "published_at", "notice"),
    [
        (Status.SUBMITTED, None, "Retirez-le de la relecture pour le modifier"),
        (Status.PUBLISHED, timezone.now(), "Pour le corriger, proposez une correction"),
    ],
)
def test_author_cannot_edit_submitted_or_published(client, status, published_at, notice):
    article = ArticleFactory(status=status, published_at=published_at, title="Original")
    login(client, article.author)
    url = reverse("articles:edit", args=[article.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert notice in page.content.decode()
    assert 'name="title"' not in page.content.decode()

    response = client.post(url, form_data(article.category, title="Changé en douce"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Original"
    assert article.status == status


def test_slug_stays_when_a_draft_is_retitled(client, draft):
    slug = draft.slug
    login(client, draft.author).post(
        reverse("articles:edit", args=[draft.pk]), form_data(draft.category, title="Autre titre")
    )
    draft.refresh_from_db()
    assert draft.slug == slug


# Preview


def test_preview_is_never_cached_and_not_indexed(client, draft):
    response = login(client, draft.author).get(reverse("articles:preview", args=[draft.pk]))
    cache_control = response["Cache-Control"]
    for directive in ["no-cache", "no-store", "must-revalidate", "private"]:
        assert directive in cache_control
    html = response.content.decode()
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Aperçu" in html
    assert draft.title in html
    assert "Le texte de mon brouillon." in html


def test_preview_does_not_count_a_view(client):
    article = ArticleFactory()
    client.defaults["HTTP_USER_AGENT"] = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
    login(client, UserFactory()).get(article.get_absolute_url())
    flush_views()
    assert DailyViews.objects.get().views == 1
    login(client, ModeratorFactory()).get(reverse("articles:preview", args=[article.pk]))
    flush_views()
    assert DailyViews.objects.get().views == 1


# Submit, withdraw, delete


def test_submit_and_withdraw(client, draft, committed):
    ModeratorFactory(email="relecture@example.org")
    login(client, draft.author)
    with committed():
        response = client.post(reverse("articles:submit", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert "Votre article est envoyé à l'équipe de modération." in page(response)
    assert len(mail.outbox) == 1

    response = client.post(reverse("articles:withdraw", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert "il redevient un brouillon" in page(response)


def test_withdrawing_a_draft_is_refused_with_a_message(client, draft):
    response = login(client, draft.author).post(
        reverse("articles:withdraw", args=[draft.pk]), follow=True
    )
    assert "Cette action n'est pas possible pour un article « Brouillon »." in page(response)


def test_delete_a_draft_after_confirmation(client, draft):
    login(client, draft.author)
    url = reverse("articles:delete", args=[draft.pk])
    assert "Voulez-vous vraiment supprimer" in client.get(url).content.decode()
    response = client.post(url)
    assert response["Location"] == reverse("articles:my_articles")
    assert not Article.objects.filter(pk=draft.pk).exists()


def test_deleting_a_draft_removes_its_cover_files(client, committed):
    draft = DraftFactory(cover=True)
    files = [draft.cover_image.name, draft.cover_thumbnail.name]
    login(client, draft.author)
    with committed():
        client.post(reverse("articles:delete", args=[draft.pk]))
    assert not Article.objects.filter(pk=draft.pk).exists()
    assert not any(default_storage.exists(name) for name in files)


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.PUBLISHED])
def test_cannot_delete_what_is_under_review_or_online(client, status):
    article = ArticleFactory(status=status)
    login(client, article.author)
    url = reverse("articles:delete", args=[article.pk])
    assert "ne peut pas être supprimé" in client.get(url).content.decode()
    client.post(url)
    assert Article.objects.filter(pk=article.pk).exists()


def test_suspended_author_is_logged_out_and_cannot_submit(client, draft):
    login(client, draft.author)
    draft.author.is_active = False
    draft.author.save()
    response = client.post(reverse("articles:submit", args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


# CSRF on every status change


@pytest.mark.parametrize("name", POST_VIEWS)
def test_csrf_is_enforced_on_status_changes(draft, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(draft.author)
    assert client.post(reverse(name, args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_csrf_is_enforced_on_the_article_form(draft):
    client = Client(enforce_csrf_checks=True)
    client.force_login(draft.author)
    for url in [reverse("articles:create"), reverse("articles:edit", args=[draft.pk])]:
        assert client.post(url, form_data(draft.category)).status_code == 403
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("status", "action"),
    [(Status.DRAFT, "articles:submit"), (Status.SUBMITTED, "articles:withdraw")],
)
def test_my_articles_and_the_preview_offer_the_same_workflow_buttons(client, status, action):
    article = DraftFactory(status=status)
    login(client, article.author)
    form = f'<form method="post" action="{reverse(action, args=[article.pk])}">'
    for url in (reverse("articles:my_articles"), reverse("articles:preview", args=[article.pk])):
        html = page(client.get(url))
        assert form in html, url
        assert 'name="csrfmiddlewaretoken"' in html.split(form, 1)[1].split("</form>")[0], url
    # Another citizen's preview offers nothing.
    login(client, UserFactory())
    assert client.get(reverse("articles:preview", args=[article.pk])).status_code == 404
