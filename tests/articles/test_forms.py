"""The article form: its fields, and the cover upload against a hostile corpus."""

import io
import os
import struct
import time
import zlib
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, PngImagePlugin

from articles.forms import ArticleAdminForm, ArticleForm
from articles.models import COVER_THUMBNAIL_SIZE, COVER_WIDTH, Article
from tests.factories import CategoryFactory, DraftFactory, UserFactory

pytestmark = pytest.mark.django_db

NOT_AN_IMAGE = "Ce fichier n'est pas une image JPEG, PNG ou WebP lisible."
TOO_MANY_PIXELS = "L'image dépasse 40 mégapixels."
ANIMATED = "Les images animées ne sont pas acceptées."
TOO_LARGE = "L'image dépasse 5 Mo."
EMPTY = "Le fichier soumis est vide."


def encoded(fmt, size=(1600, 1200), mode="RGB", **params):
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 120, 40)).save(buffer, fmt, **params)
    return buffer.getvalue()


def jpeg_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "EOS 5D"  # Model
    exif[0x8825] = {1: "N", 2: (14.0, 41.0, 52.0), 3: "W", 4: (17.0, 26.0, 40.0)}  # GPS
    return encoded("JPEG", exif=exif, quality=90)


def png_header_only(width, height):
    """A PNG that announces width × height pixels in a few bytes: a decompression bomb."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def animated(fmt):
    frames = [Image.new("RGB", (32, 32), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def upload(content, name="couverture.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


HOSTILE = {
    "svg named png": (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
        b"<script>alert(document.cookie)</script></svg>",
        "image.png",
        "image/png",
        NOT_AN_IMAGE,
    ),
    "svg declared svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/></svg>',
        "dessin.svg",
        "image/svg+xml",
        NOT_AN_IMAGE,
    ),
    "html named jpg": (
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        "photo.jpg",
        "image/jpeg",
        NOT_AN_IMAGE,
    ),
    "html after a jpeg magic number": (
        b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>",
        "photo.jpg",
        "image/jpeg",
        NOT_AN_IMAGE,
    ),
    "truncated jpeg": (encoded("JPEG")[:3000], "coupee.jpg", "image/jpeg", NOT_AN_IMAGE),
    "truncated png": (encoded("PNG")[:400], "coupee.png", "image/png", NOT_AN_IMAGE),
    "gif": (encoded("GIF", size=(40, 40), mode="P"), "image.gif", "image/gif", NOT_AN_IMAGE),
    "bmp": (encoded("BMP", size=(40, 40)), "image.bmp", "image/bmp", NOT_AN_IMAGE),
    "tiff": (encoded("TIFF", size=(40, 40)), "image.tiff", "image/tiff", NOT_AN_IMAGE),
    "pdf": (
        b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
        "doc.jpg",
        "image/jpeg",
        NOT_AN_IMAGE,
    ),
    "bomb 49 megapixels": (png_header_only(7000, 7000), "bombe.png", "image/png", TOO_MANY_PIXELS),
    "bomb 400 megapixels": (
        png_header_only(20000, 20000),
        "bombe.png",
        "image/png",
        TOO_MANY_PIXELS,
    ),
    "animated webp": (animated("WEBP"), "anim.webp", "image/webp", ANIMATED),
    "animated png": (animated("PNG"), "anim.png", "image/png", ANIMATED),
    "animated gif": (animated("GIF"), "anim.gif", "image/gif", NOT_AN_IMAGE),
    "over 5 MB": (
        b"\xff\xd8\xff\xe0" + b"\x00" * (5 * 1024 * 1024),
        "big.jpg",
        "image/jpeg",
        TOO_LARGE,
    ),
    "empty": (b"", "vide.jpg", "image/jpeg", EMPTY),
}


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


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_uploads_are_refused_quickly_in_french(client, case):
    content, name, content_type, message = case
    author = UserFactory()
    client.force_login(author)
    category = CategoryFactory()

    started = time.monotonic()
    response = client.post(
        reverse("articles:create"),
        form_data(category, cover_image=upload(content, name, content_type)),
    )
    elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert not Article.objects.exists()
    assert elapsed < 3


@pytest.mark.parametrize("case", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_uploads_leave_an_existing_cover_alone(case):
    content, name, content_type, message = case
    article = DraftFactory()
    article.set_cover(upload(encoded("PNG", size=(800, 450)), "ok.png", "image/png"))
    article.save()
    cover = article.cover_image.name
    form = ArticleForm(
        data=form_data(article.category),
        files={"cover_image": upload(content, name, content_type)},
        instance=article,
    )
    assert not form.is_valid()
    assert form.errors["cover_image"] == [message]
    article.refresh_from_db()
    assert article.cover_image.name == cover


def test_accepted_cover_is_reencoded_without_metadata_in_the_pages_sizes(client):
    author = UserFactory()
    client.force_login(author)
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test has GPS to lose

    response = client.post(
        reverse("articles:create"),
        form_data(
            CategoryFactory(),
            cover_image=upload(original, "IMG_2024_Dakar.jpg"),
            cover_caption="Le port",
            cover_credit="A. Diop",
        ),
    )

    assert response.status_code == 302
    article = Article.objects.get()
    assert article.cover_caption == "Le port"
    for field in (article.cover_image, article.cover_thumbnail):
        assert "IMG_2024_Dakar" not in field.name
        assert field.name.endswith(".webp")
        with field.open("rb") as stored:
            data = stored.read()
        image = Image.open(io.BytesIO(data))
        assert image.format == "WEBP"
        assert not image.getexif()
        assert "exif" not in image.info
        assert "xmp" not in image.info
        assert b"Canon" not in data
        assert b"EOS 5D" not in data
    cover = Image.open(article.cover_image.path)
    assert cover.size == (COVER_WIDTH, COVER_WIDTH * 1200 // 1600)
    assert Image.open(article.cover_thumbnail.path).size == COVER_THUMBNAIL_SIZE


def test_png_text_chunks_and_appended_payloads_do_not_survive():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    content = encoded("PNG", size=(700, 400), pnginfo=info) + b"<html><script>x</script></html>"
    article = DraftFactory()
    form = ArticleForm(
        data=form_data(article.category),
        files={"cover_image": upload(content, "carte.png", "image/png")},
        instance=article,
    )
    assert form.is_valid(), form.errors
    article = form.save()
    for field in (article.cover_image, article.cover_thumbnail):
        with field.open("rb") as stored:
            assert b"script" not in stored.read()


def test_small_cover_is_not_enlarged():
    article = DraftFactory()
    form = ArticleForm(
        data=form_data(article.category),
        files={"cover_image": upload(encoded("WEBP", size=(800, 500)), "a.webp", "image/webp")},
        instance=article,
    )
    assert form.is_valid(), form.errors
    article = form.save()
    assert Image.open(article.cover_image.path).size == (800, 500)


def test_replacing_and_clearing_the_cover_removes_old_files():
    article = DraftFactory()
    article.set_cover(upload(encoded("PNG", size=(800, 450)), "a.png", "image/png"))
    article.save()
    first = [article.cover_image.path, article.cover_thumbnail.path]

    form = ArticleForm(
        data=form_data(article.category),
        files={"cover_image": upload(encoded("JPEG"), "b.jpg")},
        instance=article,
    )
    assert form.is_valid(), form.errors
    article = form.save()
    second = [article.cover_image.path, article.cover_thumbnail.path]
    assert second != first
    assert not any(os.path.exists(path) for path in first)

    form = ArticleForm(
        data=form_data(article.category, **{"cover_image-clear": "on"}), instance=article
    )
    assert form.is_valid(), form.errors
    article = form.save()
    article.refresh_from_db()
    assert not article.cover_image
    assert not article.cover_thumbnail
    assert not any(os.path.exists(path) for path in second)


def test_keeping_the_cover_when_no_new_file_is_sent():
    article = DraftFactory()
    article.set_cover(upload(encoded("PNG", size=(800, 450)), "a.png", "image/png"))
    article.save()
    name = article.cover_image.name
    form = ArticleForm(data=form_data(article.category, title="Nouveau titre"), instance=article)
    assert form.is_valid(), form.errors
    form.save()
    article.refresh_from_db()
    assert article.cover_image.name == name
    assert article.title == "Nouveau titre"
