import io

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image

from accounts.models import User
from tests import images

pytestmark = pytest.mark.django_db

PROFILE = {
    "display_name": "Awa Diop",
    "account_kind": "ong",
    "organisation": "Eau Pour Tous",
    "bio": "Hydrologue.\nMilitante.",
    "website": "https://eaupourtous.example.org",
}


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


@pytest.mark.parametrize("sample", images.ACCEPTED, ids=str)
def test_avatar_is_a_square_webp_without_metadata(client, citizen, sample):
    client.force_login(citizen)
    response = client.post("/compte/modifier/", {**PROFILE, "avatar": sample.upload()})
    assert response.status_code == 302
    citizen.refresh_from_db()
    name = citizen.avatar.name
    assert name.startswith("avatars/") and name.endswith(".webp")
    assert name.rsplit("/", 1)[-1] != sample.name
    with default_storage.open(name) as stored:
        raw = stored.read()
    if sample.leak:
        assert sample.leak not in raw
    image = Image.open(io.BytesIO(raw))
    assert image.format == "WEBP"
    assert image.size == (256, 256)
    assert not image.getexif()
    assert "exif" not in image.info and "xmp" not in image.info


def test_new_avatar_replaces_the_old_file_and_can_be_removed(
    client, citizen, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    client.post("/compte/modifier/", {**PROFILE, "avatar": images.upload()})
    citizen.refresh_from_db()
    first = citizen.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/modifier/", {**PROFILE, "avatar": images.upload("WEBP")})
    citizen.refresh_from_db()
    assert citizen.avatar.name != first
    assert default_storage.exists(citizen.avatar.name)
    assert not default_storage.exists(first)
    second = citizen.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/compte/modifier/", {**PROFILE, "remove_avatar": "on"})
    citizen.refresh_from_db()
    assert not citizen.avatar
    assert not default_storage.exists(second)


@pytest.mark.parametrize("sample", images.REFUSED, ids=str)
def test_hostile_avatar_is_refused_with_a_french_message(client, citizen, sample):
    client.force_login(citizen)
    response = client.post("/compte/modifier/", {**PROFILE, "avatar": sample.upload()})
    assert response.status_code == 200
    assert response.context["form"].errors["avatar"] == [sample.message]
    citizen.refresh_from_db()
    assert not citizen.avatar
    assert not default_storage.exists("avatars")


def test_profile_edit_enforces_csrf(citizen):
    client = Client(enforce_csrf_checks=True)
    client.force_login(citizen)
    assert client.post("/compte/modifier/", PROFILE).status_code == 403
    citizen.refresh_from_db()
    assert citizen.account_kind == User.Kind.PARTICULIER
