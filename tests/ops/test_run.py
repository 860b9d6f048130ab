"""`make run` starts the site, the task worker and the scheduler; a worker that dies is
started again; Ctrl-C stops them all."""

import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from .conftest import ROOT, free_port, manage

DEADLINE = 60


def children(pid):
    """The processes `pid` started, and theirs (gunicorn's workers), by command line."""
    found = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/children") as f:
            for child in f.read().split():
                try:
                    with open(f"/proc/{child}/cmdline", "rb") as c:
                        found[int(child)] = c.read().replace(b"\0", b" ").decode()
                except FileNotFoundError:
                    continue
                found.update(children(int(child)))
    return found


def wait_until(condition, what):
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    pytest.fail(f"{what} : rien après {DEADLINE} s")


def healthz(port):
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/healthz")
        return connection.getresponse().status == 200
    except OSError:
        return False


def named(processes, word):
    return [pid for pid, command in processes.items() if word in command]


def test_make_run_supervises_the_site_the_worker_and_the_scheduler(tmp_path):
    database = tmp_path / "site.sqlite3"
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CACHE_URL", "TASKS_BACKEND"}
    }
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        PORT=str(port),
        MEDIA_ROOT=str(tmp_path / "media"),
        EMAIL_URL="consolemail://",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        LOG_FORMAT="json",
        LOG_LEVEL="INFO",
    )
    manage("migrate", "--noinput", "-v", "0", env=env)
    log = open(tmp_path / "run.log", "wb")  # noqa: SIM115
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "notrecontinent.run"], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        wait_until(lambda: healthz(port), "le site répond sur /healthz")
        processes = wait_until(
            lambda: (
                (p := children(supervisor.pid))
                and named(p, "db_worker")
                and named(p, "crontask")
                and p
            ),
            "le worker et le planificateur tournent",
        )
        assert len(named(processes, "gunicorn")) >= 2  # the master and a worker

        # LOG_FORMAT=json: the site's own line per request, gunicorn's access log off.
        def request_lines():
            lines = (tmp_path / "run.log").read_text().splitlines()
            entries = [json.loads(line) for line in lines if line.startswith("{")]
            return [e for e in entries if e["logger"] == "notrecontinent.request"]

        line = wait_until(request_lines, "une ligne JSON par requête")[0]
        assert (line["view"], line["status"], len(line["request_id"])) == ("healthz", 200, 32)
        assert "GET /healthz" not in (tmp_path / "run.log").read_text()

        # The worker runs what the site queues.
        queued = manage(
            "shell",
            "-c",
            "from reports.tasks import send_moderation_digest as t; print(t.enqueue().id)",
            env=env,
        )
        task_id = queued.stdout.strip().splitlines()[-1].replace("-", "")

        def status():
            with sqlite3.connect(database) as db:
                row = db.execute(
                    "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = ?",
                    [task_id],
                ).fetchone()
            return row and row[0] == "SUCCESSFUL"

        wait_until(status, "le worker a exécuté la tâche")

        # A worker that dies is started again.
        (dead,) = named(processes, "db_worker")
        os.kill(dead, signal.SIGKILL)
        wait_until(
            lambda: [p for p in named(children(supervisor.pid), "db_worker") if p != dead],
            "un nouveau worker",
        )
        processes = children(supervisor.pid)

        # Ctrl-C: everything stops, the site's requests and the worker's task finished.
        supervisor.send_signal(signal.SIGINT)
        assert supervisor.wait(timeout=DEADLINE) == 0
        for pid in processes:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
        log.close()
