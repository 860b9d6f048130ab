import io
import struct
import time
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

from accounts.models import User
from tests.images import image_bytes

pytestmark = pytest.mark.django_db

PROFILE = {
    "display_name": "Awa Diop",
    "account_kind": "ong",
    "organisation": "Eau Pour Tous",
    "bio": "Hydrologue.\nMilitante.",
    "website": "https://eaupourtous.example.org",
}


def upload(data, name="photo.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_chunk(kind, data):
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_claiming(width, height):
    """A tiny PNG file whose header announces a gigantic picture (decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", pixels)
        + png_chunk(b"IEND", b"")
    )


def animated(fmt):
    frames = [Image.new("RGB", (32, 32), color) for color in ("red", "blue", "green")]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def noisy_png():
    buffer = io.BytesIO()
    Image.effect_noise((400, 400), 80).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_gps():
    image = Image.new("RGB", (640, 480), (10, 120, 200))
    exif = image.getexif()
    exif[ExifTags.Base.Make] = "AppareilEspion"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (14.0, 41.0, 37.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (17.0, 26.0, 48.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    data = buffer.getvalue()
    assert b"AppareilEspion" in data
    return data


def test_profile_page_needs_login(client):
    response = client.get("/compte/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_profile_page_shows_my_account(client, citizen):
    client.force_login(citizen)
    response = client.get("/compte/")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    html = response.content.decode()
    assert "Awa Diop" in html and "awa@example.org" in html
    for path in ("/compte/modifier/", "/compte/donnees/", "/compte/supprimer/", "/accounts/email/"):
        assert f'href="{path}"' in html


def test_header_links_to_my_profile_with_my_public_name(client, citizen):
    client.force_login(citizen)
    html = client.get("/").content.decode()
    assert '<a href="/compte/">Awa Diop</a>' in html


def test_edit_profile(client, citizen):
    client.force_login(citizen)
    assert client.get("/compte/modifier/").status_code == 200
    response = client.post("/compte/modifier/", PROFILE)
    assert response.status_code == 302 and response["Location"] == "/compte/"
    citizen.refresh_from_db()
    assert citizen.account_kind == User.Kind.ONG
    assert citizen.organisation == "Eau Pour Tous"
    assert citizen.website == "https://eaupourtous.example.org"


def test_edit_profile_ignores_everything_else(client, citizen):
    client.force_login(citizen)
    client.post(
        "/compte/modifier/",
        {
            **PROFILE,
            "username": "pirate",
            "email": "pirate@example.org",
            "is_staff": "on",
            "is_superuser": "on",
            "is_active": "",
            "avatar": "avatars/someone-else.webp",
        },
    )
    citizen.refresh_from_db()
    assert citizen.username == "awa" and citizen.email == "awa@example.org"
    assert not citizen.is_staff and not citizen.is_superuser and citizen.is_active
    assert not citizen.avatar


@pytest.mark.parametrize(
    "website", ["javascript:alert(1)", "ftp://exemple.org/", "data:text/html,<b>x</b>"]
)
def test_website_must_be_http(client, citizen, website):
    client.force_login(citizen)
    response = client.post("/compte/modifier/", {**PROFILE, "website": website})
    assert response.status_code == 200
    assert "website" in response.context["form"].errors


def test_display_name_is_required(client, citizen):
    client.force_login(citizen)
    response = client.post("/compte/modifier/", {**PROFILE, "display_name": "   "})
    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors


def test_avatar_is_square_webp_without_metadata(client, citizen):
    client.force_login(citizen)
    data = jpeg_with_gps()
    response = client.post(
        "/compte/modifier/",
        {**PROFILE, "avatar": upload(data, "vacances-à-dakar.jpg", "image/jpeg")},
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    name = citizen.avatar.name
    assert name.startswith("avatars/") and name.endswith(".webp")
    assert "vacances" not in name
    with default_storage.open(name) as stored:
        raw = stored.read()
    assert b"AppareilEspion" not in raw and b"Exif" not in raw
    image = Image.open(io.BytesIO(raw))
    assert image.format == "WEBP"
    assert image.size == (256, 256)
    assert not image.getexif()
    assert "exif" not in image.info and "xmp" not in image.info


def test_new_avatar_replaces_the_old_file_and_can_be_removed(client, citizen):
    client.force_login(citizen)
    client.post("/compte/modifier/", {**PROFILE, "avatar": upload(image_bytes("PNG"))})
    citizen.refresh_from_db()
    first = citizen.avatar.name
    client.post("/compte/modifier/", {**PROFILE, "avatar": upload(image_bytes("WEBP"), "a.webp")})
    citizen.refresh_from_db()
    assert citizen.avatar.name != first
    assert not default_storage.exists(first)
    second = citizen.avatar.name
    client.post("/compte/modifier/", {**PROFILE, "remove_avatar": "on"})
    citizen.refresh_from_db()
    assert not citizen.avatar
    assert not default_storage.exists(second)


NOT_AN_IMAGE = "n'est pas une image JPEG, PNG ou WebP"
ANIMATED = "images animées"
TOO_BIG = "40 mégapixels"

HOSTILE = {
    "not an image": (b"Bonjour, je ne suis pas une image.", "photo.jpg", NOT_AN_IMAGE),
    "svg": (
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        "logo.svg",
        NOT_AN_IMAGE,
    ),
    "html renamed png": (
        b"<!doctype html><html><script>alert(document.cookie)</script></html>",
        "photo.png",
        NOT_AN_IMAGE,
    ),
    "truncated png": (noisy_png()[:5000], "photo.png", NOT_AN_IMAGE),
    "gif": (image_bytes("GIF"), "photo.gif", NOT_AN_IMAGE),
    "animated gif renamed png": (animated("GIF"), "anim.png", NOT_AN_IMAGE),
    "animated webp": (animated("WEBP"), "anim.webp", ANIMATED),
    "animated png": (animated("PNG"), "anim.png", ANIMATED),
    "too many pixels": (image_bytes("PNG", size=(8000, 6000)), "grand.png", TOO_BIG),
    "decompression bomb": (png_claiming(100_000, 100_000), "bombe.png", TOO_BIG),
    "over 5 MB": (b"\xff\xd8\xff\xe0" + b"\0" * (5 * 1024 * 1024), "lourd.jpg", "5 Mo"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_avatar_is_refused_with_a_french_message(client, citizen, case):
    data, name, message = HOSTILE[case]
    client.force_login(citizen)
    started = time.monotonic()
    response = client.post("/compte/modifier/", {**PROFILE, "avatar": upload(data, name)})
    assert time.monotonic() - started < 3
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["avatar"])
    citizen.refresh_from_db()
    assert not citizen.avatar
    assert not default_storage.exists("avatars")


def test_profile_edit_enforces_csrf(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post("/compte/modifier/", PROFILE).status_code == 403
    citizen.refresh_from_db()
    assert citizen.account_kind == User.Kind.PARTICULIER
