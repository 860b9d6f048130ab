"""The article form: its fields, and the cover upload against the hostile corpus."""

import io
from html import unescape

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image

from articles.forms import ArticleAdminForm, ArticleForm
from articles.models import COVER_THUMBNAIL_SIZE, COVER_WIDTH, Article
from tests import images
from tests.factories import CategoryFactory, DraftFactory, UserFactory

pytestmark = pytest.mark.django_db


def form_data(category, **extra):
    return {
        "title": "Un titre",
        "summary": "",
        "body": "<p>Texte</p>",
        "category": category.pk,
        **extra,
    }


def test_form_fields_are_the_contract_and_nothing_of_the_workflow():
    assert list(ArticleForm().fields) == [
        "title",
        "summary",
        "body",
        "category",
        "cover_image",
        "cover_caption",
        "cover_credit",
        "creator_credit",
    ]
    for name in ["status", "author", "is_featured", "published_at", "submitted_at", "slug"]:
        assert name not in ArticleForm.base_fields
    assert "status" not in ArticleAdminForm.base_fields


@pytest.mark.parametrize("sample", images.REFUSED, ids=str)
def test_hostile_uploads_are_refused_in_french(client, sample):
    client.force_login(UserFactory())
    response = client.post(
        reverse("articles:create"), form_data(CategoryFactory(), cover_image=sample.upload())
    )
    assert response.status_code == 200
    assert sample.message in unescape(response.content.decode())
    assert not Article.objects.exists()


@pytest.mark.parametrize("sample", images.REFUSED, ids=str)
def test_hostile_uploads_leave_an_existing_cover_alone(sample):
    article = DraftFactory(cover=True)
    cover = article.cover_image.name
    form = ArticleForm(
        data=form_data(article.category), files={"cover_image": sample.upload()}, instance=article
    )
    assert not form.is_valid()
    assert form.errors["cover_image"] == [sample.message]
    article.refresh_from_db()
    assert article.cover_image.name == cover


@pytest.mark.parametrize("sample", images.ACCEPTED, ids=str)
def test_accepted_cover_is_stored_reencoded_in_the_pages_sizes(client, sample):
    client.force_login(UserFactory())
    response = client.post(
        reverse("articles:create"),
        form_data(
            CategoryFactory(),
            cover_image=sample.upload(),
            cover_caption="Le port",
            cover_credit="A. Diop",
        ),
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.cover_caption == "Le port"
    pictures = []
    for field in (article.cover_image, article.cover_thumbnail):
        assert field.name.endswith(".webp")
        assert field.name.rsplit("/", 1)[-1] != sample.name
        with field.open("rb") as stored:
            data = stored.read()
        if sample.leak:
            assert sample.leak not in data
        pictures.append(Image.open(io.BytesIO(data)))
    for picture in pictures:
        assert picture.format == "WEBP"
        assert not picture.getexif()
    cover, thumbnail = pictures
    assert cover.width <= COVER_WIDTH
    assert thumbnail.size == COVER_THUMBNAIL_SIZE


def test_replacing_and_clearing_the_cover_removes_old_files_after_commit(committed):
    article = DraftFactory(cover=True)
    first = [article.cover_image.name, article.cover_thumbnail.name]

    form = ArticleForm(
        data=form_data(article.category),
        files={"cover_image": images.upload("JPEG", size=(1600, 900))},
        instance=article,
    )
    assert form.is_valid(), form.errors
    with committed():
        article = form.save()
        assert all(default_storage.exists(name) for name in first)  # not before the commit
    second = [article.cover_image.name, article.cover_thumbnail.name]
    assert second != first
    assert not any(default_storage.exists(name) for name in first)
    assert all(default_storage.exists(name) for name in second)

    form = ArticleForm(
        data=form_data(article.category, **{"cover_image-clear": "on"}), instance=article
    )
    assert form.is_valid(), form.errors
    with committed():
        form.save()
    article.refresh_from_db()
    assert not article.cover_image
    assert not article.cover_thumbnail
    assert not any(default_storage.exists(name) for name in second)


def test_replacing_the_cover_from_the_edit_page_removes_the_old_files(client, committed):
    article = DraftFactory(cover=True)
    old = [article.cover_image.name, article.cover_thumbnail.name]
    client.force_login(article.author)
    with committed():
        response = client.post(
            reverse("articles:edit", args=[article.pk]),
            {**form_data(article.category), "cover_image": images.upload("WEBP")},
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.cover_image.name not in old
    assert default_storage.exists(article.cover_image.name)
    assert not any(default_storage.exists(name) for name in old)


def test_keeping_the_cover_when_no_new_file_is_sent():
    article = DraftFactory(cover=True)
    name = article.cover_image.name
    form = ArticleForm(data=form_data(article.category, title="Nouveau titre"), instance=article)
    assert form.is_valid(), form.errors
    form.save()
    article.refresh_from_db()
    assert article.cover_image.name == name
    assert article.title == "Nouveau titre"
