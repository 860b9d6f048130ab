"""Compressed text responses (gzip with Django's random padding) and cached media files."""

import gzip

import pytest
from django.conf import settings

from notrecontinent.compression import deflate, gzip_join, inflate, stored
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
FNAME = 0x08  # gzip header flag: a file name follows, where Django puts its random padding


def test_pages_are_gzipped_with_random_padding_for_clients_that_accept_it(client):
    article = ArticleFactory(body="<p>" + "Un long paragraphe de l'article. " * 60 + "</p>")
    plain = client.get(article.get_absolute_url())
    packed = client.get(article.get_absolute_url(), **GZIP)

    assert len(plain.content) > 1024 and "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert packed.content[3] & FNAME
    page = gzip.decompress(packed.content).decode()
    assert article.title in page and "Un long paragraphe" in page
    assert int(packed["Content-Length"]) == len(packed.content) < len(plain.content)


def test_feeds_are_gzipped_too(client):
    ArticleFactory.create_batch(3)
    response = client.get("/flux/", **GZIP)
    assert response["Content-Type"].startswith("application/rss+xml")
    assert response["Content-Encoding"] == "gzip"


def test_tiny_responses_stay_as_they_are(client):
    response = client.get("/healthz", **GZIP)
    assert response.content == b"ok" and "Content-Encoding" not in response


def test_media_are_cached_for_a_year_and_never_recompressed(client):
    folder = settings.MEDIA_ROOT / "covers"
    folder.mkdir(parents=True)
    picture = bytes(range(256)) * 40  # what the bytes are does not matter to the server
    (folder / "0f1e2d3c4b5a69788796a5b4c3d2e1f0.webp").write_bytes(picture)

    response = client.get("/media/covers/0f1e2d3c4b5a69788796a5b4c3d2e1f0.webp", **GZIP)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "Content-Encoding" not in response
    assert b"".join(response.streaming_content) == picture
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"public", "max-age=31536000", "immutable"} <= directives


def test_a_missing_media_file_is_a_404_that_is_not_cached(client):
    response = client.get("/media/covers/absent.webp")
    assert response.status_code == 404
    assert "immutable" not in response.get("Cache-Control", "")


def test_pieces_deflated_apart_join_into_one_valid_gzip_stream():
    head, token, tail = b"<p>" + b"avant " * 3000, b"un-jeton-0123", "après ".encode() * 5000
    pieces = [deflate(head), stored(token), deflate(b""), stored(b""), deflate(tail)]

    stream = gzip_join(pieces)

    assert stream[3] & FNAME
    assert gzip.decompress(stream) == head + token + tail  # gzip checks the CRC and the size
    assert b"".join(inflate(p) for p in pieces) == head + token + tail
    assert len(stream) < len(head + tail) // 10
    # A stored block holds at most 65,535 bytes: a longer token takes several.
    assert gzip.decompress(gzip_join([stored(b"x" * 70000), deflate(tail)])) == b"x" * 70000 + tail
