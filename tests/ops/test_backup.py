"""The restore drill: back up the site, restore it into a new database and media folder,
then find every row and the published page, cover included, as they were."""

import hashlib
import json
import os
import uuid
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from comments.models import Comment
from notrecontinent.backups import backup, row_counts
from reports.models import Report
from tests.factories import ArticleFactory, CommentFactory, UserFactory

from .conftest import manage

pytestmark = pytest.mark.django_db(transaction=True)

# Run by the restored site: its row counts, the published page and its cover.
PROBE = """
import hashlib, json
from django.test import Client
from articles.models import Article
from notrecontinent.backups import row_counts
counts = row_counts()
article = Article.objects.published().get(slug=%(slug)r)
client = Client()
page = client.get(article.get_absolute_url())
cover = client.get(article.cover_image.url)
print(json.dumps({
    "counts": counts,
    "status": page.status_code,
    "title": article.title in page.content.decode(),
    "comments": "2 commentaires" in page.content.decode(),
    "cover": cover.status_code,
    "cover_sha": hashlib.sha256(b"".join(cover.streaming_content)).hexdigest(),
}))
"""


@pytest.fixture
def fresh_database(tmp_path):
    """A new, empty database of the same engine as the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restauree.sqlite3'}"
        return
    import psycopg

    db = connection.settings_dict
    name = f"nc_restore_{uuid.uuid4().hex[:10]}"
    admin = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = os.environ["DATABASE_URL"]
    yield urlsplit(url)._replace(path=f"/{name}").geturl()
    with psycopg.connect(**admin) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_restore_drill(tmp_path, fresh_database):
    article = ArticleFactory(cover=True, title="La crue du fleuve Sénégal")
    CommentFactory.create_batch(2, article=article)
    CommentFactory(article=article, status=Comment.Status.PENDING)
    Report.objects.create(article=article, reason=Report.Reason.SPAM, ip_address="203.0.113.1")
    UserFactory.create_batch(3)
    with open(settings.MEDIA_ROOT / article.cover_image.name, "rb") as cover:
        cover_sha = hashlib.sha256(cover.read()).hexdigest()
    counts = row_counts()

    folder = backup(tmp_path / "sauvegardes")
    restored = {"DATABASE_URL": fresh_database, "MEDIA_ROOT": str(tmp_path / "media-restaure")}
    result = manage("restore", "--noinput", str(folder), env=restored)
    assert "chaque table a ses lignes" in result.stdout

    probe = manage(
        "shell",
        "-c",
        PROBE % {"slug": article.slug},
        env={
            **restored,
            "ALLOWED_HOSTS": "testserver",
            # Pages render without collectstatic, as in the test suite.
            "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        },
    )
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert found["counts"] == counts
    assert counts["articles_article"] == 1 and counts["comments_comment"] == 3
    assert (found["status"], found["title"], found["comments"]) == (200, True, True)
    assert (found["cover"], found["cover_sha"]) == (200, cover_sha)


def test_a_backup_restores_into_the_same_engine_only(tmp_path):
    folder = backup(tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["engine"] = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="restaurez dans le même moteur"):
        call_command("restore", str(folder), interactive=False)


def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="n'est pas une sauvegarde lisible"):
        call_command("restore", str(tmp_path), interactive=False)
