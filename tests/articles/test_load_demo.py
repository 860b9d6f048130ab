"""manage.py load_demo: the demo a newcomer sees after `make run`."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from accounts.models import User
from articles.management.commands._demo_content import ARTICLES, CATEGORIES
from articles.models import Article, Category, DailyViews
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

ISSUE_CATEGORIES = {
    "International",
    "Afrique",
    "Politique",
    "Économie",
    "Société",
    "Culture",
    "Sport",
    "Santé",
    "Environnement",
    "Sciences et technologies",
    "Opinions",
}


def load(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def demo(tmp_path_factory, django_db_setup, django_db_blocker):
    """The demo, loaded once for the class's tests (each runs in a savepoint inside)."""
    media = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media),
        transaction.atomic(),
    ):
        load()
        yield media
        transaction.set_rollback(True)


@pytest.mark.usefixtures("demo")
class TestDemoSite:
    def test_categories_of_the_issue_with_descriptions(self):
        names = set(Category.objects.values_list("name", flat=True))
        assert names >= ISSUE_CATEGORIES
        assert len(names) == len(CATEGORIES) >= 12
        assert not Category.objects.filter(description="").exists()

    def test_authors_of_every_account_kind_that_cannot_log_in(self):
        authors = User.objects.filter(articles__isnull=False).distinct()
        assert authors.count() >= 4
        assert {a.account_kind for a in authors} == set(User.Kind.values)
        for author in authors:
            assert author.display_name and author.bio
            assert not author.has_usable_password()
        assert all(a.organisation for a in authors if a.account_kind != User.Kind.PARTICULIER)

    def test_twenty_articles_published_through_the_workflow(self):
        published = Article.objects.published()
        assert published.count() == len(ARTICLES) >= 20
        moderator = User.objects.get(username="redaction")
        for article in published:
            assert article.reviewed_by == moderator
            assert article.submitted_at < article.published_at <= timezone.now()
            assert article.body.count("<p>") >= 3
        days = {timezone.localdate(a.published_at) for a in published}
        assert len(days) >= 15  # staggered over recent weeks
        assert 1 <= published.filter(is_featured=True).count() <= 2
        assert published.exclude(creator_credit="").exists()

    def test_bodies_use_the_article_structure(self):
        bodies = "".join(Article.objects.published().values_list("body", flat=True))
        for tag in ("<h2>", "<ul>", "<ol>", "<blockquote>", "<a href="):
            assert tag in bodies

    def test_a_draft_and_a_submitted_article_that_never_show(self, demo, client):
        hidden = Article.objects.exclude(status=Article.Status.PUBLISHED)
        assert set(hidden.values_list("status", flat=True)) == {"draft", "submitted"}
        home = client.get("/").content.decode()
        for article in hidden:
            assert article.title not in home
            assert client.get(article.get_absolute_url()).status_code == 404

    def test_covers_are_generated_in_both_sizes(self, demo, settings):
        settings.MEDIA_ROOT = demo
        with_cover = Article.objects.exclude(cover_image="")
        assert with_cover.count() == sum(1 for a in ARTICLES if a["cover"]) >= 5
        article = with_cover.first()
        with Image.open(article.cover_image) as cover:
            assert (cover.format, cover.width) == ("WEBP", 1280)
        with Image.open(article.cover_thumbnail) as thumbnail:
            assert thumbnail.size == (640, 360)

    def test_view_history_makes_most_read_meaningful(self, demo, client):
        days = set(DailyViews.objects.values_list("day", flat=True))
        assert len(days) >= 15
        ranked = list(Article.objects.published().most_read())
        assert len(ranked) == Article.objects.published().count()
        assert ranked[0].recent_views > ranked[-1].recent_views
        widget = client.get("/").content.decode()
        assert escape(ranked[0].title) in widget

    def test_loading_twice_changes_nothing(self):
        counts = (
            Category.objects.count(),
            User.objects.count(),
            Article.objects.count(),
            list(DailyViews.objects.order_by("pk").values_list("article", "day", "views")),
        )
        assert "0 nouveaux articles" in load()
        assert counts == (
            Category.objects.count(),
            User.objects.count(),
            Article.objects.count(),
            list(DailyViews.objects.order_by("pk").values_list("article", "day", "views")),
        )


def test_if_empty_does_nothing_when_an_article_exists():
    ArticleFactory()
    assert "non chargé" in load("--if-empty")
    assert Article.objects.count() == 1
    assert not Category.objects.filter(slug="afrique").exists()


def test_if_empty_loads_an_empty_site_and_tells_no_secret():
    out = load("--if-empty")
    assert Article.objects.published().count() == len(ARTICLES)
    assert f"{len(ARTICLES)} nouveaux articles publiés" in out
    assert "mot de passe" not in out.lower() and "password" not in out.lower()


def test_the_demo_goes_through_the_workflow_without_sending_a_mail(
    django_capture_on_commit_callbacks,
):
    """Its authors are invented, but their addresses could be someone's."""
    UserFactory(is_staff=True, is_superuser=True, email="admin@example.org")  # told of submissions
    with django_capture_on_commit_callbacks(execute=True):
        load()
    assert Article.objects.published().count() == len(ARTICLES)
    assert mail.outbox == []
