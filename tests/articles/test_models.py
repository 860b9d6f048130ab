import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from articles import services
from articles.models import COVER_THUMBNAIL_SIZE, COVER_WIDTH, Article, DailyViews
from tests import images
from tests.factories import ArticleFactory, CategoryFactory, DraftFactory, UserFactory

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


# published(): the one definition of public


def test_published_is_published_status_with_a_date_that_has_come():
    public = ArticleFactory()
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=2))  # scheduled
    DraftFactory()
    submitted = DraftFactory()
    services.submit(submitted)
    rejected = DraftFactory()
    services.submit(rejected)
    services.reject(rejected, by=UserFactory(), reason="Sources manquantes.")
    assert list(Article.objects.published()) == [public]


@pytest.mark.parametrize("status", Article.Status)
def test_each_status_has_one_question_templates_ask(status):
    article = Article(status=status)
    answers = {
        Article.Status.DRAFT: article.is_draft,
        Article.Status.SUBMITTED: article.is_submitted,
        Article.Status.PUBLISHED: article.is_published,
        Article.Status.REJECTED: article.is_rejected,
    }
    assert [s for s, yes in answers.items() if yes] == [status]


def test_published_chains_with_category_and_author():
    category, author = CategoryFactory(), UserFactory()
    mine = ArticleFactory(category=category, author=author)
    ArticleFactory(category=category)
    ArticleFactory(author=author)
    DraftFactory(category=category, author=author)
    assert list(Article.objects.published().in_category(category).by_author(author)) == [mine]


def test_a_published_article_needs_a_publication_date():
    article = DraftFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)


# Slugs: unique and stable


def test_slug_is_made_from_the_title_and_unique():
    first = ArticleFactory(title="Économie : le prix du riz à Dakar")
    second = ArticleFactory(title="Économie : le prix du riz à Dakar")
    assert first.slug == "economie-le-prix-du-riz-a-dakar"
    assert second.slug == "economie-le-prix-du-riz-a-dakar-2"


def test_slug_does_not_change_with_the_title():
    article = ArticleFactory(title="Premier titre")
    article.title = "Un tout autre titre"
    article.save()
    article.refresh_from_db()
    assert article.slug == "premier-titre"


# Most read: 7-day window, all-time fallback


def test_most_read_orders_by_views_in_the_last_seven_days():
    old_hit, steady, fresh = ArticleFactory(), ArticleFactory(), ArticleFactory()
    DailyViews.add(old_hit.pk, day=days_ago(10), count=500)
    DailyViews.add(steady.pk, day=days_ago(6), count=20)  # the window's first day
    DailyViews.add(steady.pk, day=days_ago(2), count=20)
    DailyViews.add(fresh.pk, day=days_ago(0), count=30)
    ranked = list(Article.objects.published().most_read())
    assert ranked == [steady, fresh, old_hit]
    assert [(a.recent_views, a.total_views) for a in ranked] == [(40, 40), (30, 30), (0, 500)]


def test_the_window_ends_seven_days_back():
    inside, outside = ArticleFactory(), ArticleFactory()
    DailyViews.add(inside.pk, day=days_ago(6), count=1)
    DailyViews.add(outside.pk, day=days_ago(7), count=100)
    ranked = list(Article.objects.published().most_read())
    assert ranked == [inside, outside]
    assert ranked[1].recent_views == 0


def test_a_thin_window_falls_back_to_all_time_readership():
    quiet_week = [ArticleFactory() for _ in range(3)]
    for rank, article in enumerate(quiet_week):
        DailyViews.add(article.pk, day=days_ago(30), count=10 * (rank + 1))
    assert list(Article.objects.published().most_read()) == quiet_week[::-1]


def test_most_read_leaves_out_unread_and_unpublished_articles():
    read = ArticleFactory()
    ArticleFactory()  # never read
    draft = DraftFactory()
    DailyViews.add(read.pk)
    DailyViews.add(draft.pk, count=1000)
    assert list(Article.objects.published().most_read()) == [read]


# Cover images (the checks and the encoding: tests/test_images.py)


def test_set_cover_stores_a_webp_cover_and_thumbnail():
    article = ArticleFactory()
    article.set_cover(images.upload("JPEG", size=(2400, 1600), name="photo.jpg"))
    article.save()
    article.refresh_from_db()
    with Image.open(article.cover_image) as cover:
        assert (cover.format, cover.size) == ("WEBP", (COVER_WIDTH, 853))
    with Image.open(article.cover_thumbnail) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("WEBP", COVER_THUMBNAIL_SIZE)
    assert article.cover_image.name.startswith("covers/")
    assert article.cover_thumbnail.name.startswith("covers/thumbs/")
    assert "photo" not in article.cover_image.name  # the uploader's name is not kept


def test_replacing_the_cover_removes_the_old_files_once_committed(committed):
    article = ArticleFactory(cover=True)
    old = [article.cover_image.name, article.cover_thumbnail.name]
    with committed():
        article.set_cover(images.upload())
        article.save()
    assert not any(default_storage.exists(name) for name in old)
    assert default_storage.exists(article.cover_image.name)


def test_a_file_that_is_not_a_picture_is_refused_in_french():
    article = ArticleFactory()
    fake = SimpleUploadedFile("photo.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        article.set_cover(fake)
    assert "n'est pas une image" in error.value.messages[0]
    assert not article.cover_image
