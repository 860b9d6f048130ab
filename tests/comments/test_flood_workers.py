"""Flood control holds across gunicorn workers: the second comment within 15 seconds is
refused even when another worker process receives it, because the claim lives in the
shared cache (Redis when REDIS_URL is set, otherwise a file cache both workers see)."""

import http.client
import os
import re
import select
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import environ
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"

CREATE_ARTICLE = """
from django.utils import timezone
from articles.models import Article, Category
category = Category.objects.create(name="Société", slug="societe")
Article.objects.create(
    title="Crue du fleuve", slug="crue-du-fleuve", body="<p>Texte.</p>", category=category,
    status=Article.Status.PUBLISHED, published_at=timezone.now(),
)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def database_url(tmp_path):
    """A scratch database for the server: PostgreSQL when DATABASE_URL says so, else SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'flood.sqlite3'}"
        return
    import psycopg

    config = environ.Env.db_url_config(url)
    name = f"nc_flood_{uuid.uuid4().hex[:10]}"
    admin_dsn = {
        "host": config["HOST"],
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**admin_dsn) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    yield parts._replace(path=f"/{name}").geturl()
    with psycopg.connect(**admin_dsn) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


WORKERS = 2


def wait_for_workers(process, workers, seconds=30):
    """Reads gunicorn's log as it comes until it listens and has forked every worker."""
    deadline = time.monotonic() + seconds
    lines, listening, booted = [], False, 0
    while not (listening and booted == workers):
        ready, _, _ = select.select([process.stderr], [], [], max(deadline - time.monotonic(), 0))
        line = process.stderr.readline() if ready else b""
        if not line:  # gunicorn exited, or the deadline passed
            pytest.fail("gunicorn did not start: " + b"".join(lines).decode()[-2000:])
        lines.append(line)
        listening = listening or b"Listening at:" in line
        booted += b"Booting worker" in line


@pytest.fixture
def server(tmp_path, database_url):
    if not GUNICORN.exists():
        pytest.skip("gunicorn is not installed in .venv")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "flood-test-" + uuid.uuid4().hex,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATICFILES_BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "CACHE_KEY_PREFIX": f"nc-flood-{uuid.uuid4().hex[:8]}",
        "EMAIL_URL": "consolemail://",
    }
    if os.environ.get("REDIS_URL"):
        env.pop("CACHE_URL", None)
    else:
        env["CACHE_URL"] = f"filecache://{tmp_path / 'cache'}"
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "shell", "-c", CREATE_ARTICLE], env=env, cwd=ROOT, check=True)
    port = free_port()
    log = tmp_path / "access.log"
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "notrecontinent.wsgi",
            "--workers",
            str(WORKERS),
            "--worker-class",
            "sync",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            str(log),
            # The pid of the worker that served each request.
            "--access-logformat",
            "%(p)s %(m)s %(U)s %(s)s",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        bufsize=0,  # unbuffered, so that select() sees every line gunicorn writes
    )
    try:
        wait_for_workers(process, WORKERS)
        # The workers are forked; this answer says one has loaded Django and serves.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/healthz")
        assert connection.getresponse().status == 200
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=20)


def get_form(port, cookie=""):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request(
        "GET", "/articles/crue-du-fleuve/", headers={"Cookie": cookie} if cookie else {}
    )
    response = connection.getresponse()
    html = response.read().decode()
    assert response.status == 200
    cookie = cookie or re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(0)
    return (
        cookie,
        re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1),
        re.search(r'name="token" value="([^"]+)"', html).group(1),
    )


def raw_post(port, cookie, csrf, token, body):
    data = urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "token": token,
            "name": "Pressé",
            "email": "presse@example.org",
            "body": body,
            "parent": "",
        }
    ).encode()
    head = (
        f"POST /articles/crue-du-fleuve/commentaires/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n"
    ).encode()
    return head + data


def status_of(sock):
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return int(b"".join(chunks).split(b" ", 2)[1])


def test_a_second_comment_through_another_worker_is_refused(server):
    port, log = server
    cookie, csrf, first_token = get_form(port)
    _cookie, _csrf, second_token = get_form(port, cookie)

    # Occupy one worker with a request whose end has not arrived yet: a sync worker
    # serves one connection at a time, so the next request goes to the other worker.
    second = raw_post(port, cookie, csrf, second_token, "Deuxième, trop vite")
    held = socket.create_connection(("127.0.0.1", port), timeout=15)
    # The kernel hands connections to the workers' accept() in the order they arrived, and
    # the worker that takes this one waits for the rest of it: no need to wait here.
    held.sendall(second[:40])

    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(raw_post(port, cookie, csrf, first_token, "Premier commentaire"))
        assert status_of(sock) == 302

    held.sendall(second[40:])
    with held:
        assert status_of(held) == 429

    # Each response was read up to the end of its connection, which a gunicorn worker
    # closes only after it has written the access log line.
    posts = [line.split() for line in log.read_text().splitlines() if " POST " in line]
    assert [line[3] for line in posts] == ["302", "429"]
    assert posts[0][0] != posts[1][0], "both comments were served by the same worker"
