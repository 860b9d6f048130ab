"""Backups of the site: its database and its uploaded media, in one folder.

`manage.py backup` (make backup) writes a folder `notrecontinent-<date>/` with
- `database.dump`: PostgreSQL's pg_dump, custom format (pg_restore reads it), or
  `database.sqlite3`: a copy made with SQLite's online backup API, consistent while the
  site keeps writing (WAL);
- `media.tar.gz`: MEDIA_ROOT, when the media live on this machine's disk (with object
  storage, the bucket's own versioning keeps them);
- `manifest.json`: when, from which engine, and the row count of every table, which
  `manage.py restore` (make restore) checks once it has restored.

A restore goes into the database DATABASE_URL names, which should be new and empty
(PostgreSQL: `createdb`; SQLite: a path with no file); the site's processes are stopped
while it runs.
"""

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection

DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
MEDIA_FILE = "media.tar.gz"
MANIFEST = "manifest.json"


class BackupError(Exception):
    pass


def row_counts():
    """Rows per table of every model (the tasks queue and the sessions included)."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            counts[meta.db_table] = model._base_manager.using("default").count()
    return dict(sorted(counts.items()))


def _media_on_disk():
    return isinstance(default_storage, FileSystemStorage)


def _pg_environment():
    db = settings.DATABASES["default"]
    env = {**os.environ}
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if db.get(key):
            env[variable] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env, db["NAME"]


def _run(command, env=None):
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} est introuvable (paquet Debian postgresql-client)."
        ) from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} a échoué : {error.stderr.strip()[-2000:]}") from error


def backup(destination):
    """Write a backup folder under `destination`; returns its path."""
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Sauvegarde impossible pour la base {vendor}.")
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
    folder = Path(destination) / f"notrecontinent-{stamp}"
    folder.mkdir(parents=True)
    database_file = folder / DATABASE_FILES[vendor]
    # Counted before the copy: rows written meanwhile are in the copy, not in the count;
    # a restore compares with what it finds, so a busy site's backup reports the difference.
    counts = row_counts()
    if vendor == "postgresql":
        env, name = _pg_environment()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={database_file}",
                name,
            ],
            env=env,
        )
    else:
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        target = sqlite3.connect(database_file)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    media = _media_on_disk() and Path(settings.MEDIA_ROOT).is_dir()
    if media:
        with tarfile.open(folder / MEDIA_FILE, "w:gz") as archive:
            archive.add(settings.MEDIA_ROOT, arcname="media")
    manifest = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "engine": vendor,
        "media": media,
        "row_counts": counts,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    return folder


def restore(folder):
    """Restore the backup `folder` into the current database and MEDIA_ROOT; returns the
    tables whose row count differs from the manifest ({table: (expected, found)})."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} n'est pas une sauvegarde lisible ({MANIFEST}).") from error
    vendor = connection.vendor
    if manifest["engine"] != vendor:
        raise BackupError(
            f"Sauvegarde {manifest['engine']}, base {vendor} : restaurez dans le même moteur."
        )
    database_file = folder / DATABASE_FILES[vendor]
    connection.close()
    if vendor == "postgresql":
        env, name = _pg_environment()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                f"--dbname={name}",
                str(database_file),
            ],
            env=env,
        )
    else:
        source = sqlite3.connect(database_file)
        target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()
    if manifest["media"]:
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.exists():
            shutil.rmtree(media_root)
        media_root.parent.mkdir(parents=True, exist_ok=True)
        staging = media_root.parent / f".{media_root.name}-restauration"
        with tarfile.open(folder / MEDIA_FILE, "r:gz") as archive:
            archive.extractall(staging, filter="data")
        (staging / "media").rename(media_root)
        staging.rmdir()
    found = row_counts()
    return {
        table: (expected, found.get(table))
        for table, expected in manifest["row_counts"].items()
        if found.get(table) != expected
    }
