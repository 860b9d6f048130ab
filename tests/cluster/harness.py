"""The production rehearsal's machinery: real services on loopback, started and stopped.

`Cluster` starts, in a temporary folder that it removes at the end:
- a PostgreSQL cluster of its own (initdb, its own port), so that stopping it to test an
  outage never touches the machine's shared server;
- a Redis of its own (its own port, append-only file on, as a production Redis);
- two gunicorn app hosts, started as `make run` starts gunicorn (notrecontinent/gunicorn.py)
  with the production environment (DEBUG off, TRUSTED_PROXY_COUNT=1, behind HTTPS,
  SERVE_MEDIA=false), sharing one MEDIA_ROOT as hosts share a disk;
- the background processes of `APP_PROCESSES` beside them (the task worker, the scheduler);
- nginx from Debian with deploy/nginx.conf, rendered for loopback ports, a self-signed
  certificate and the temporary folders; plus, for the tests only, one TLS port pinned to
  each app host, so that a test can choose the host that answers.

Every process runs in its own process group, and `stop()` ends them all, whatever
happened. Ports come from tests.localservers.free_port (TEST_PORT_RANGE). Nothing here
listens beyond 127.0.0.1.
"""

import contextlib
import ctypes
import os
import pwd
import re
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.localservers import free_port, stop, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NGINX = "/usr/sbin/nginx"
SITE_CONF = ROOT / "deploy" / "nginx.conf"

# The background processes that run beside the app hosts, each a command line from the
# project's root, started after the hosts and stopped before them. The task worker sends
# every e-mail (django-tasks-db's queue, in the site's database); the scheduler queues
# the periodic jobs (view flush, readership, purges), one active at a time by its Redis lock.
APP_PROCESSES = {
    "worker": [sys.executable, "manage.py", "db_worker", "--no-reload"],
    "scheduler": [sys.executable, "manage.py", "crontask", "--no-heartbeat"],
}


def _die_with_parent():
    # Linux: the child gets SIGTERM if this process dies without stopping it (SIGKILL).
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _site_variables():
    """Every variable the site's settings and gunicorn's configuration read."""
    code = "".join(
        (ROOT / "notrecontinent" / name).read_text() for name in ("settings.py", "gunicorn.py")
    )
    return set(
        re.findall(r"""(?:env(?:\.\w+)?|environ\.get|getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']""", code)
    )


def _base_env():
    """This process's environment without any of the site's variables: the machine's
    settings (DATABASE_URL for the test suite, say) never reach the rehearsal's site."""
    site = _site_variables() | {"DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in site and not k.startswith("MEDIA_S3_")}
    # The app hosts' own Python, whatever PATH says.
    env["PATH"] = f"{BIN}:{env.get('PATH', '/usr/bin:/bin')}"
    return env


def postgres_bindir():
    """Debian's PostgreSQL programs: on PATH, or the newest /usr/lib/postgresql/N/bin."""
    if initdb := shutil.which("initdb"):
        return Path(initdb).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if not versions:
        raise RuntimeError("PostgreSQL (initdb) est introuvable : apt-get install postgresql")
    return versions[-1].parent


class Ports:
    """The rehearsal's ports, each free when handed out and none handed out twice."""

    def __init__(self):
        taken = set()

        def another():
            taken.add(port := free_port(exclude=taken))
            return port

        self.postgres = another()
        self.redis = another()
        self.app = {"a": another(), "b": another()}
        self.https = another()
        self.http = another()
        self.pinned = {"a": another(), "b": another()}


class Cluster:
    """The rehearsal's processes; a context manager that always stops them all."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="nc-cluster-"))
        # nginx's workers and the postgres user read below it.
        self.dir.chmod(0o755)
        self.ports = Ports()
        self.processes = {}
        self.media = self.dir / "media"
        self.mail = self.dir / "mail"
        self.logs = self.dir / "logs"
        for folder in (self.media, self.mail, self.logs):
            folder.mkdir()
            folder.chmod(0o755)
        self.secret_key = secrets.token_urlsafe(50)
        self.database = "notrecontinent"
        # What the tests measured, printed at the end of the run.
        self.figures = {}
        # Background processes started again after they stopped by themselves.
        self.restarted = []

    # The site's environment, the same for every app host and background process.

    @property
    def env(self):
        """The README's production environment ("Mise en production"), with this machine's
        addresses, except LOG_FORMAT: text, for gunicorn's access log says which host
        answered each request."""
        return {
            **_base_env(),
            "DEBUG": "false",
            "SECRET_KEY": self.secret_key,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.ports.postgres}/{self.database}",
            "REDIS_URL": f"redis://127.0.0.1:{self.ports.redis}/0",
            "CACHE_KEY_PREFIX": "nc",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": f"https://127.0.0.1:{self.ports.https}",
            "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "https",
            "TRUSTED_PROXY_COUNT": "1",
            "BEHIND_HTTPS_PROXY": "true",
            "SECURE_COOKIES": "true",
            "SECURE_SSL_REDIRECT": "true",
            "SECURE_HSTS_SECONDS": "31536000",
            "FORWARDED_ALLOW_IPS": "127.0.0.1",
            "SERVE_MEDIA": "false",
            "MEDIA_ROOT": str(self.media),
            "EMAIL_URL": f"filemail://{self.mail}",
            # Two workers per host (one thread each, as in production): two hosts stand
            # on two shared cores.
            "WEB_CONCURRENCY": "2",
            "LOG_LEVEL": "WARNING",
        }

    # Starting and stopping.

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def start(self):
        self._raise_open_files_limit()
        self._certificate()
        self._init_postgres()
        self.start_postgres()
        self.start_redis()
        self._prepare_site()
        for host in self.ports.app:
            self.start_app(host)
        for name in APP_PROCESSES:
            self.start_background(name)
        self._render_nginx()
        self.start_nginx()

    def stop(self):
        # A second SIGTERM does not interrupt the stopping.
        previous = signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            for name in reversed(list(self.processes)):
                stop(self.processes.pop(name))
            if os.environ.get("CLUSTER_KEEP"):
                print(f"\nCLUSTER_KEEP : journaux dans {self.logs}", file=sys.stderr)
            else:
                shutil.rmtree(self.dir, ignore_errors=True)
        finally:
            signal.signal(signal.SIGTERM, previous)

    def _spawn(self, name, argv, *, port=None, env=None, cwd=ROOT, user=None, seconds=60):
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=env if env is not None else self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
            user=user,
            group=user and pwd.getpwnam(user).pw_gid,
            extra_groups=[] if user else None,
        )
        log.close()
        self.processes[name] = process
        if port:
            try:
                wait_for_port(port, process=process, seconds=seconds, what=name)
            except RuntimeError as error:
                raise RuntimeError(f"{error}\n{self.log_tail(name)}") from None
        return process

    def log_tail(self, name, lines=40):
        path = self.logs / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def _run(self, name, argv, *, env=None, user=None, timeout=300):
        with open(self.logs / f"{name}.log", "ab") as log:
            result = subprocess.run(
                argv,
                cwd=ROOT,
                env=env if env is not None else self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                user=user,
                group=user and pwd.getpwnam(user).pw_gid,
                extra_groups=[] if user else None,
            )
        if result.returncode != 0:
            raise RuntimeError(f"« {' '.join(map(str, argv))} » a échoué :\n{self.log_tail(name)}")

    @staticmethod
    def _raise_open_files_limit():
        # 400 readers at once: 400 client sockets here, and as many in nginx.
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = 8192 if hard == resource.RLIM_INFINITY else min(8192, hard)
        if soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))

    # TLS: nginx terminates it, as in production; the tests trust this one certificate.

    def _certificate(self):
        self.cert, self.key = self.dir / "tls.crt", self.dir / "tls.key"
        self._run(
            "openssl",
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", str(self.key), "-out", str(self.cert),
            ],
            env=_base_env(),
        )  # fmt: skip

    def tls_context(self):
        return ssl.create_default_context(cafile=str(self.cert))

    # PostgreSQL: a cluster of our own, stopped and started at will.

    @property
    def _postgres_user(self):
        # PostgreSQL refuses to run as root.
        return "postgres" if os.geteuid() == 0 else None

    def _init_postgres(self):
        self.pgdata = self.dir / "postgres"
        self.pgdata.mkdir()
        if user := self._postgres_user:
            shutil.chown(self.pgdata, user, user)
        self.pgdata.chmod(0o700)
        self._run(
            "initdb",
            [
                str(postgres_bindir() / "initdb"), "-D", str(self.pgdata), "-U", "postgres",
                "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
            ],
            env=_base_env(),
            user=self._postgres_user,
        )  # fmt: skip

    def start_postgres(self):
        argv = [
            str(postgres_bindir() / "postgres"), "-D", str(self.pgdata),
            "-p", str(self.ports.postgres), "-k", str(self.pgdata),
            "-c", "listen_addresses=127.0.0.1",
            # A rehearsal, not a store: nothing here must survive a power cut.
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
        ]  # fmt: skip
        self._spawn(
            "postgres", argv, port=self.ports.postgres, env=_base_env(), user=self._postgres_user
        )
        self._wait_for_postgres()

    def _wait_for_postgres(self, seconds=30):
        import psycopg

        deadline = time.monotonic() + seconds
        while True:
            try:
                with psycopg.connect(self.dsn("postgres"), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def stop_postgres(self):
        """A fast shutdown (SIGINT): sessions are cut, as when the server restarts."""
        process = self.processes.pop("postgres")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        process.wait(60)

    def dsn(self, database=None):
        return f"host=127.0.0.1 port={self.ports.postgres} user=postgres dbname={database or self.database}"

    def sql(self, query, *params):
        """One query on the cluster's database, outside the site: for counting only."""
        import psycopg

        with psycopg.connect(self.dsn(), connect_timeout=5) as conn:
            return conn.execute(query, params).fetchall()

    # Redis: ours, with its append-only file as a production Redis has.

    def start_redis(self):
        folder = self.dir / "redis"
        folder.mkdir(exist_ok=True)
        argv = [
            "redis-server", "--port", str(self.ports.redis), "--bind", "127.0.0.1",
            "--dir", str(folder), "--save", "", "--appendonly", "yes",
            "--appendfsync", "everysec", "--daemonize", "no",
        ]  # fmt: skip
        self._spawn("redis", argv, port=self.ports.redis, env=_base_env())

    def stop_redis(self):
        stop(self.processes.pop("redis"))

    # The site: a database, static files, a moderator, then the app hosts.

    def _prepare_site(self):
        import psycopg

        with psycopg.connect(self.dsn("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.database}"')
        self._run("migrate", [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"])
        # nginx serves what `make run` collects, from the project's STATIC_ROOT.
        self._run(
            "collectstatic", [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"]
        )
        self.moderator = ("moderatrice", "moderatrice@example.org", secrets.token_urlsafe(16))
        self._run(
            "createsuperuser",
            [sys.executable, "manage.py", "createsuperuser", "--noinput"],
            env={
                **self.env,
                "DJANGO_SUPERUSER_USERNAME": self.moderator[0],
                "DJANGO_SUPERUSER_EMAIL": self.moderator[1],
                "DJANGO_SUPERUSER_PASSWORD": self.moderator[2],
            },
        )
        self.category = "societe"
        self._run(
            "category",
            [
                sys.executable, "manage.py", "shell", "-c",
                "from articles.models import Category; "
                f"Category.objects.create(name='Société', slug='{self.category}')",
            ],
        )  # fmt: skip

    def start_app(self, host):
        port = self.ports.app[host]
        argv = [
            str(BIN / "gunicorn"), "notrecontinent.wsgi",
            "--config", str(ROOT / "notrecontinent" / "gunicorn.py"),
            "--bind", f"127.0.0.1:{port}",
        ]  # fmt: skip
        self._spawn(f"app-{host}", argv, port=port)

    def kill_app(self, host):
        """The host is lost: every process of it killed at once, nothing said goodbye."""
        process = self.processes.pop(f"app-{host}")
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    def app_pids(self):
        return {name: p.pid for name, p in self.processes.items() if name.startswith("app-")}

    def start_background(self, name):
        self._spawn(name, APP_PROCESSES[name])

    def restart_stopped_background(self):
        """Start again what has stopped by itself (db_worker exits when its database goes
        away), as systemd's Restart= would; the names restarted."""
        stopped = [name for name in APP_PROCESSES if self.processes[name].poll() is not None]
        for name in stopped:
            self.start_background(name)
        return stopped

    # nginx: deploy/nginx.conf, with the addresses of this machine's rehearsal.

    def _render_nginx(self):
        text = SITE_CONF.read_text()
        replacements = [
            ("server app-1.internal:8000", f"server 127.0.0.1:{self.ports.app['a']}"),
            ("server app-2.internal:8000", f"server 127.0.0.1:{self.ports.app['b']}"),
            ("listen 80;", f"listen 127.0.0.1:{self.ports.http};"),
            ("listen [::]:80;", ""),
            ("listen 443 ssl http2;", f"listen 127.0.0.1:{self.ports.https} ssl;"),
            ("listen [::]:443 ssl http2;", ""),
            ("/etc/letsencrypt/live/www.notrecontinent.com/fullchain.pem", str(self.cert)),
            ("/etc/letsencrypt/live/www.notrecontinent.com/privkey.pem", str(self.key)),
            ("/srv/notrecontinent/staticfiles/", f"{ROOT / 'staticfiles'}/"),
            ("/srv/notrecontinent/media/", f"{self.media}/"),
        ]
        for old, new in replacements:
            if old not in text:
                raise RuntimeError(
                    f"deploy/nginx.conf ne contient plus « {old} » : adaptez {__file__}"
                )
            text = text.replace(old, new)
        (self.dir / "notrecontinent.conf").write_text(text)
        # For the tests only: the same HTTPS server once per app host, on a port of its
        # own that sends every request to that host.
        (site,) = [
            block
            for block in re.findall(r"^server \{\n.*?^\}\n", text, re.M | re.S)
            if "ssl_certificate" in block
        ]
        listen = f"listen 127.0.0.1:{self.ports.https} ssl;"
        pinned = "".join(
            site.replace(listen, f"listen 127.0.0.1:{self.ports.pinned[host]} ssl;").replace(
                "http://notrecontinent_app", f"http://127.0.0.1:{port}"
            )
            for host, port in self.ports.app.items()
        )
        temp = self.dir / "nginx-temp"
        temp.mkdir()
        user = "user root root;" if os.geteuid() == 0 else ""
        # What Debian's /etc/nginx/nginx.conf is to the site file, in this folder.
        (self.dir / "nginx.conf").write_text(
            f"""{user}
worker_processes 2;
worker_rlimit_nofile 8192;
pid {self.dir}/nginx.pid;
error_log {self.logs}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log {self.logs}/nginx-access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {self.dir}/notrecontinent.conf;
    {pinned}
}}
"""
        )
        self._run("nginx-test", self._nginx("-t"), env=_base_env())

    def _nginx(self, *args):
        return [
            NGINX, "-p", str(self.dir), "-c", str(self.dir / "nginx.conf"),
            "-e", str(self.logs / "nginx-error.log"), *args,
        ]  # fmt: skip

    def start_nginx(self):
        self._spawn(
            "nginx", self._nginx("-g", "daemon off;"), port=self.ports.https, env=_base_env()
        )
        for port in self.ports.pinned.values():
            wait_for_port(port, what="nginx")
