"""Media on object storage: MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage against a
real S3-compatible server (moto's server mode, on loopback), through the site's forms.

Covers and avatars are uploaded, shown from the bucket's addresses, replaced and deleted
(files leave the bucket once the transaction commits), and an account's deletion takes
its avatar and its unpublished covers with it.
"""

import json
import re
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from html import unescape
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse

from accounts.models import User
from articles import services
from articles.models import Article
from notrecontinent import settings as settings_module
from tests import images
from tests.factories import PASSWORD, CategoryFactory, ModeratorFactory, VerifiedUserFactory
from tests.localservers import free_port, stop, wait_for_port

ROOT = Path(__file__).resolve().parent.parent
KEYS = {"MEDIA_S3_ACCESS_KEY_ID": "nc-test", "MEDIA_S3_SECRET_ACCESS_KEY": "nc-test-secret"}


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """moto's S3 server on a loopback port, for the whole run."""
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port(port, process=process, what=f"moto server (journal : {log})")
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


class Bucket:
    def __init__(self, client, name):
        self.client, self.name = client, name

    def __call__(self):
        """The keys the bucket holds now."""
        listing = self.client.list_objects_v2(Bucket=self.name)
        return {item["Key"] for item in listing.get("Contents", [])}

    def make_public(self):
        """What production does for plain links (README): anyone may read an object."""
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": f"arn:aws:s3:::{self.name}/*",
                }
            ],
        }
        self.client.put_bucket_policy(Bucket=self.name, Policy=json.dumps(policy))


@pytest.fixture
def private_bucket(s3_endpoint, settings, monkeypatch):
    """A fresh bucket, and the site's default storage on it, configured from the environment
    as production is (notrecontinent.settings reads MEDIA_S3_*)."""
    name = f"nc-media-{uuid.uuid4().hex[:12]}"
    env = {
        "MEDIA_S3_BUCKET": name,
        "MEDIA_S3_ENDPOINT_URL": s3_endpoint,
        "MEDIA_S3_REGION": "eu-west-3",
        **KEYS,
    }
    for variable, value in env.items():
        monkeypatch.setenv(variable, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="eu-west-3",
        aws_access_key_id=KEYS["MEDIA_S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["MEDIA_S3_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": settings_module._s3_media_options(),
        },
    }

    bucket = Bucket(client, name)
    yield bucket
    for key in bucket():
        client.delete_object(Bucket=name, Key=key)
    client.delete_bucket(Bucket=name)


@pytest.fixture
def bucket(private_bucket):
    private_bucket.make_public()
    return private_bucket


def img_src(html, css_class=None):
    """The addresses of the page's <img> elements (of one class when given)."""
    found = []
    for tag in re.findall(r"<img\b[^>]*>", html):
        if css_class and css_class not in tag:
            continue
        found.append(unescape(re.search(r'src="([^"]+)"', tag).group(1)))
    return found


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


def assert_served_from_the_bucket(url, s3_endpoint, bucket_keys):
    assert url.startswith(s3_endpoint + "/"), url
    status, headers, body = fetch(url)
    assert status == 200
    assert headers["Content-Type"] == "image/webp"
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert body[:4] == b"RIFF" and body[8:12] == b"WEBP"
    assert url.rsplit("/", 1)[1] in {key.rsplit("/", 1)[1] for key in bucket_keys()}


@pytest.mark.django_db
def test_cover_uploaded_shown_replaced_and_deleted_on_object_storage(
    bucket, s3_endpoint, django_capture_on_commit_callbacks
):
    author = VerifiedUserFactory()
    category = CategoryFactory()
    client = Client()
    client.force_login(author)
    fields = {
        "title": "Les pirogues de Joal",
        "summary": "Au petit matin, le port s'anime.",
        "body": "<p>Les pêcheurs partent.</p>",
        "category": category.pk,
        "cover_caption": "Le port",
        "cover_credit": "Awa",
        "creator_credit": "",
        "action": "save",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("articles:create"), {**fields, "cover_image": images.upload()}
        )
    assert response.status_code == 302
    article = Article.objects.get(title="Les pirogues de Joal")
    first = {article.cover_image.name, article.cover_thumbnail.name}
    assert bucket() == first
    assert all(name.endswith(".webp") for name in first)

    # Replaced from the edit page: the old pair leaves the bucket once committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("articles:edit", args=[article.pk]),
            {**fields, "cover_image": images.upload("JPEG")},
        )
    assert response.status_code == 302
    article.refresh_from_db()
    second = {article.cover_image.name, article.cover_thumbnail.name}
    assert not first & second
    assert bucket() == second

    # Published, the cover is shown from the bucket: page, listing, og:image.
    with django_capture_on_commit_callbacks(execute=True):
        version = services.submit(article)
        services.publish(article, by=ModeratorFactory(), version=version.number)
    html = Client().get(article.get_absolute_url()).content.decode()
    (cover,) = [src for src in img_src(html) if "covers/" in src]
    assert_served_from_the_bucket(cover, s3_endpoint, bucket)
    assert f'<meta property="og:image" content="{cover}">' in html
    listing = Client().get(category.get_absolute_url()).content.decode()
    thumbnails = [src for src in img_src(listing) if "covers/thumbs/" in src]
    assert thumbnails
    assert_served_from_the_bucket(thumbnails[0], s3_endpoint, bucket)

    # Deleted: its files leave the bucket once committed, not before.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.delete(article)
    assert bucket() == second
    for callback in callbacks:
        callback()
    assert bucket() == set()


@pytest.mark.django_db
def test_avatar_on_object_storage_and_account_deletion(
    bucket, s3_endpoint, django_capture_on_commit_callbacks
):
    citizen = VerifiedUserFactory(username="awa", display_name="Awa Diop")
    client = Client()
    client.force_login(citizen)
    profile = {"display_name": "Awa Diop", "account_kind": "particulier", "bio": "", "website": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/modifier/", {**profile, "avatar": images.upload()})
    assert response.status_code == 302
    citizen.refresh_from_db()
    avatar = citizen.avatar.name
    assert avatar.startswith("avatars/") and bucket() == {avatar}

    # A published article with its cover, and a draft with its own.
    with django_capture_on_commit_callbacks(execute=True):
        published = Article.objects.create(
            title="En ligne", body="<p>Texte.</p>", category=CategoryFactory(), author=citizen
        )
        published.set_cover(images.upload())
        published.save()
        version = services.submit(published)
        services.publish(published, by=ModeratorFactory(), version=version.number)
        draft = Article.objects.create(
            title="Brouillon", body="<p>Texte.</p>", category=published.category, author=citizen
        )
        draft.set_cover(images.upload())
        draft.save()
    kept = {published.cover_image.name, published.cover_thumbnail.name}
    gone = {avatar, draft.cover_image.name, draft.cover_thumbnail.name}
    assert bucket() == kept | gone

    html = Client().get(citizen.get_absolute_url()).content.decode()
    (shown,) = img_src(html, "author-avatar")
    assert_served_from_the_bucket(shown, s3_endpoint, bucket)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/compte/supprimer/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=citizen.pk).exists()
    assert bucket() == kept
    html = Client().get(published.get_absolute_url()).content.decode()
    assert "Auteur supprimé" in html
    (cover,) = [src for src in img_src(html) if "covers/" in src]
    assert_served_from_the_bucket(cover, s3_endpoint, bucket)


@pytest.mark.django_db
def test_a_storage_that_fails_to_delete_does_not_fail_the_request(
    bucket, s3_endpoint, django_capture_on_commit_callbacks, settings, caplog
):
    """delete_on_commit is robust: with the bucket unreachable the article still goes,
    and the stray file is logged."""
    author = VerifiedUserFactory()
    draft = Article.objects.create(
        title="Brouillon", body="<p>Texte.</p>", category=CategoryFactory(), author=author
    )
    with django_capture_on_commit_callbacks(execute=True):
        draft.set_cover(images.upload())
        draft.save()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            # A closed loopback port: the service is down.
            "OPTIONS": {
                **settings_module._s3_media_options(),
                "endpoint_url": f"http://127.0.0.1:{free_port()}",
            },
        },
    }
    client = Client()
    client.force_login(author)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("articles:delete", args=[draft.pk]))
    assert response.status_code == 302
    assert not Article.objects.filter(pk=draft.pk).exists()
    assert any(record.levelname == "ERROR" for record in caplog.records)


def test_link_choices_from_the_environment(monkeypatch):
    monkeypatch.setenv("MEDIA_S3_BUCKET", "nc-media")
    monkeypatch.setenv("MEDIA_S3_REGION", "eu-west-3")
    for variable, value in KEYS.items():
        monkeypatch.setenv(variable, value)
    from storages.backends.s3 import S3Storage

    plain = S3Storage(**settings_module._s3_media_options()).url("avatars/a.webp")
    assert plain.startswith("https://") and "?" not in plain
    monkeypatch.setenv("MEDIA_S3_QUERYSTRING_AUTH", "true")
    monkeypatch.setenv("MEDIA_S3_QUERYSTRING_EXPIRE", "600")
    signed = S3Storage(**settings_module._s3_media_options()).url("avatars/a.webp")
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=600" in signed
    # A CDN or the bucket's own public name in front: plain links under that name.
    monkeypatch.setenv("MEDIA_S3_QUERYSTRING_AUTH", "false")
    monkeypatch.setenv("MEDIA_S3_CUSTOM_DOMAIN", "media.notrecontinent.com")
    monkeypatch.setenv("MEDIA_S3_LOCATION", "site")
    domain = S3Storage(**settings_module._s3_media_options())
    assert domain.url("avatars/a.webp") == "https://media.notrecontinent.com/site/avatars/a.webp"


def django_under(env, code):
    """Run `code` in a fresh Django process whose environment is `env` and nothing else."""
    base = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "notrecontinent.settings",
        "ALLOWED_HOSTS": "testserver",
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
    }
    return subprocess.run(
        [sys.executable, "-c", f"import django\ndjango.setup()\n{code}"],
        cwd=ROOT,
        env={**base, "SECRET_KEY": "x" * 50, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_s3_backend_from_the_environment_and_a_missing_bucket_refused():
    s3 = {"MEDIA_STORAGE_BACKEND": "storages.backends.s3.S3Storage"}
    result = django_under(
        {**s3, "MEDIA_S3_BUCKET": "nc-media", "MEDIA_S3_ENDPOINT_URL": "https://s3.example.org"},
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.querystring_auth)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "nc-media", "https://s3.example.org", "False"]
    refused = django_under(s3, "pass")
    assert refused.returncode != 0
    assert "MEDIA_S3_BUCKET doit nommer le bucket" in refused.stderr


def test_serve_media_false_serves_no_media_from_django(tmp_path):
    (tmp_path / "covers").mkdir()
    (tmp_path / "covers" / "a.webp").write_bytes(images.image_bytes("WEBP"))
    route = (
        "from django.urls import Resolver404, resolve\n"
        "try: print(resolve('/media/covers/a.webp').url_name)\n"
        "except Resolver404: print('aucune')"
    )
    served = django_under({"MEDIA_ROOT": str(tmp_path)}, route)
    assert served.stdout.split() == ["media"], served.stderr
    status = (
        "from django.test import Client; print(Client().get('/media/covers/a.webp').status_code)"
    )
    assert django_under({"MEDIA_ROOT": str(tmp_path)}, status).stdout.split() == ["200"]
    off = django_under({"MEDIA_ROOT": str(tmp_path), "SERVE_MEDIA": "false"}, route)
    assert off.stdout.split() == ["aucune"], off.stderr


@pytest.mark.django_db
def test_signed_links_serve_a_private_bucket(private_bucket, s3_endpoint, monkeypatch, settings):
    name = default_storage.save("avatars/prive.webp", ContentFile(images.image_bytes("WEBP")))
    plain = default_storage.url(name)
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(plain)
    assert refused.value.code == 403
    monkeypatch.setenv("MEDIA_S3_QUERYSTRING_AUTH", "true")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": settings_module._s3_media_options(),
        },
    }
    signed = default_storage.url(name)
    assert signed.startswith(plain + "?") and "X-Amz-Signature=" in signed
    status, headers, body = fetch(signed)
    assert status == 200 and body == images.image_bytes("WEBP")


@pytest.mark.django_db
def test_default_storage_follows_the_setting(bucket):
    name = default_storage.save("covers/sonde.webp", ContentFile(images.image_bytes("WEBP")))
    assert bucket() == {name}
    default_storage.delete(name)
    assert bucket() == set()
