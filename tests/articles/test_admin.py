"""Moderation in the admin: the moderators' group, the review queue and its actions."""

import io
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import User
from articles.models import Article, Category
from tests import images
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    DraftFactory,
    ModeratorFactory,
    SubmittedFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

Status = Article.Status
CHANGELIST = reverse("admin:articles_article_changelist")


def submitted(submitted_at=None, **kwargs):
    article = SubmittedFactory(**kwargs)
    if submitted_at:
        Article.objects.filter(pk=article.pk).update(submitted_at=submitted_at)
        article.refresh_from_db()
    return article


def cover_files(article):
    return [article.cover_image.name, article.cover_thumbnail.name]


def text(response):
    return unescape(response.content.decode())


def action(client, name, *articles, **extra):
    return client.post(
        CHANGELIST, {"action": name, "_selected_action": [a.pk for a in articles], **extra}
    )


def publish(client, *articles):
    """The bulk "Publier" as a moderator does it: the confirmation page, then its form
    posted back with the versions it showed."""
    page = action(client, "publish", *articles)
    assert page.status_code == 200
    shown = dict(re.findall(r'name="(version-\d+)" value="(\d+)"', page.content.decode()))
    return action(client, "publish", *articles, post="yes", **shown)


# The group


def test_moderators_group_has_just_the_permissions_moderators_need():
    group = Group.objects.get(name="Modérateurs")
    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("articles", "view_article"),
        ("articles", "change_article"),
        ("articles", "moderate_article"),
        ("articles", "add_category"),
        ("articles", "change_category"),
        ("articles", "view_category"),
        ("comments", "view_comment"),
        ("comments", "change_comment"),
        ("comments", "moderate_comment"),
        ("reports", "view_report"),
        ("reports", "change_report"),
        ("comments", "view_moderationsettings"),
        ("comments", "change_moderationsettings"),
        ("accounts", "view_user"),
        ("accounts", "change_user"),
    }


# The permission ladder on the admin pages


def admin_pages(article):
    return [
        reverse("admin:index"),
        CHANGELIST,
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_category_changelist"),
        reverse("admin:articles_category_add"),
    ]


def test_anonymous_is_sent_to_the_admin_login(client):
    article = submitted()
    for url in admin_pages(article):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_citizen_is_sent_to_the_admin_login(client):
    article = submitted()
    client.force_login(article.author)
    for url in admin_pages(article):
        assert client.get(url).status_code == 302


def test_moderator_opens_every_admin_page_and_the_preview(moderator_client):
    article = submitted()
    for url in [*admin_pages(article), reverse("articles:preview", args=[article.pk])]:
        assert moderator_client.get(url).status_code == 200, url


def test_plain_staff_without_permissions_is_forbidden(client):
    article = submitted()
    client.force_login(UserFactory(is_staff=True))
    assert client.get(CHANGELIST).status_code == 403
    assert action(client, "publish", article).status_code == 403
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED


def test_staff_who_may_edit_but_not_moderate_cannot_publish(client):
    editor = UserFactory(is_staff=True)
    editor.user_permissions.set(
        Permission.objects.filter(codename__in=["view_article", "change_article"])
    )
    article = submitted()
    client.force_login(editor)
    page = text(client.get(CHANGELIST))
    assert "Publier les articles sélectionnés" not in page
    assert 'name="_publish"' not in text(
        client.get(reverse("admin:articles_article_change", args=[article.pk]))
    )
    for name in ["publish", "reject", "feature", "send_back_to_draft"]:
        action(client, name, article, post="yes", reason="Non.")
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED
    assert article.reviewed_by is None


# The changelist


def test_changelist_puts_the_review_queue_first_with_counts(moderator_client):
    old_draft = DraftFactory(title="Brouillon")
    online = ArticleFactory(title="En ligne")
    second = submitted(title="Soumis ensuite")
    first = submitted(title="Soumis en premier", submitted_at=timezone.now().replace(year=2020))
    refused = ArticleFactory(status=Status.REJECTED, published_at=None, title="Refusé")

    response = moderator_client.get(CHANGELIST)

    assert response.status_code == 200
    rows = list(response.context["cl"].result_list)
    assert [a.pk for a in rows] == [first.pk, second.pk, online.pk, refused.pk, old_draft.pk]
    page = text(response)
    assert 'data-status="submitted">2<' in page
    assert 'data-status="published">1<' in page
    assert 'data-status="rejected">1<' in page
    assert 'data-status="draft">1<' in page
    assert "?status__exact=submitted" in page


def test_changelist_query_count_does_not_grow(moderator_client, django_assert_max_num_queries):
    submitted()
    moderator_client.get(CHANGELIST)
    with django_assert_max_num_queries(20) as few:
        moderator_client.get(CHANGELIST)
    ArticleFactory.create_batch(15)
    with django_assert_max_num_queries(len(few)):
        assert moderator_client.get(CHANGELIST).status_code == 200


def test_filters_and_search(moderator_client):
    association = UserFactory(account_kind=User.Kind.ASSOCIATION, display_name="Jokko")
    theirs = submitted(author=association, title="Les femmes de Jokko")
    other = submitted(title="Autre chose")

    def titles(query):
        response = moderator_client.get(CHANGELIST + query)
        assert response.status_code == 200
        return {a.title for a in response.context["cl"].result_list}

    assert titles("?author__account_kind__exact=association") == {theirs.title}
    assert titles(f"?category__id__exact={other.category.pk}") == {other.title}
    assert titles("?status__exact=submitted") == {theirs.title, other.title}
    assert titles("?q=Jokko") == {theirs.title}
    assert titles(f"?q={association.username}") == {theirs.title}
    assert titles("?q=chose") == {other.title}
    published = ArticleFactory()
    year = published.published_at.year
    assert published.title in titles(f"?published_at__year={year}")


def test_changelist_shows_views(moderator_client):
    from articles.models import DailyViews

    article = ArticleFactory()
    DailyViews.add(article.pk, count=42)
    response = moderator_client.get(CHANGELIST)
    assert response.context["cl"].result_list[0].total_views == 42
    assert ">42<" in text(response)


# Actions


def test_moderator_publishes_in_bulk(moderator, moderator_client, committed):
    articles = [submitted(), submitted()]
    with committed():
        response = publish(moderator_client, *articles)
    assert response.status_code == 302
    for article in articles:
        article.refresh_from_db()
        assert article.status == Status.PUBLISHED
        assert article.reviewed_by == moderator
    assert sorted(m.to[0] for m in mail.outbox) == sorted(a.author.email for a in articles)
    assert "2 articles publiés." in text(moderator_client.get(CHANGELIST))


def test_publishing_what_cannot_be_published_is_reported(moderator_client):
    online = ArticleFactory(title="Déjà en ligne")
    response = action(moderator_client, "publish", online, post="yes")
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [
        "« Déjà en ligne » : Cette action n'est pas possible pour un article « Publié »."
    ]


def test_refusals_are_reported_once_per_reason_next_to_what_was_done(moderator_client):
    waiting = submitted(title="En attente")
    online = [ArticleFactory(title="En ligne 1"), ArticleFactory(title="En ligne 2")]
    draft = DraftFactory(title="Brouillon")
    response = publish(moderator_client, waiting, *online, draft)
    published, as_draft, as_online = sorted(str(m) for m in get_messages(response.wsgi_request))
    assert published == "1 article publié."
    assert as_draft == (
        "« Brouillon » : Cette action n'est pas possible pour un article « Brouillon »."
    )
    # The changelist's order decides which comes first.
    assert as_online.endswith(" : Cette action n'est pas possible pour un article « Publié ».")
    assert "« En ligne 1 »" in as_online and "« En ligne 2 »" in as_online


def test_reject_asks_for_a_reason_on_an_intermediate_page(moderator, moderator_client, committed):
    article = submitted(title="Texte à revoir")
    online = ArticleFactory(title="Déjà publié")

    page = action(moderator_client, "reject", article, online)
    assert page.status_code == 200
    html = text(page)
    assert "<textarea" in html and 'name="reason"' in html
    assert f'name="_selected_action" value="{article.pk}"' in html
    assert f'name="_selected_action" value="{online.pk}"' in html
    assert "Texte à revoir" in html
    assert "Seuls les articles en relecture peuvent être refusés" in html

    empty = action(moderator_client, "reject", article, post="yes", reason="   ")
    assert empty.status_code == 200
    assert "Ce champ est obligatoire." in text(empty)
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED

    with committed():
        done = action(
            moderator_client, "reject", article, online, post="yes", reason="Sources manquantes."
        )
    assert done.status_code == 302
    article.refresh_from_db()
    online.refresh_from_db()
    assert (article.status, article.rejection_reason) == (Status.REJECTED, "Sources manquantes.")
    assert article.reviewed_by == moderator
    assert online.status == Status.PUBLISHED
    (message,) = mail.outbox
    assert message.to == [article.author.email]
    assert "Sources manquantes." in message.body


def test_feature_and_unfeature(moderator, moderator_client):
    article = ArticleFactory()
    draft = DraftFactory()
    action(moderator_client, "feature", article, draft)
    article.refresh_from_db()
    draft.refresh_from_db()
    assert article.is_featured and not draft.is_featured
    assert article.reviewed_by == moderator
    home = moderator_client.get(reverse("articles:home"))
    assert home.context["lead"] == article
    action(moderator_client, "unfeature", article)
    article.refresh_from_db()
    assert not article.is_featured


def test_send_back_to_draft(moderator_client):
    article = ArticleFactory(is_featured=True)
    action(moderator_client, "send_back_to_draft", article)
    article.refresh_from_db()
    assert (article.status, article.is_featured) == (Status.DRAFT, False)
    assert moderator_client.get(article.get_absolute_url()).status_code == 404


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_deleting_an_article_in_the_admin_removes_its_cover_files(superuser_client, committed):
    article = ArticleFactory(cover=True)
    files = cover_files(article)
    url = reverse("admin:articles_article_delete", args=[article.pk])
    with committed():
        response = superuser_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not any(default_storage.exists(name) for name in files)


def test_bulk_deletion_in_the_admin_removes_every_cover(superuser_client, committed):
    articles = [ArticleFactory(cover=True), DraftFactory(cover=True)]
    kept = ArticleFactory(cover=True)
    files = [name for article in articles for name in cover_files(article)]
    with committed():
        action(superuser_client, "delete_selected", *articles, post="yes")
    assert not Article.objects.filter(pk__in=[a.pk for a in articles]).exists()
    assert not any(default_storage.exists(name) for name in files)
    assert all(default_storage.exists(name) for name in cover_files(kept))


def test_admin_actions_need_the_csrf_token():
    article = submitted()
    client = Client(enforce_csrf_checks=True)
    client.force_login(ModeratorFactory())
    assert action(client, "publish", article).status_code == 403
    article.refresh_from_db()
    assert article.status == Status.SUBMITTED


# The change form


def change_data(article, **extra):
    """The change form as the page shows it, with the version under review it was shown."""
    version = article.version_under_review() if article.is_submitted else None
    return {
        "reviewed_version": version.number if version else "",
        "title": article.title,
        "slug": article.slug,
        "author": article.author_id,
        "summary": article.summary,
        "body": article.body,
        "category": article.category_id,
        "cover_caption": "",
        "cover_credit": "",
        "creator_credit": "",
        **extra,
    }


def test_moderator_edits_before_publishing_and_the_body_is_cleaned(
    moderator, moderator_client, committed
):
    article = submitted()
    url = reverse("admin:articles_article_change", args=[article.pk])
    page = text(moderator_client.get(url))
    assert reverse("articles:preview", args=[article.pk]) in page
    assert 'name="_publish"' in page
    assert "data-django-prose-editor-configurable" in page

    with committed():
        response = moderator_client.post(
            url,
            change_data(
                article,
                body='<p>Corrigé<img src=/media/x.webp onerror="alert(1)"></p><script>x()</script>',
                status=Status.PUBLISHED,
                is_featured="on",
                _publish="1",
            ),
        )

    assert response.status_code == 302, response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.body == '<p>Corrigé<img src="/media/x.webp"></p>'
    assert article.status == Status.PUBLISHED
    assert not article.is_featured
    assert article.reviewed_by == moderator
    assert mail.outbox[0].to == [article.author.email]


def test_saving_does_not_change_the_status(moderator_client):
    article = submitted()
    url = reverse("admin:articles_article_change", args=[article.pk])
    moderator_client.post(url, change_data(article, title="Titre revu", status=Status.PUBLISHED))
    article.refresh_from_db()
    assert (article.title, article.status) == ("Titre revu", Status.SUBMITTED)


def test_slug_is_prepopulated_until_publication_then_read_only(moderator_client):
    draft = submitted()
    page = text(moderator_client.get(reverse("admin:articles_article_change", args=[draft.pk])))
    assert 'name="slug"' in page
    assert "prepopulated" in page

    online = ArticleFactory(slug="url-stable")
    url = reverse("admin:articles_article_change", args=[online.pk])
    assert 'name="slug"' not in text(moderator_client.get(url))
    moderator_client.post(url, change_data(online, slug="autre-url", title="Nouveau titre"))
    online.refresh_from_db()
    assert (online.slug, online.title) == ("url-stable", "Nouveau titre")


@pytest.mark.parametrize("sample", images.ACCEPTED, ids=str)
def test_cover_uploaded_in_the_admin_is_reencoded(moderator_client, sample):
    article = submitted()
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = moderator_client.post(url, change_data(article, cover_image=sample.upload()))
    assert response.status_code == 302
    article.refresh_from_db()
    for field in (article.cover_image, article.cover_thumbnail):
        assert field.name.endswith(".webp")
        assert field.name.rsplit("/", 1)[-1] != sample.name
        with field.open("rb") as stored:
            data = stored.read()
        assert not Image.open(io.BytesIO(data)).getexif()
        if sample.leak:
            assert sample.leak not in data


@pytest.mark.parametrize("sample", images.REFUSED, ids=str)
def test_hostile_cover_in_the_admin_is_refused_in_french(moderator_client, sample):
    article = submitted()
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = moderator_client.post(url, change_data(article, cover_image=sample.upload()))
    assert response.status_code == 200
    assert sample.message in text(response)
    article.refresh_from_db()
    assert not article.cover_image


def test_replacing_and_clearing_the_cover_in_the_admin_removes_old_files(
    moderator_client, committed
):
    article = submitted(cover=True)
    old = cover_files(article)
    url = reverse("admin:articles_article_change", args=[article.pk])
    with committed():
        moderator_client.post(url, change_data(article, cover_image=images.upload()))
    article.refresh_from_db()
    assert article.cover_image.name not in old
    assert not any(default_storage.exists(name) for name in old)

    new = cover_files(article)
    with committed():
        moderator_client.post(url, change_data(article, **{"cover_image-clear": "on"}))
    article.refresh_from_db()
    assert not article.cover_image and not article.cover_thumbnail
    assert not any(default_storage.exists(name) for name in new)


def test_view_on_site_goes_to_the_preview_until_published(moderator_client):
    article = submitted()
    preview = reverse("articles:preview", args=[article.pk])
    page = text(moderator_client.get(reverse("admin:articles_article_change", args=[article.pk])))
    assert f'<a href="{preview}" class="viewsitelink">' in page
    online = ArticleFactory()
    page = text(moderator_client.get(reverse("admin:articles_article_change", args=[online.pk])))
    assert f'<a href="{online.get_absolute_url()}" class="viewsitelink">' in page


# Categories


def test_moderator_adds_and_switches_off_a_category(moderator_client):
    response = moderator_client.post(
        reverse("admin:articles_category_add"),
        {
            "name": "Éducation",
            "slug": "education",
            "description": "",
            "order": 5,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    category = Category.objects.get(slug="education")
    assert category.is_active

    list_url = reverse("admin:articles_category_changelist")
    page = moderator_client.get(list_url)
    assert page.status_code == 200
    response = moderator_client.post(
        list_url,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": category.pk,
            "form-0-order": "2",
            "_save": "Enregistrer",
        },
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert (category.order, category.is_active) == (2, False)


def test_moderator_cannot_delete_a_category(moderator_client):
    category = CategoryFactory()
    url = reverse("admin:articles_category_delete", args=[category.pk])
    assert moderator_client.get(url).status_code == 403


@pytest.mark.parametrize("factory", [ArticleFactory, DraftFactory])
def test_publish_button_only_for_what_waits_for_review(moderator_client, factory):
    article = factory()
    page = text(moderator_client.get(reverse("admin:articles_article_change", args=[article.pk])))
    assert 'name="_publish"' not in page


# Nobody poses as the newsroom


@pytest.mark.parametrize("team", [{"is_staff": True}, {"is_staff": True, "is_superuser": True}])
def test_a_citizens_article_never_passes_to_a_team_account(moderator_client, team):
    article = ArticleFactory()
    citizen = article.author
    member = UserFactory(**team)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = moderator_client.post(url, change_data(article, author=member.pk))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["author"] == [
        "Un compte de l'équipe ne peut pas devenir l'auteur de l'article d'un citoyen. "
        "Choisissez un compte citoyen, ou gardez l'auteur actuel."
    ]
    article.refresh_from_db()
    assert article.author == citizen


def test_an_orphaned_article_never_passes_to_a_team_account(moderator_client, moderator):
    article = ArticleFactory(author=None)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = moderator_client.post(url, change_data(article, author=moderator.pk))
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.author is None


def test_an_article_may_pass_between_citizens_or_between_team_members(moderator_client):
    article = ArticleFactory()
    other_citizen = UserFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    assert (
        moderator_client.post(url, change_data(article, author=other_citizen.pk)).status_code == 302
    )
    editorial = ArticleFactory(author=ModeratorFactory())
    colleague = ModeratorFactory()
    url = reverse("admin:articles_article_change", args=[editorial.pk])
    assert (
        moderator_client.post(url, change_data(editorial, author=colleague.pk)).status_code == 302
    )
    article.refresh_from_db()
    editorial.refresh_from_db()
    assert (article.author, editorial.author) == (other_citizen, colleague)


def test_a_citizens_article_keeps_its_author_when_edited(moderator_client):
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = moderator_client.post(url, change_data(article, title="Titre corrigé"))
    assert response.status_code == 302
