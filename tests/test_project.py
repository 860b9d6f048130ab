"""The project package: env-driven settings, /healthz, error pages, moderator accounts."""

import ast
import json
import multiprocessing
import os
import runpy
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.views.defaults import server_error

from accounts.models import User
from notrecontinent import settings as settings_module

ROOT = Path(__file__).resolve().parent.parent


def settings_under(env, *names):
    """The named settings as a fresh process computes them from `env` (nothing inherited)."""
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "TMPDIR")}
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "notrecontinent.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# Settings


def test_defaults_are_safe_and_run_on_one_machine():
    s = settings_under(
        {"SECRET_KEY": "x" * 50},
        "DEBUG",
        "ALLOWED_HOSTS",
        "DATABASES",
        "CACHES",
        "MAILERS",
        "SERVE_MEDIA",
        "MEDIA_ROOT",
    )
    assert s["DEBUG"] is False
    assert "*" not in s["ALLOWED_HOSTS"] and "127.0.0.1" in s["ALLOWED_HOSTS"]
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"] == str(ROOT / "db.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert db["OPTIONS"]["timeout"] >= 5
    assert s["CACHES"]["default"]["BACKEND"].endswith("LocMemCache")
    assert s["MAILERS"]["default"]["BACKEND"].endswith("console.EmailBackend")
    assert s["SERVE_MEDIA"] is True
    assert s["MEDIA_ROOT"] == str(ROOT / "media")


def test_one_proxy_count_for_the_site_and_allauth():
    s = settings_under(
        {"SECRET_KEY": "x" * 50, "TRUSTED_PROXY_COUNT": "2"},
        "TRUSTED_PROXY_COUNT",
        "ALLAUTH_TRUSTED_PROXY_COUNT",
    )
    assert s == {"TRUSTED_PROXY_COUNT": 2, "ALLAUTH_TRUSTED_PROXY_COUNT": 2}
    with pytest.raises(subprocess.CalledProcessError) as refused:
        settings_under({"SECRET_KEY": "x" * 50, "TRUSTED_PROXY_COUNT": "-1"}, "DEBUG")
    assert "TRUSTED_PROXY_COUNT" in refused.value.stderr


def test_environment_switches_to_production_services():
    s = settings_under(
        {
            "SECRET_KEY": "x" * 50,
            "DEBUG": "true",
            "ALLOWED_HOSTS": "www.notrecontinent.com,notrecontinent.com",
            "DATABASE_URL": "postgres://nc:secret@db.internal:5432/nc",
            "REDIS_URL": "redis://cache.internal:6379/2",
            "EMAIL_URL": "smtp://mailer:pw@smtp.internal:587",
            "MEDIA_ROOT": "/srv/media",
            "SERVE_MEDIA": "false",
        },
        "DEBUG",
        "ALLOWED_HOSTS",
        "DATABASES",
        "CACHES",
        "MAILERS",
        "MEDIA_ROOT",
        "SERVE_MEDIA",
    )
    assert s["DEBUG"] is True
    assert s["ALLOWED_HOSTS"] == ["www.notrecontinent.com", "notrecontinent.com"]
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["NAME"], db["USER"]) == ("db.internal", "nc", "nc")
    assert db["CONN_MAX_AGE"] > 0 and db["CONN_HEALTH_CHECKS"] is True
    cache = s["CACHES"]["default"]
    assert cache["BACKEND"] == "django_redis.cache.RedisCache"
    assert "cache.internal:6379/2" in str(cache["LOCATION"])
    mailer = s["MAILERS"]["default"]
    assert mailer["BACKEND"].endswith("smtp.EmailBackend")
    assert (mailer["OPTIONS"]["host"], mailer["OPTIONS"]["port"]) == ("smtp.internal", 587)
    assert (s["MEDIA_ROOT"], s["SERVE_MEDIA"]) == ("/srv/media", False)


def test_cache_url_wins_over_redis_url_and_filemail_is_an_absolute_path():
    s = settings_under(
        {
            "SECRET_KEY": "x" * 50,
            "CACHE_URL": "redis://first:6379/0",
            "REDIS_URL": "redis://second:6379/0",
            "EMAIL_URL": "filemail:///var/mail/nc",
        },
        "CACHES",
        "MAILERS",
    )
    assert "first" in str(s["CACHES"]["default"]["LOCATION"])
    assert s["MAILERS"]["default"]["OPTIONS"]["file_path"] == "/var/mail/nc"


def test_site_is_french_in_dakar_time():
    assert django_settings.LANGUAGE_CODE == "fr"
    assert django_settings.TIME_ZONE == "Africa/Dakar"
    assert django_settings.USE_TZ is True
    assert django_settings.AUTH_USER_MODEL == "accounts.User"


def test_secret_key_is_generated_once_into_a_private_file(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(settings_module, "BASE_DIR", tmp_path)
    key = settings_module._secret_key()
    path = tmp_path / ".secret_key"
    assert len(key) >= 50 and path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings_module._secret_key() == key  # kept, not regenerated


def test_secret_key_from_the_environment_wins(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    monkeypatch.setattr(settings_module, "BASE_DIR", tmp_path)
    assert settings_module._secret_key() == "from-the-environment"
    assert not (tmp_path / ".secret_key").exists()


def test_local_secrets_and_data_are_not_tracked():
    ignored = (ROOT / ".gitignore").read_text().split()
    for entry in (".secret_key", "db.sqlite3*", "/media/", ".venv/", "/test-artifacts/"):
        assert entry in ignored


def test_bootstrap_is_the_sites_own_build_not_a_cdn(client, db):
    """static/css/bootstrap.css, built by assets/build.mjs and committed: Bootstrap's rules
    that the templates use, its form icons from static files (no data: image, which the
    Content-Security-Policy refuses)."""
    path = finders.find("css/bootstrap.css")
    assert path
    css = Path(path).read_text()
    assert css.startswith("/*! Bootstrap v5.3")
    for selector in (".btn{", ".form-control{", ".alert-danger{", ".visually-hidden", ".row{"):
        assert selector in css, selector
    # Purged: components the site does not use are gone.
    for selector in (".modal", ".carousel", ".accordion", ".navbar", ".offcanvas"):
        assert selector not in css, selector
    assert "data:" not in css
    assert 'url("../img/forms/select.svg")' in css
    html = client.get("/").content.decode()
    assert 'href="/static/css/bootstrap.css"' in html
    assert "cdn" not in html.lower()


# /healthz


def test_healthz_says_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_the_database_does_not_answer(client):
    """A real failed connection: an unreachable database, not a stand-in."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-directory/db.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT="9")  # discard port: refused
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    assert response.status_code == 503
    assert b"ok" not in response.content


# Error pages


def test_404_page_is_french_and_part_of_the_site(client, db):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Page introuvable" in html
    assert "Retour à l'accueil" in html
    assert "LES PLUS LUS" in html


def test_500_page_is_french_and_needs_nothing(db, django_assert_num_queries):
    request = RequestFactory().get("/")
    with django_assert_num_queries(0):
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="fr">' in html
    assert "Une erreur est survenue" in html


def test_security_headers(client, db):
    response = client.get("/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


# Moderator accounts, as the README says


def test_createsuperuser_noinput_with_environment(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "moderatrice")
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "moderatrice@example.org")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "un-mot-de-passe-solide-42")
    call_command("createsuperuser", interactive=False, verbosity=0)
    user = User.objects.get(username="moderatrice")
    assert user.is_superuser and user.is_staff
    assert user.email == "moderatrice@example.org"
    assert user.check_password("un-mot-de-passe-solide-42")
    assert user.public_name == "moderatrice"


def test_admin_titles_are_translatable():
    from django.contrib import admin
    from django.utils.functional import Promise

    assert isinstance(admin.site.site_header, Promise)
    assert isinstance(admin.site.index_title, Promise)
    assert str(admin.site.index_title) == "Tableau de bord"


# Layering: comments build on articles, accounts on both, the trust pages (sitepages) on
# articles' sanitizer and editor; nothing imports back up.

IMPORTS_FORBIDDEN = {
    "articles": {"comments", "accounts", "sitepages"},
    "comments": {"accounts", "sitepages"},
}


def imported_apps(app):
    """The top-level packages each module of `app` imports (migrations aside), by file."""
    found = {}
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[path.relative_to(ROOT)] = names
    return found


@pytest.mark.parametrize("app", IMPORTS_FORBIDDEN)
def test_apps_never_import_the_apps_built_on_them(app):
    upward = {
        str(path): sorted(names & IMPORTS_FORBIDDEN[app])
        for path, names in imported_apps(app).items()
        if names & IMPORTS_FORBIDDEN[app]
    }
    assert upward == {}


# gunicorn


def gunicorn_config(monkeypatch, **env):
    for name in (
        "CACHE_URL",
        "REDIS_URL",
        "WEB_CONCURRENCY",
        "GUNICORN_THREADS",
        "GUNICORN_MAX_REQUESTS",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "notrecontinent" / "gunicorn.py"))


def test_gunicorn_never_recycles_its_single_worker_of_the_local_memory_cache(monkeypatch):
    # A restart would stall every request, and empty the cache that holds the repeat-view
    # window and the spent form tokens.
    config = gunicorn_config(monkeypatch, GUNICORN_MAX_REQUESTS="2000")
    assert config["workers"] == 1 and config["threads"] > 1
    assert config["worker_class"] == "gthread"
    assert config["max_requests"] == 0
    assert config["preload_app"] is True


def test_gunicorn_workers_with_redis_are_not_recycled_unless_asked(monkeypatch):
    config = gunicorn_config(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")
    assert config["workers"] > 1 and config["max_requests"] == 0

    asked = gunicorn_config(
        monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0", GUNICORN_MAX_REQUESTS="10000"
    )
    # Restarts spread over half the interval, each a fork of the preloaded master.
    assert (asked["max_requests"], asked["max_requests_jitter"]) == (10000, 5000)
    assert asked["preload_app"] is True


def test_gunicorn_with_redis_runs_processes_of_one_thread(monkeypatch):
    # Threads sharing a process gave /healthz a p99 of seconds (notrecontinent/gunicorn.py).
    config = gunicorn_config(monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0")
    assert (config["threads"], config["worker_class"]) == (1, "sync")
    assert config["workers"] == 2 * multiprocessing.cpu_count() + 1

    # Threads when asked for: gunicorn's sync worker would ignore them.
    threaded = gunicorn_config(
        monkeypatch, REDIS_URL="redis://127.0.0.1:6379/0", GUNICORN_THREADS="4"
    )
    assert (threaded["threads"], threaded["worker_class"]) == (4, "gthread")
