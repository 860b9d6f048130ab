"""/healthz (liveness) and /readyz (readiness); the JSON request log and what it never says."""

import io
import json
import logging
import re

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.urls import reverse

from comments.policy import make_form_token
from notrecontinent.logs import JSONFormatter, RequestIdFilter, mask_emails
from tests.factories import ArticleFactory

from .conftest import free_port

pytestmark = pytest.mark.django_db


def test_ready_when_database_cache_and_migrations_are(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "ready": True,
        "checks": {"database": True, "cache": True, "migrations": True},
    }
    assert "no-cache" in response["Cache-Control"]


def test_not_ready_while_a_migration_is_not_applied(client):
    # The database of a host whose code is newer: its last migration is not recorded.
    last = MigrationRecorder.Migration.objects.filter(app="comments").latest("id")
    last.delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "cache": True, "migrations": False}
    assert client.get("/healthz").status_code == 200  # alive all the same


def test_not_ready_without_its_cache(client):
    # A Redis nobody listens to: the probe says so instead of failing.
    unreachable = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": True, "cache": False, "migrations": True}


def test_not_ready_without_its_database(client):
    if connection.vendor != "postgresql":
        pytest.skip("a database server that does not answer: PostgreSQL")
    # The probe's own connection goes to a port nobody listens to.
    settings_dict = connection.settings_dict
    saved = settings_dict["PORT"]
    connection.close()
    settings_dict["PORT"] = free_port()
    try:
        response = client.get("/readyz")
    finally:
        connection.close()
        settings_dict["PORT"] = saved
    assert response.status_code == 503
    assert response.json()["checks"]["database"] is False


@pytest.fixture
def json_log():
    """The request log as LOG_FORMAT=json writes it, read back line by line."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JSONFormatter())
    loggers = [logging.getLogger("notrecontinent.request"), logging.getLogger("django.request")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_one_json_line_per_request_with_its_id_status_and_duration(client, json_log):
    article = ArticleFactory(slug="crue-du-fleuve")
    first = client.get(article.get_absolute_url())
    second = client.get("/healthz", HTTP_X_REQUEST_ID="a1b2c3d4e5f6a7b8")
    lines = [line for line in json_log() if line["logger"] == "notrecontinent.request"]
    assert len(lines) == 2
    assert lines[0]["request_id"] == first["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert lines[0]["route"] == "/articles/<slug:slug>/"
    assert lines[0]["view"] == "articles:detail"
    assert (lines[0]["method"], lines[0]["status"]) == ("GET", 200)
    assert isinstance(lines[0]["duration_ms"], float) and lines[0]["duration_ms"] >= 0
    # The proxy's id (nginx's $request_id) is kept, to follow a request through both logs.
    assert second["X-Request-ID"] == "a1b2c3d4e5f6a7b8"
    assert lines[1]["request_id"] == "a1b2c3d4e5f6a7b8"


@pytest.mark.parametrize(
    "offered", ["court", "x" * 65, "abc\r\nSet-Cookie: a=b", "id avec espaces", "ïd-ünicode-123"]
)
def test_an_odd_request_id_is_replaced(client, offered):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=offered)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_no_email_address_key_or_query_string_reaches_the_log(client, json_log):
    article = ArticleFactory()
    client.post(
        reverse("account_signup"),
        {
            "email": "Awa.Diop+presse@Example.ORG",
            "username": "awa",
            "password1": "un mot de passe long 2026",
            "password2": "un mot de passe long 2026",
            "account_kind": "particulier",
            "display_name": "Awa",
        },
    )
    client.post(
        reverse("comments:post", kwargs={"slug": article.slug}),
        {
            "name": "A",
            "email": "lecteur@exemple.sn",
            "body": "Merci.",
            "parent": "",
            "token": make_form_token(article.pk),
        },
        REMOTE_ADDR="198.51.100.9",
    )
    client.get("/accounts/confirm-email/MTI:cle-secrete-de-confirmation/")
    client.get("/recherche/", {"q": "ma.voisine@example.org"})
    client.get("/introuvable/quelqu.un@example.org")  # a 404, logged by django.request
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in json_log())
    assert len(json_log()) >= 5
    assert "@" not in text.replace("[adresse masquée]", "")
    assert "cle-secrete" not in text and "198.51.100.9" not in text and "q=" not in text


@pytest.mark.parametrize(
    "address",
    ["awa@example.org", "Awa.Diop+presse@Example.ORG", "élodie@exemple.sn", "a@b.co"],
)
def test_addresses_are_masked_in_any_message(address):
    assert mask_emails(f"Envoi à <{address}> refusé") == "Envoi à <[adresse masquée]> refusé"
