"""Production settings: the environment the README documents passes Django's deployment
checks without a warning, and the HTTPS settings it turns on do what they say."""

import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def production_environment():
    """The variables of the README's production environment ("Mise en production",
    "L'environnement"), read as a shell reads them (quotes, comments)."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### L'environnement", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "README.md has no production environment"
    words = [
        word for line in block.group(1).splitlines() for word in shlex.split(line, comments=True)
    ]
    return dict(word.split("=", 1) for word in words)


def check_deploy(environment):
    # A fresh process, settings read from this environment alone (no test database, no
    # variable of the machine's).
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def production():
    environment = production_environment()
    # The README cannot hold the real key; a key as the README says to draw one.
    environment["SECRET_KEY"] = secrets.token_urlsafe(50)
    return environment


def test_the_documented_production_environment_passes_check_deploy(production):
    assert production["SECURE_SSL_REDIRECT"] == "true"
    assert int(production["SECURE_HSTS_SECONDS"]) >= 365 * 24 * 60 * 60  # the preload list's
    result = check_deploy(production)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""


def test_check_deploy_does_warn_without_https_settings(production):
    """The check above can fail: without the HTTPS variables, Django warns."""
    del production["SECURE_SSL_REDIRECT"], production["SECURE_HSTS_SECONDS"]
    result = check_deploy(production)
    assert result.returncode == 1
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


@pytest.mark.django_db
def test_hsts_with_subdomains_and_preload(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get("/healthz", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@pytest.mark.django_db
def test_plain_http_is_redirected_but_for_the_probes(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/?page=2")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/?page=2"
    assert client.get("/", secure=True).status_code == 200
    # The proxy and the orchestrator probe over plain HTTP.
    assert client.get("/healthz").status_code == 200
